import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../app.ts'
import { loadCatalogue } from '../catalogue.ts'
import { readConfig } from '../config.ts'
import { createLogger } from '../logger.ts'
import { MAX_IMAGE_BYTES } from '../limits.ts'
import { fitCover, frameAt, makeImage, probe, psnr, sha256 } from '../testing/media.ts'
import type { ModelSpec } from '../../src/models/types.ts'
import { FAIL_REASON } from './task-store.ts'

/*
 * The local engine against a real gateway on a free port, with the real renderer and plain fetch.
 * Renders are kept small (4 s, 720p, one sample) except where a point needs more.
 */

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const V30 = 'veo-3.0-generate-preview-img2video'
const V31 = 'veo-3.1-generate-firstlastframe'

let work: string
let models: readonly ModelSpec[]
let server: RunningServer
let dataDir: string
const files: Record<'first' | 'last' | 'jpeg', { path: string; b64: string }> = {} as never
let stub: Server
let stubUrl: string
let stubHits = 0

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  // The image server below is on loopback, which the engine refuses unless told otherwise.
  return {
    LOCAL_ENGINE_PACE_MS: '100',
    LOCAL_ENGINE_WORKERS: '2',
    LOCAL_ENGINE_FETCH_TIMEOUT_MS: '1000',
    LOCAL_ENGINE_ALLOW_PRIVATE_URLS: '1',
    ...extra,
  }
}

async function start(extra: Record<string, string>): Promise<RunningServer> {
  return startServer({ config: readConfig(env(extra)), models, logger: createLogger(() => {}), port: 0 })
}

async function submit(base: string, model: string, body: unknown, init: RequestInit = {}): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${base}/api/local/v3/async/${model}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  })
  return { status: res.status, json: (await res.json()) as Json }
}

async function result(base: string, id: string, headers: Record<string, string> = {}): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${base}/api/local/v3/async/task-result?task_id=${encodeURIComponent(id)}`, { headers })
  return { status: res.status, json: (await res.json()) as Json }
}

async function submitOk(base: string, model: string, body: unknown): Promise<string> {
  const { status, json } = await submit(base, model, body)
  expect({ status, json }).toMatchObject({ status: 200 })
  expect(Object.keys(json)).toEqual(['task_id'])
  return json.task_id as string
}

/** Polls until the task is final (or `until` holds), returning every snapshot seen. */
async function poll(base: string, id: string, until?: (r: Json) => boolean): Promise<Json[]> {
  const seen: Json[] = []
  const deadline = Date.now() + 55_000
  for (;;) {
    const { status, json } = await result(base, id)
    expect({ status, json }).toMatchObject({ status: 200 })
    seen.push(json)
    const s = json.task.status as string
    if (until ? until(json) : s === 'TASK_STATUS_SUCCEED' || s === 'TASK_STATUS_FAILED') return seen
    if (Date.now() > deadline) throw new Error(`task ${id} stuck in ${s}`)
    await new Promise((r) => setTimeout(r, 15))
  }
}

async function finished(base: string, id: string): Promise<Json> {
  return (await poll(base, id)).at(-1) as Json
}

async function download(url: string, name: string): Promise<string> {
  const res = await fetch(url)
  expect(res.status).toBe(200)
  const file = join(work, name)
  await writeFile(file, Buffer.from(await res.arrayBuffer()))
  return file
}

const tasksOnDisk = async () => (await readdir(join(dataDir, 'tasks'))).length

const b64 = async (path: string) => (await readFile(path)).toString('base64')

const body31 = (extra: Record<string, unknown> = {}) => ({
  image: files.first.b64,
  last_image: files.last.b64,
  prompt: 'The camera glides from the first picture to the last',
  duration_seconds: 4,
  resolution: '720p',
  sample_count: 1,
  ...extra,
})

const body30 = (extra: Record<string, unknown> = {}) => ({
  image_base64: files.first.b64,
  prompt: 'A slow push in',
  generate_audio: false,
  duration_seconds: 4,
  ...extra,
})

async function expectRefusal(res: { status: number; json: Json }, status: number, reason: string, ...words: (string | RegExp)[]) {
  expect(res).toMatchObject({ status })
  expect(Object.keys(res.json).sort()).toEqual(['code', 'message', 'metadata', 'reason'])
  expect(res.json.code).toBe(status)
  expect(res.json.reason).toBe(reason)
  for (const w of words) expect(res.json.message).toMatch(w)
}

/**
 * A frame refused at submit: a plain sentence that leads with the frame's label and names no body field, and the
 * technical words (the field, the status, the limit) in metadata.detail.
 */
async function expectFrameRefusal(res: { status: number; json: Json }, lead: string | RegExp, ...detailWords: (string | RegExp)[]) {
  await expectRefusal(res, 400, 'INVALID_REQUEST_BODY', lead)
  expect(res.json.message).toMatch(/^(First|Last) frame /)
  expect(res.json.message).not.toMatch(/image_url|image_base64|last_image/)
  const detail = (res.json.metadata as { detail?: unknown }).detail
  for (const w of detailWords) expect(detail).toMatch(w)
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'engine-test-'))
  dataDir = join(work, 'data')
  models = await loadCatalogue()
  await makeImage(join(work, 'first.png'), { width: 1280, height: 720, kind: 'png', pattern: 'boxes' })
  await makeImage(join(work, 'last.png'), { width: 1000, height: 700, kind: 'png', pattern: 'mandelbrot' })
  await makeImage(join(work, 'first.jpg'), { width: 900, height: 1400, kind: 'jpeg', pattern: 'bars' })
  files.first = { path: join(work, 'first.png'), b64: await b64(join(work, 'first.png')) }
  files.last = { path: join(work, 'last.png'), b64: await b64(join(work, 'last.png')) }
  files.jpeg = { path: join(work, 'first.jpg'), b64: await b64(join(work, 'first.jpg')) }
  server = await start({ LOCAL_ENGINE_DATA_DIR: dataDir })

  // A loopback stand-in for "an image somewhere on the web".
  const png = await readFile(files.first.path)
  stub = createServer((req, res) => {
    stubHits++
    if (req.url === '/ok.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(png)
    if (req.url === '/gif.png')
      return res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'))
    if (req.url === '/slow.png') return // never answers
    if (req.url === '/huge.png') {
      // No Content-Length: the engine must stop reading by itself.
      res.writeHead(200, { 'content-type': 'image/png' })
      const chunk = Buffer.alloc(1024 * 1024, 7)
      let sent = 0
      const more = () => {
        while (sent < 40 && res.write(chunk)) sent++
        if (sent >= 40) res.end()
        else res.once('drain', more)
      }
      res.on('error', () => {})
      more()
      return
    }
    res.writeHead(404).end('not here')
  })
  await new Promise<void>((r) => stub.listen(0, '127.0.0.1', r))
  stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`
})

afterAll(async () => {
  await server?.close()
  stub?.closeAllConnections()
  await new Promise((r) => stub?.close(r))
  await rm(work, { recursive: true, force: true })
})

describe('a first/last task (3.1), start to finish', () => {
  let id: string
  let snapshots: Json[]
  let video: string

  beforeAll(async () => {
    id = await submitOk(server.url, V31, body31({ seed: 7, negative_prompt: 'blur', person_generation: 'dont_allow' }))
    snapshots = await poll(server.url, id)
  })

  it('goes QUEUED → PROCESSING (rising progress, an eta) → SUCCEED', () => {
    const statuses = snapshots.map((s) => s.task.status as string)
    expect(statuses[0]).toBe('TASK_STATUS_QUEUED')
    const processing = snapshots.filter((s) => s.task.status === 'TASK_STATUS_PROCESSING')
    expect(processing.length).toBeGreaterThan(2)
    const progress = processing.map((s) => s.task.progress_percent as number)
    expect(progress.every((p, i) => i === 0 || p >= (progress[i - 1] as number))).toBe(true)
    expect(new Set(progress).size).toBeGreaterThan(2)
    expect(Math.max(...progress)).toBeLessThan(100)
    expect(processing.every((s) => typeof s.task.eta === 'number' && s.task.eta >= 0)).toBe(true)
    expect(processing.some((s) => s.task.eta > 0)).toBe(true)
    // Once processing, never back to queued; the end is final.
    const firstProcessing = statuses.indexOf('TASK_STATUS_PROCESSING')
    expect(statuses.slice(firstProcessing).includes('TASK_STATUS_QUEUED')).toBe(false)
    const last = snapshots.at(-1) as Json
    expect(last.task).toEqual({ task_id: id, status: 'TASK_STATUS_SUCCEED', reason: '', task_type: V31, eta: 0, progress_percent: 100 })
  })

  it('reports the contract shape, the seed and the honest labels in extra', () => {
    const last = snapshots.at(-1) as Json
    expect(last.videos).toHaveLength(1)
    const v = last.videos[0]
    expect(Object.keys(v).sort()).toEqual(['video_type', 'video_url', 'video_url_ttl'])
    expect(v.video_type).toBe('mp4')
    expect(v.video_url_ttl).toBeGreaterThan(3500)
    expect(v.video_url).toMatch(new RegExp(`^${server.url}/api/local/videos/${id}/0\\.mp4\\?expires=\\d+$`))
    expect(last.extra).toMatchObject({
      seed: '7',
      engine: 'local-preview',
      note: 'Local preview: motion from your frames, not AI.',
      negative_prompt: 'blur',
      person_generation: 'dont_allow',
    })
    expect(last.extra.motion).toHaveLength(1)
    expect(typeof last.extra.motion[0]).toBe('string')
    expect(last.extra.motion[0].length).toBeGreaterThan(0)
  })

  it('renders the requested size, length and silence, travelling from the first frame to the last', async () => {
    video = await download((snapshots.at(-1) as Json).videos[0].video_url, 'v31.mp4')
    const p = await probe(video)
    expect([p.width, p.height]).toEqual([1280, 720])
    expect(p.durationSeconds).toBeCloseTo(4, 1)
    expect(p.audioCodec).toBeNull()
    const first = await frameAt(video, 0, join(work, 'v31-0.png'))
    const last = await frameAt(video, 'last', join(work, 'v31-last.png'))
    const wantFirst = await fitCover(files.first.path, 1280, 720, join(work, 'want-first.png'))
    const wantLast = await fitCover(files.last.path, 1280, 720, join(work, 'want-last.png'))
    expect(await psnr(first, wantFirst)).toBeGreaterThan(28)
    expect(await psnr(last, wantLast)).toBeGreaterThan(28)
    // The measure can tell the pictures apart: the first frame is not the last picture.
    expect(await psnr(first, wantLast)).toBeLessThan(15)
  })

  it('serves byte ranges (206), refuses bad ones (416), with CORS and the mp4 type', async () => {
    const url = (snapshots.at(-1) as Json).videos[0].video_url as string
    const whole = await readFile(video)
    const full = await fetch(url)
    expect(full.headers.get('content-type')).toBe('video/mp4')
    expect(full.headers.get('accept-ranges')).toBe('bytes')
    expect(full.headers.get('access-control-allow-origin')).toBe('*')
    expect(Number(full.headers.get('content-length'))).toBe(whole.length)
    await full.arrayBuffer()
    const head = await fetch(url, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(Number(head.headers.get('content-length'))).toBe(whole.length)
    expect((await head.arrayBuffer()).byteLength).toBe(0)

    const mid = await fetch(url, { headers: { range: 'bytes=100-1099' } })
    expect(mid.status).toBe(206)
    expect(mid.headers.get('content-range')).toBe(`bytes 100-1099/${whole.length}`)
    expect(mid.headers.get('access-control-allow-origin')).toBe('*')
    expect(Buffer.from(await mid.arrayBuffer()).equals(whole.subarray(100, 1100))).toBe(true)

    const tail = await fetch(url, { headers: { range: 'bytes=-500' } })
    expect(tail.status).toBe(206)
    expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(whole.length - 500))).toBe(true)

    const open = await fetch(url, { headers: { range: `bytes=${whole.length - 10}-` } })
    expect(open.status).toBe(206)
    expect(Buffer.from(await open.arrayBuffer()).equals(whole.subarray(whole.length - 10))).toBe(true)

    for (const bad of [`bytes=${whole.length}-`, 'bytes=500-100', 'bytes=abc']) {
      const res = await fetch(url, { headers: { range: bad } })
      expect({ bad, status: res.status }).toEqual({ bad, status: 416 })
      expect(res.headers.get('content-range')).toBe(`bytes */${whole.length}`)
      expect(((await res.json()) as Json).code).toBe(416)
    }
  })

  it('builds video_url from the forwarded host and protocol (the Vite dev proxy)', async () => {
    const { json } = await result(server.url, id, { 'x-forwarded-host': 'studio.example:5173', 'x-forwarded-proto': 'https' })
    expect(json.videos[0].video_url).toMatch(new RegExp(`^https://studio\\.example:5173/api/local/videos/${id}/0\\.mp4\\?expires=\\d+$`))
  })

  it('answers a video URL that is not one it gave out with a contract 404', async () => {
    const url = new URL((snapshots.at(-1) as Json).videos[0].video_url as string)
    for (const path of [`${url.pathname}?expires=1`, url.pathname, url.pathname.replace('0.mp4', '1.mp4') + url.search]) {
      const res = await fetch(`${server.url}${path}`)
      expect({ path, status: res.status }).toEqual({ path, status: 404 })
      expect(((await res.json()) as Json).reason).toBe('NOT_FOUND')
    }
  })
})

describe('a 3.0 task', () => {
  // Portrait at 720p: 1080p's size is the catalogue's rule (src/models/effective.test.ts) and the renderer's
  // (render.test.ts renders 1080×1920); here it would only cost time.
  it('renders 9:16 with audio from a JPEG given with a data: prefix, starting on the frame', async () => {
    const id = await submitOk(
      server.url,
      V30,
      body30({
        image_base64: `data:image/jpeg;base64,${files.jpeg.b64}`,
        resolution: '720p',
        aspect_ratio: '9:16',
        generate_audio: true,
        seed: 11,
      }),
    )
    const done = await finished(server.url, id)
    expect(done.task.status).toBe('TASK_STATUS_SUCCEED')
    expect(done.extra.person_generation).toBe('allow_adult')
    expect(done.extra.negative_prompt).toBeUndefined()
    const video = await download(done.videos[0].video_url, 'v30.mp4')
    const p = await probe(video)
    expect([p.width, p.height]).toEqual([720, 1280])
    expect(p.durationSeconds).toBeCloseTo(4, 1)
    expect(p.audioCodec).not.toBeNull()
    const first = await frameAt(video, 0, join(work, 'v30-0.png'))
    expect(await psnr(first, await fitCover(files.jpeg.path, 720, 1280, join(work, 'want-jpeg.png')))).toBeGreaterThan(28)
  })
})

describe('determinism', () => {
  it('draws and reports a seed, and that seed reproduces the bytes; the samples of one task differ', async () => {
    const drawn = await finished(server.url, await submitOk(server.url, V31, body31({ sample_count: 2 })))
    expect(drawn.task.status).toBe('TASK_STATUS_SUCCEED')
    expect(drawn.extra.seed).toMatch(/^\d+$/)
    const seed = Number(drawn.extra.seed)
    expect(seed).toBeGreaterThanOrEqual(0)
    expect(seed).toBeLessThanOrEqual(4_294_967_295)
    expect(drawn.videos).toHaveLength(2)
    expect(drawn.extra.motion).toHaveLength(2)
    const a = await Promise.all(drawn.videos.map((v: Json, n: number) => download(v.video_url, `drawn-${n}.mp4`).then(sha256)))
    expect(a[0]).not.toBe(a[1])

    // The same body with the reported seed: the same bytes. One sample is enough to show it (a sample depends on the
    // seed and its index only; render.test.ts repeats whole renders).
    const done = await finished(server.url, await submitOk(server.url, V31, body31({ sample_count: 1, seed })))
    expect(done.extra.seed).toBe(String(seed))
    expect(await sha256(await download(done.videos[0].video_url, 'again-0.mp4'))).toBe(a[0])
  })
})

describe('refusals at submit time', () => {
  it('refuses bad parameters with INVALID_REQUEST_BODY naming the field', async () => {
    const before = await tasksOnDisk()
    const { prompt: _, ...noPrompt } = body31()
    await expectRefusal(await submit(server.url, V31, noPrompt), 400, 'INVALID_REQUEST_BODY', /prompt/)
    await expectRefusal(await submit(server.url, V31, body31({ prompt: '   ' })), 400, 'INVALID_REQUEST_BODY', /prompt is required/)
    await expectRefusal(
      await submit(server.url, V31, body31({ duration_seconds: 5 })),
      400,
      'INVALID_REQUEST_BODY',
      /duration_seconds/,
      /4, 6, 8/,
    )
    await expectRefusal(await submit(server.url, V31, body31({ resolution: '4k' })), 400, 'INVALID_REQUEST_BODY', /resolution/)
    await expectRefusal(await submit(server.url, V31, body31({ seed: 4_294_967_296 })), 400, 'INVALID_REQUEST_BODY', /seed/, /4294967295/)
    await expectRefusal(await submit(server.url, V31, body31({ seed: -1 })), 400, 'INVALID_REQUEST_BODY', /seed/)
    await expectRefusal(await submit(server.url, V31, body31({ colour: 'red' })), 400, 'INVALID_REQUEST_BODY', /colour/)
    const { generate_audio: __, ...noAudio } = body30()
    await expectRefusal(await submit(server.url, V30, noAudio), 400, 'INVALID_REQUEST_BODY', /generate_audio/)
    const { last_image: ___, ...noLast } = body31()
    await expectRefusal(await submit(server.url, V31, noLast), 400, 'INVALID_REQUEST_BODY', /last_image/)
    await expectRefusal(await submit(server.url, V31, '{"prompt": '), 400, 'INVALID_REQUEST_BODY', /not valid JSON/)
    await expectRefusal(await submit(server.url, V31, ''), 400, 'INVALID_REQUEST_BODY', /empty/)
    await expectRefusal(await submit(server.url, V31, '[1,2]'), 400, 'INVALID_REQUEST_BODY', /JSON object/)
    // Found by the library fuzz: a value nested 10,000 deep overflowed the stack of the schema's message (a 500).
    const deep = `{"prompt": "x", "duration_seconds": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`
    await expectRefusal(await submit(server.url, V31, deep), 400, 'INVALID_REQUEST_BODY', /^duration_seconds is nested more than 32 levels/)
    expect(await tasksOnDisk()).toBe(before)
  })

  it('judges frames by their bytes, size and whether they decode', async () => {
    const before = await tasksOnDisk()
    const gif = Buffer.from(
      'GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x00\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;',
      'latin1',
    )
    await expectFrameRefusal(
      await submit(server.url, V31, body31({ last_image: `data:image/png;base64,${gif.toString('base64')}` })),
      'Last frame is a GIF. Use a JPEG or PNG.',
      'last_image is a GIF: use a JPEG or PNG',
    )
    const png = await readFile(files.first.path)
    const huge = Buffer.concat([png, Buffer.alloc(MAX_IMAGE_BYTES + 1 - png.length)])
    await expectFrameRefusal(
      await submit(server.url, V31, body31({ image: huge.toString('base64') })),
      'First frame is over 20 MB. Use a smaller JPEG or PNG.',
      /^image /,
      /20 MB/,
    )
    const truncated = png.subarray(0, Math.floor(png.length / 2))
    await expectFrameRefusal(
      await submit(server.url, V31, body31({ image: truncated.toString('base64') })),
      /^First frame looks truncated or damaged\./,
      /^image /,
      /cannot be decoded/,
    )
    await expectFrameRefusal(
      await submit(server.url, V30, body30({ image_base64: 'not base64 at all!' })),
      /^First frame is neither a link nor a picture file\./,
      /image_base64/,
    )
    await expectFrameRefusal(
      await submit(server.url, V30, body30({ image_base64: Buffer.from('hello world, plain text').toString('base64') })),
      /^First frame is .*\. Use a JPEG or PNG\.$/,
      /image_base64/,
      /JPEG or PNG/,
    )
    expect(await tasksOnDisk()).toBe(before)
  })

  it('fetches frames by URL, and names the field and the status, timeout or size when that fails', async () => {
    // Accepted (the marker keeps the render away; the frame was still fetched and decoded).
    const ok = await submitOk(server.url, V30, {
      ...body30({ prompt: 'url frame [engine:empty]' }),
      image_base64: undefined,
      image_url: `${stubUrl}/ok.png`,
    })
    expect((await finished(server.url, ok)).task.status).toBe('TASK_STATUS_SUCCEED')
    const okAny = await submitOk(server.url, V31, body31({ prompt: 'url frames [engine:empty]', last_image: `${stubUrl}/ok.png` }))
    expect((await finished(server.url, okAny)).task.status).toBe('TASK_STATUS_SUCCEED')

    const url30 = (path: string) => ({ ...body30(), image_base64: undefined, image_url: `${stubUrl}${path}` })
    const unreachable = "First frame can't be reached at its link. Check the link, or drop the file instead."
    await expectFrameRefusal(await submit(server.url, V30, url30('/missing.png')), unreachable, /^image_url /, /HTTP 404/)
    await expectFrameRefusal(
      await submit(server.url, V31, body31({ last_image: `${stubUrl}/missing.png` })),
      /^Last frame can't be reached at its link\./,
      /^last_image /,
      /HTTP 404/,
    )
    await expectFrameRefusal(
      await submit(server.url, V30, url30('/gif.png')),
      'First frame is a GIF. Use a JPEG or PNG.',
      'image_url is a GIF: use a JPEG or PNG',
    )
    await expectFrameRefusal(await submit(server.url, V30, url30('/huge.png')), /^First frame is over 20 MB\./, /^image_url /, /20 MB/)
    await expectFrameRefusal(await submit(server.url, V30, url30('/slow.png')), unreachable, /^image_url /, /within 1 s/)
    await expectFrameRefusal(
      await submit(server.url, V30, { ...url30('/ok.png'), image_url: 'http://127.0.0.1:1/closed.png' }),
      unreachable,
      /^image_url could not be fetched/,
    )
  })

  it('without LOCAL_ENGINE_ALLOW_PRIVATE_URLS, refuses frame URLs on loopback, naming the field, and fetches nothing', async () => {
    const strict = await start({ LOCAL_ENGINE_DATA_DIR: join(work, 'strict'), LOCAL_ENGINE_ALLOW_PRIVATE_URLS: '' })
    try {
      const before = stubHits
      const port = new URL(stubUrl).port
      await expectFrameRefusal(
        await submit(strict.url, V30, { ...body30(), image_base64: undefined, image_url: `${stubUrl}/ok.png` }),
        /^First frame points inside a private network/,
        'image_url points at a private or loopback address (127.0.0.1): use a public URL or send the image as base64',
      )
      await expectFrameRefusal(
        await submit(strict.url, V31, body31({ last_image: `http://localhost:${port}/ok.png` })),
        /^Last frame points inside a private network/,
        /^last_image points at a private or loopback address \((127\.0\.0\.1|::1)\)/,
      )
      await expectFrameRefusal(
        await submit(strict.url, V31, body31({ image: 'http://169.254.169.254/latest/meta-data/' })),
        /^First frame points inside a private network/,
        /^image points at a private/,
      )
      expect(stubHits).toBe(before)
    } finally {
      await strict.close()
    }
  })

  it('refuses an unknown model, and unknown or missing task ids, in the contract shape', async () => {
    await expectRefusal(await submit(server.url, 'veo-9-imaginary', body31()), 404, 'MODEL_NOT_FOUND', /veo-9-imaginary/)
    await expectRefusal(await result(server.url, '00000000-0000-4000-8000-000000000000'), 404, 'TASK_NOT_FOUND')
    await expectRefusal(await result(server.url, '../../etc/passwd'), 404, 'TASK_NOT_FOUND')
    const missing = await fetch(`${server.url}/api/local/v3/async/task-result`)
    expect(missing.headers.get('content-type')).toMatch(/application\/json/)
    await expectRefusal({ status: missing.status, json: (await missing.json()) as Json }, 400, 'INVALID_REQUEST_BODY', /task_id/)
  })
})

describe('failure states on purpose', () => {
  it('[engine:fail] ends FAILED with the stated reason', async () => {
    const snaps = await poll(server.url, await submitOk(server.url, V31, body31({ prompt: 'show me a failure [engine:fail]' })))
    const last = snaps.at(-1) as Json
    expect(snaps[0]?.task.status).toBe('TASK_STATUS_QUEUED')
    expect(snaps.some((s) => s.task.status === 'TASK_STATUS_PROCESSING')).toBe(true)
    expect(last.task.status).toBe('TASK_STATUS_FAILED')
    expect(last.task.reason).toBe(FAIL_REASON)
    expect(last.task.reason).toBe('Local engine: failure requested by [engine:fail] in the prompt.')
    expect(last.videos).toEqual([])
  })

  it('[engine:empty] ends SUCCEED with no videos', async () => {
    const last = await finished(server.url, await submitOk(server.url, V31, body31({ prompt: 'nothing comes back [engine:empty]' })))
    expect(last.task.status).toBe('TASK_STATUS_SUCCEED')
    expect(last.task.reason).toBe('')
    expect(last.videos).toEqual([])
  })
})

describe('one worker, a one-second TTL', () => {
  let small: RunningServer
  beforeAll(async () => {
    small = await start({ LOCAL_ENGINE_DATA_DIR: join(work, 'small'), LOCAL_ENGINE_WORKERS: '1', LOCAL_ENGINE_TTL_SECONDS: '1' })
  })
  afterAll(async () => {
    await small?.close()
  })

  it('keeps the second task QUEUED while the first renders, then runs it; URLs and tasks expire after the TTL', async () => {
    const first = await submitOk(small.url, V31, body31())
    const second = await submitOk(small.url, V31, body31({ prompt: 'second in line [engine:empty]' }))
    await poll(small.url, first, (r) => r.task.status === 'TASK_STATUS_PROCESSING' && r.task.progress_percent > 0)
    // Well past the pacing, the second still waits for the only worker.
    await new Promise((r) => setTimeout(r, 300))
    const waiting = (await result(small.url, second)).json
    expect((await result(small.url, first)).json.task.status).toBe('TASK_STATUS_PROCESSING')
    expect(waiting.task.status).toBe('TASK_STATUS_QUEUED')
    expect(waiting.task.progress_percent).toBe(0)

    const done = await finished(small.url, first)
    expect(done.task.status).toBe('TASK_STATUS_SUCCEED')
    const url = done.videos[0].video_url as string
    expect(done.videos[0].video_url_ttl).toBeLessThanOrEqual(1)
    const fresh = await fetch(url)
    expect(fresh.status).toBe(200)
    await fresh.arrayBuffer()
    // Then it runs. (Whether a poll catches it PROCESSING depends on timing: an empty render is over in its 100 ms of
    // pacing, which may pass while the first video downloads above.)
    const secondSnaps = await poll(small.url, second)
    expect(secondSnaps.at(-1)?.task.status).toBe('TASK_STATUS_SUCCEED')

    await new Promise((r) => setTimeout(r, 1100))
    const stale = await fetch(url)
    expect(stale.status).toBe(404)
    expect(stale.headers.get('access-control-allow-origin')).toBe('*')
    expect(((await stale.json()) as Json).reason).toBe('NOT_FOUND')
    await expectRefusal(await result(small.url, first), 404, 'TASK_NOT_FOUND', /expired/)
  })
})

describe('a gateway restart', () => {
  it('keeps finished tasks, and renders the one it cut short again from its frames', async () => {
    // Something finished before the restart: the 3.0 fail and empty tasks above, and a fresh one here.
    const kept = await submitOk(server.url, V31, body31({ prompt: 'kept [engine:empty]' }))
    const keptBefore = await finished(server.url, kept)
    const rendering = await submitOk(server.url, V31, body31({ seed: 3 }))
    await poll(server.url, rendering, (r) => r.task.status === 'TASK_STATUS_PROCESSING')
    await server.close()

    server = await start({ LOCAL_ENGINE_DATA_DIR: dataDir })
    const keptAfter = (await result(server.url, kept)).json
    expect(keptAfter.task).toEqual(keptBefore.task)
    expect(keptAfter.extra.seed).toBe(keptBefore.extra.seed)
    // The id the studio holds is still a task: queued again, then done, with the seed it was given.
    expect(['TASK_STATUS_QUEUED', 'TASK_STATUS_PROCESSING']).toContain((await result(server.url, rendering)).json.task.status)
    const again = await finished(server.url, rendering)
    expect(again.task.status).toBe('TASK_STATUS_SUCCEED')
    expect(again.extra.seed).toBe('3')
    expect(again.videos).toHaveLength(1)
  })

  it('still serves the videos of tasks finished before it', async () => {
    const dirs = (await readdir(join(dataDir, 'tasks'))).filter((d) => /^[0-9a-f-]{36}$/.test(d))
    let served = 0
    for (const id of dirs) {
      const { json } = await result(server.url, id)
      for (const v of (json.videos ?? []) as Json[]) {
        const res = await fetch(v.video_url, { headers: { range: 'bytes=0-7' } })
        expect(res.status).toBe(206)
        expect(Buffer.from(await res.arrayBuffer()).toString('latin1', 4, 8)).toBe('ftyp')
        served++
      }
    }
    expect(served).toBeGreaterThan(0)
  })
})
