import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { consecutivePsnr, ffmpeg, fitCover, frameAt, makeImage, probe, psnr, sha256 } from '../testing/media.ts'
import { FPS, renderSample } from './render.ts'
import type { RenderRequest } from './render.ts'

let dir = ''
let first = ''
let last = ''
let n = 0
const out = () => join(dir, `out-${n++}.mp4`)
const png = (name: string) => join(dir, `${name}-${n++}.png`)

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'render-test-'))
  // Odd sizes, one landscape PNG and one portrait JPEG: the cover crop has to handle both.
  first = await makeImage(join(dir, 'first.png'), { width: 1001, height: 667, kind: 'png', pattern: 'testsrc2' })
  last = await makeImage(join(dir, 'last.jpg'), { width: 641, height: 963, kind: 'jpeg', pattern: 'boxes' })
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function request(over: Partial<RenderRequest> = {}): RenderRequest {
  return {
    first,
    width: 1280,
    height: 720,
    durationSeconds: 4,
    seed: 1234,
    sampleIndex: 0,
    prompt: '',
    audio: false,
    outFile: out(),
    ...over,
  }
}

/** PSNR of a video frame against an input still fitted the way the renderer fits it. */
async function likeness(video: string, frame: number | 'last', still: string, w: number, h: number): Promise<number> {
  const v = await psnr(await frameAt(video, frame, png('frame')), await fitCover(still, w, h, png('fit')))
  if (process.env.SHOW_PSNR) console.log(frame, still.slice(-9), v.toFixed(2))
  return v
}

async function expectFormat(file: string, w: number, h: number, seconds: number, audio: boolean) {
  const p = await probe(file)
  expect(p.videoCodec).toBe('h264')
  expect(p.pixFmt).toBe('yuv420p')
  expect([p.width, p.height]).toEqual([w, h])
  expect(p.fps).toBe(FPS)
  expect(p.frames).toBe(seconds * FPS)
  expect(Math.abs(p.durationSeconds - seconds)).toBeLessThanOrEqual(1 / FPS)
  expect(Math.abs(p.videoDurationSeconds - seconds)).toBeLessThanOrEqual(1 / FPS)
  expect(p.moovBeforeMdat).toBe(true)
  expect(p.audioStreams).toBe(audio ? 1 : 0)
  expect(p.audioCodec).toBe(audio ? 'aac' : null)
  const audioError = p.audioDurationSeconds === null ? 0 : Math.abs(p.audioDurationSeconds - seconds)
  expect(audioError).toBeLessThanOrEqual(1 / FPS)
}

describe('renderSample', () => {
  it('renders a single image: exact format, starts on the fitted still, then moves', async () => {
    const req = request({ prompt: 'slow zoom in on the bars', audio: true })
    const fractions: number[] = []
    const { motion } = await renderSample({ ...req, onProgress: (f) => fractions.push(f) })
    expect(motion.move).toBe('zoom-in')
    expect(motion.summary).toMatch(/^slow zoom in/)
    await expectFormat(req.outFile, 1280, 720, 4, true)
    expect(await likeness(req.outFile, 0, first, 1280, 720)).toBeGreaterThanOrEqual(30)
    expect(await likeness(req.outFile, 'last', first, 1280, 720)).toBeLessThan(25)
    expect(fractions.length).toBeGreaterThan(0)
    expect(fractions.at(-1)).toBe(1)
    expect(fractions.every((f, i) => f >= 0 && f <= 1 && f >= (fractions[i - 1] ?? 0))).toBe(true)
    expect(existsSync(`${req.outFile}.partial`)).toBe(false)
  })

  it('moves smoothly, without whole-pixel jitter', async () => {
    const req = request({ prompt: 'slow zoom in, linear' })
    await renderSample(req)
    const steps = (await consecutivePsnr(req.outFile)).slice(4, 90)
    expect(steps.length).toBe(86)
    // Measured on this clip with both ffmpegs: 41.4 dB at worst and 0.3-0.4 dB mean change between steps;
    // zoompan's whole-pixel crop on a similar zoom gives 33.7 dB and 1.6 dB.
    expect(Math.min(...steps)).toBeGreaterThanOrEqual(39)
    const unevenness = steps.slice(1).reduce((sum, v, i) => sum + Math.abs(v - (steps[i] ?? v)), 0) / (steps.length - 1)
    expect(unevenness).toBeLessThan(0.9)
    // It is moving, not standing still.
    expect(Math.max(...steps)).toBeLessThan(55)
  })

  it('zooms out inside the picture: from a centred close-up to the exact still, with no border around it', async () => {
    const req = request({ prompt: 'zoom out', first: last })
    const { motion } = await renderSample(req)
    expect(motion.firstStart.zoom).toBeGreaterThan(1)
    expect(motion.firstEnd).toEqual({ zoom: 1, x: 0, y: 0 })
    await expectFormat(req.outFile, 1280, 720, 4, false)
    // The first frame is the middle of the fitted still, enlarged: no dimmed or blurred copy of it around the edges.
    const fitted = await fitCover(last, 1280, 720, png('fit'))
    const cw = Math.round(1280 / motion.firstStart.zoom)
    const ch = Math.round(720 / motion.firstStart.zoom)
    const closeUp = png('close-up')
    await ffmpeg(['-i', fitted, '-vf', `crop=${cw}:${ch},scale=1280:720:flags=bilinear`, '-frames:v', '1', closeUp])
    expect(await psnr(await frameAt(req.outFile, 0, png('frame')), closeUp)).toBeGreaterThanOrEqual(26)
    expect(await likeness(req.outFile, 0, last, 1280, 720)).toBeLessThan(25)
    // And it ends on the whole still, edge to edge: the old frame-in-a-frame would fail here.
    expect(await likeness(req.outFile, 'last', last, 1280, 720)).toBeGreaterThanOrEqual(30)
  })

  for (const prompt of ['crossfade, zoom in', 'the day morphs into night, zoom out', 'dip to black, pan right', 'static, cross-fade']) {
    it(`first/last (${prompt}): starts on the first, ends on the last, travels between`, async () => {
      const req = request({ prompt, last })
      const { motion } = await renderSample(req)
      expect(motion.transition).not.toBeNull()
      await expectFormat(req.outFile, 1280, 720, 4, false)
      expect(await likeness(req.outFile, 0, first, 1280, 720)).toBeGreaterThanOrEqual(30)
      expect(await likeness(req.outFile, 'last', last, 1280, 720)).toBeGreaterThanOrEqual(30)
      const middle = Math.round(((motion.window?.[0] ?? 0.5) + (motion.window?.[1] ?? 0.5)) * 48)
      expect(await likeness(req.outFile, middle, first, 1280, 720)).toBeLessThan(22)
      expect(await likeness(req.outFile, middle, last, 1280, 720)).toBeLessThan(22)
    })
  }

  it('renders 1080p portrait, 8 s, with audio', async () => {
    const req = request({ width: 1080, height: 1920, durationSeconds: 8, last, audio: true, prompt: 'push in' })
    await renderSample(req)
    await expectFormat(req.outFile, 1080, 1920, 8, true)
    expect(await likeness(req.outFile, 0, first, 1080, 1920)).toBeGreaterThanOrEqual(30)
    expect(await likeness(req.outFile, 'last', last, 1080, 1920)).toBeGreaterThanOrEqual(30)
  }, 120_000)

  it('is byte-for-byte deterministic, and samples and seeds differ', async () => {
    const base = request({ last, audio: true, prompt: 'a harbour at dawn' })
    const a = { ...base, outFile: out() }
    const b = { ...base, outFile: out() }
    const c = { ...base, outFile: out(), sampleIndex: 1 }
    const d = { ...base, outFile: out(), seed: 1235 }
    for (const r of [a, b, c, d]) await renderSample(r)
    const [ha, hb, hc, hd] = await Promise.all([a, b, c, d].map((r) => sha256(r.outFile)))
    expect(ha).toBe(hb)
    expect(hc).not.toBe(ha)
    expect(hd).not.toBe(ha)
    expect(hd).not.toBe(hc)
  }, 120_000)

  it('stops ffmpeg when aborted and leaves no file behind', async () => {
    const ac = new AbortController()
    const req = request({ width: 1920, height: 1080, durationSeconds: 8, last, audio: true, signal: ac.signal })
    const started = Date.now()
    const run = renderSample({ ...req, onProgress: () => ac.abort() })
    await expect(run).rejects.toThrow(/abort/i)
    expect(Date.now() - started).toBeLessThan(5000)
    expect(existsSync(req.outFile)).toBe(false)
    expect((await readdir(dir)).some((f) => f.endsWith('.partial'))).toBe(false)
  })

  it('refuses sizes and durations outside the contract', async () => {
    await expect(renderSample(request({ width: 1000 }))).rejects.toThrow(/size/)
    await expect(renderSample(request({ durationSeconds: 5 }))).rejects.toThrow(/duration/)
  })
})
