// Renders one local motion preview sample: the still(s) fitted to the frame, a seeded camera move inside the picture, an optional
// transition to the last frame and an optional seeded ambient track, as a deterministic H.264 MP4 via ffmpeg.
import { spawn } from 'node:child_process'
import { rename, rm } from 'node:fs/promises'
import { coverFilter, findTools } from './ffmpeg.ts'
import { insidePicture, mulberry32, planMotion } from './motion.ts'
import type { Easing, MotionPlan, Pose } from './motion.ts'

export interface RenderRequest {
  first: string
  last?: string
  width: number
  height: number
  durationSeconds: number
  seed: number
  sampleIndex: number
  prompt: string
  audio: boolean
  outFile: string
  signal?: AbortSignal
  onProgress?: (fraction: number) => void
}

export interface RenderResult {
  motion: MotionPlan
}

export const FPS = 24
const SIZES = ['1280x720', '720x1280', '1920x1080', '1080x1920']
const RATE = 48_000
// HD video is BT.709; untagged BT.601 (swscale's default) plays with shifted colours in browsers.
const TO_YUV = 'scale=out_color_matrix=bt709:out_range=tv,format=yuv420p'
const COLOUR_TAGS = ['-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv']

/** Numbers for ffmpeg expressions: fixed notation, never "1e-7". */
const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(9))
const secs = (frames: number) => num(frames / FPS)

function easeExpr(e: Easing, q: string): string {
  switch (e) {
    case 'linear':
      return q
    case 'ease-in-out':
      return `${q}*${q}*(3-2*${q})`
    case 'ease-out':
      return `1-(1-${q})*(1-${q})`
  }
}

interface Layer {
  input: number
  from: Pose
  to: Pose
}

/**
 * The camera of one layer over the frames [start, start + count): perspective maps the fitted picture so that the
 * view fills the output, with sub-pixel precision (zoompan rounds its crop to whole pixels and jitters). Every pose
 * lies inside the picture (motion.ts), so the output never reaches past its edges. At the identity pose the map is
 * the identity, so the first (or last) frame is the fitted picture itself.
 */
function cameraFilter(layer: Layer, plan: MotionPlan, o: { width: number; height: number; frames: number; start: number }): string {
  const { from, to } = layer
  if (from.zoom === 1 && to.zoom === 1 && from.x === 0 && to.x === 0 && from.y === 0 && to.y === 0) return 'null'
  // perspective's `in` counts from 1.
  const q = `ld(0)`
  const p = `st(0,(in-1+${o.start})/${o.frames - 1});st(0,${easeExpr(plan.easing, q)});st(1,exp(${num(Math.log(from.zoom))}*(1-ld(0))+${num(Math.log(to.zoom))}*ld(0)))`
  const cx = `(${o.width / 2}+(${num(from.x)}*(1-ld(0))+${num(to.x)}*ld(0))*${o.width})`
  const cy = `(${o.height / 2}+(${num(from.y)}*(1-ld(0))+${num(to.y)}*ld(0))*${o.height})`
  const left = `${o.width / 2}-${cx}*ld(1)`
  const top = `${o.height / 2}-${cy}*ld(1)`
  const right = `${left}+${o.width}*ld(1)`
  const bottom = `${top}+${o.height}*ld(1)`
  const corners = { x0: left, y0: top, x1: right, y1: top, x2: left, y2: bottom, x3: right, y3: bottom }
  const args = Object.entries(corners).map(([k, v]) => `${k}='${p};${v}'`)
  return `perspective=${args.join(':')}:sense=destination:eval=frame:interpolation=linear`
}

interface Segment {
  start: number
  count: number
}

function videoGraph(req: RenderRequest, plan: MotionPlan, frames: number): string {
  const { width, height } = req
  const layers: Layer[] = [{ input: 0, from: plan.firstStart, to: plan.firstEnd }]
  if (plan.lastStart) layers.push({ input: 1, from: plan.lastStart, to: { zoom: 1, x: 0, y: 0 } })
  // A pose outside the picture would show what lies past its edge: a bug in the plan, not something to draw.
  for (const l of layers)
    if (!insidePicture(l.from) || !insidePicture(l.to)) throw new Error(`camera leaves the picture: ${JSON.stringify(l)}`)

  // Which frames each layer is needed for: each segment below renders only the layers it shows.
  const [a, b] = plan.window ?? [1, 1]
  const s = Math.min(Math.max(Math.round(a * frames), 1), frames - 2)
  const e = Math.min(Math.max(Math.round(b * frames), s + 1), frames - 1)
  const m = Math.round((s + e) / 2)
  const uses: Segment[][] = !plan.lastStart
    ? [[{ start: 0, count: frames }]]
    : plan.transition === 'dip'
      ? [[{ start: 0, count: m }], [{ start: m, count: frames - m }]]
      : [
          [
            { start: 0, count: s },
            { start: s, count: e - s },
          ],
          [
            { start: s, count: e - s },
            { start: e, count: frames - e },
          ],
        ]

  const parts: string[] = []
  layers.forEach((layer, i) => {
    const segs = uses[i] ?? []
    const outs = segs.map((_, k) => `[c${i}_${k}]`).join('')
    parts.push(`[${layer.input}:v]${coverFilter(width, height)},${TO_YUV},split=${segs.length}${outs}`)
    segs.forEach((seg, k) => {
      const cam = cameraFilter(layer, plan, { width, height, frames, start: seg.start })
      parts.push(`[c${i}_${k}]loop=loop=${seg.count - 1}:size=1,setpts=N/(${FPS}*TB),${cam}[l${i}_${k}]`)
    })
  })

  if (!plan.lastStart) {
    parts.push(`[l0_0]format=yuv420p[v]`)
  } else if (plan.transition === 'dip') {
    parts.push(`[l0_0]fade=t=out:st=${secs(s)}:d=${secs(m - s)}[d0]`)
    parts.push(`[l1_0]fade=t=in:st=0:d=${secs(e - m)}[d1]`)
    parts.push(`[d0][d1]concat=n=2:v=1:a=0,setpts=N/(${FPS}*TB),format=yuv420p[v]`)
  } else {
    parts.push(`[l1_0]format=yuva420p,fade=t=in:st=0:d=${secs(e - s)}:alpha=1[x1]`)
    parts.push(`[l0_1][x1]overlay=0:0:format=yuv420,format=yuv420p[x]`)
    parts.push(`[l0_0][x][l1_1]concat=n=3:v=1:a=0,setpts=N/(${FPS}*TB),format=yuv420p[v]`)
  }
  return parts.join(';')
}

/** A quiet seeded ambience: filtered noise under two soft tones, faded at both ends, cut to the exact length. */
function audioGraph(req: RenderRequest): string {
  const rnd = mulberry32((req.seed ^ Math.imul(req.sampleIndex + 7, 0x85ebca6b)) >>> 0)
  const d = req.durationSeconds
  const tones = [110, 130.81, 146.83, 164.81, 196, 220, 261.63, 293.66]
  const t1 = tones[Math.floor(rnd() * tones.length)] ?? 110
  const t2 = tones[Math.floor(rnd() * tones.length)] ?? 220
  const noiseSeed = Math.floor(rnd() * 2 ** 31)
  const colour = rnd() < 0.5 ? 'pink' : 'brown'
  const lowpass = Math.round(400 + 1200 * rnd())
  const wobble = 0.1 + 0.3 * rnd()
  // The slow swell comes from a second, slightly detuned tone beating against the first: the 2018 ffmpeg's
  // tremolo filter corrupts its heap at such low rates.
  return [
    `anoisesrc=r=${RATE}:d=${d}:c=${colour}:a=0.4:seed=${noiseSeed},highpass=f=60,lowpass=f=${lowpass}[n]`,
    `sine=f=${t1}:r=${RATE}:d=${d},volume=0.05[t1]`,
    `sine=f=${num(t1 + wobble)}:r=${RATE}:d=${d},volume=0.05[t1b]`,
    `sine=f=${t2 * 2}:r=${RATE}:d=${d},volume=0.04[t2]`,
    `[n][t1][t1b][t2]amix=inputs=4:duration=first,volume=2.5,afade=t=in:d=0.5,afade=t=out:st=${d - 0.8}:d=0.8,` +
      `atrim=end_sample=${d * RATE},aformat=sample_fmts=fltp:channel_layouts=stereo[a]`,
  ].join(';')
}

export function buildArgs(req: RenderRequest, plan: MotionPlan, out: string): string[] {
  const frames = req.durationSeconds * FPS
  const inputs = [req.first, ...(req.last ? [req.last] : [])].flatMap((f) => ['-i', f])
  const graph = [videoGraph(req, plan, frames), ...(req.audio ? [audioGraph(req)] : [])].join(';')
  const audio = req.audio ? ['-map', '[a]', '-c:a', 'aac', '-b:a', '128k', '-ar', String(RATE)] : ['-an']
  return [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-loglevel',
    'error',
    '-nostats',
    '-progress',
    'pipe:1',
    ...inputs,
    '-filter_complex',
    graph,
    '-map',
    '[v]',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '21',
    '-profile:v',
    'high',
    '-pix_fmt',
    'yuv420p',
    ...COLOUR_TAGS,
    // A fixed thread count keeps x264's output identical from run to run; a keyframe every 2 s keeps seeking cheap.
    // No -frames:v: reaching it ends the whole file and cuts the audio short; the graph makes exactly `frames`.
    '-threads',
    '2',
    '-g',
    '48',
    '-r',
    String(FPS),
    ...audio,
    '-t',
    String(req.durationSeconds),
    '-map_metadata',
    '-1',
    '-map_chapters',
    '-1',
    '-fflags',
    '+bitexact',
    '-flags:v',
    '+bitexact',
    '-flags:a',
    '+bitexact',
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    out,
  ]
}

function validate(req: RenderRequest): void {
  if (!SIZES.includes(`${req.width}x${req.height}`)) throw new Error(`unsupported size ${req.width}x${req.height}`)
  if (![4, 6, 8].includes(req.durationSeconds)) throw new Error(`unsupported duration ${req.durationSeconds}`)
  if (!Number.isInteger(req.seed) || req.seed < 0 || req.seed > 0xffffffff) throw new Error(`bad seed ${req.seed}`)
  if (!Number.isInteger(req.sampleIndex) || req.sampleIndex < 0 || req.sampleIndex > 3)
    throw new Error(`bad sample index ${req.sampleIndex}`)
}

function runFfmpeg(bin: string, args: string[], frames: number, req: RenderRequest): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], signal: req.signal, killSignal: 'SIGKILL' })
    let stderr = ''
    let pending = ''
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000)
    })
    child.stdout.on('data', (d: Buffer) => {
      pending += d.toString()
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        const frame = /^frame=(\d+)/.exec(line)
        if (frame?.[1]) req.onProgress?.(Math.min(1, Number(frame[1]) / frames))
      }
    })
    child.on('error', reject)
    child.on('close', (code, sig) => {
      if (code === 0) resolve()
      else reject(new Error(`ffmpeg failed (${sig ?? `exit ${code}`}): ${stderr.trim()}`))
    })
  })
}

export async function renderSample(req: RenderRequest): Promise<RenderResult> {
  validate(req)
  req.signal?.throwIfAborted()
  const motion = planMotion({ prompt: req.prompt, seed: req.seed, sampleIndex: req.sampleIndex, hasLast: Boolean(req.last) })
  const { ffmpeg } = await findTools()
  const frames = req.durationSeconds * FPS
  // Written beside the target and renamed at the end, so a reader never sees half a video.
  const partial = `${req.outFile}.partial`
  try {
    await runFfmpeg(ffmpeg, buildArgs(req, motion, partial), frames, req)
    await rename(partial, req.outFile)
  } catch (err) {
    await rm(partial, { force: true })
    throw err
  }
  req.onProgress?.(1)
  return { motion }
}
