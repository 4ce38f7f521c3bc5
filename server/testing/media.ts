// Media helpers for tests: generate stills, probe renders, grab frames and compare images with ffmpeg itself.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { coverFilter, findTools } from '../engine/ffmpeg.ts'

const run = promisify(execFile)
const big = { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }

export type Pattern = 'testsrc2' | 'mandelbrot' | 'boxes' | 'bars'

export interface ImageSpec {
  width: number
  height: number
  kind: 'png' | 'jpeg'
  /** Patterns differ strongly from one another, so a first and a last frame are easy to tell apart. */
  pattern: Pattern
}

function source(p: Pattern, w: number, h: number): string {
  switch (p) {
    case 'testsrc2':
      return `testsrc2=s=${w}x${h}:r=1`
    case 'mandelbrot':
      return `mandelbrot=s=${w}x${h}:r=1`
    case 'bars':
      return `smptehdbars=s=${w}x${h}:r=1`
    case 'boxes':
      // Sharp edges at known fractions of the frame: a wrong crop or a drifting frame shows up in PSNR.
      return [
        `color=c=0x1d3557:s=${w}x${h}:r=1`,
        'drawbox=x=iw*0.08:y=ih*0.10:w=iw*0.30:h=ih*0.35:c=0xe63946:t=fill',
        'drawbox=x=iw*0.55:y=ih*0.20:w=iw*0.25:h=ih*0.55:c=0xf1faee:t=fill',
        'drawbox=x=iw*0.20:y=ih*0.62:w=iw*0.28:h=ih*0.25:c=0xa8dadc:t=fill',
        'drawbox=x=iw*0.84:y=ih*0.05:w=iw*0.10:h=ih*0.90:c=0xffb703:t=fill',
      ].join(',')
  }
}

export async function ffmpeg(args: string[]): Promise<string> {
  const { ffmpeg: bin } = await findTools()
  const { stderr } = await run(bin, ['-hide_banner', '-nostdin', '-y', ...args], big)
  return stderr
}

/** A still image of any size (odd sizes too), as PNG or baseline JPEG. */
export async function makeImage(path: string, spec: ImageSpec): Promise<string> {
  const codec = spec.kind === 'png' ? ['-c:v', 'png', '-pix_fmt', 'rgb24'] : ['-c:v', 'mjpeg', '-pix_fmt', 'yuvj444p', '-q:v', '2']
  await ffmpeg(['-f', 'lavfi', '-i', source(spec.pattern, spec.width, spec.height), '-frames:v', '1', ...codec, '-f', 'image2', path])
  return path
}

export interface Probe {
  width: number
  height: number
  fps: number
  /** Decoded video frames, counted, not taken from the header. */
  frames: number
  /** The container's duration. */
  durationSeconds: number
  videoDurationSeconds: number
  videoCodec: string
  pixFmt: string
  audioCodec: string | null
  audioStreams: number
  audioDurationSeconds: number | null
  /** 'avc1' and friends; the brand and the moov position tell whether +faststart was applied. */
  moovBeforeMdat: boolean
}

interface RawStream {
  codec_type?: string
  codec_name?: string
  width?: number
  height?: number
  pix_fmt?: string
  r_frame_rate?: string
  nb_read_frames?: string
  duration?: string
}

function rate(r: string | undefined): number {
  const [n, d] = (r ?? '0/1').split('/').map(Number)
  return (n ?? 0) / (d || 1)
}

async function moovFirst(file: string): Promise<boolean> {
  const { open } = await import('node:fs/promises')
  const fh = await open(file, 'r')
  try {
    // Walk the top-level boxes: faststart puts 'moov' before 'mdat'.
    let pos = 0
    const head = Buffer.alloc(16)
    for (;;) {
      const { bytesRead } = await fh.read(head, 0, 16, pos)
      if (bytesRead < 8) return false
      let size = head.readUInt32BE(0)
      const type = head.toString('latin1', 4, 8)
      if (type === 'moov') return true
      if (type === 'mdat') return false
      if (size === 1) size = Number(head.readBigUInt64BE(8))
      if (size < 8) return false
      pos += size
    }
  } finally {
    await fh.close()
  }
}

export async function probe(file: string): Promise<Probe> {
  const { ffprobe } = await findTools()
  const args = ['-v', 'error', '-count_frames', '-show_streams', '-show_format', '-of', 'json', file]
  const { stdout } = await run(ffprobe, args, big)
  const json = JSON.parse(stdout) as { streams: RawStream[]; format: { duration?: string } }
  const video = json.streams.filter((s) => s.codec_type === 'video')
  const audio = json.streams.filter((s) => s.codec_type === 'audio')
  const v = video[0]
  if (!v || video.length !== 1) throw new Error(`${file}: expected one video stream, found ${video.length}`)
  return {
    width: v.width ?? 0,
    height: v.height ?? 0,
    fps: rate(v.r_frame_rate),
    frames: Number(v.nb_read_frames ?? NaN),
    durationSeconds: Number(json.format.duration ?? NaN),
    videoDurationSeconds: Number(v.duration ?? NaN),
    videoCodec: v.codec_name ?? '',
    pixFmt: v.pix_fmt ?? '',
    audioCodec: audio[0]?.codec_name ?? null,
    audioStreams: audio.length,
    audioDurationSeconds: audio[0] ? Number(audio[0].duration ?? NaN) : null,
    moovBeforeMdat: await moovFirst(file),
  }
}

/** One decoded frame as an RGB PNG; 'last' is the final decoded frame. */
export async function frameAt(video: string, index: number | 'last', outPng: string): Promise<string> {
  const n = index === 'last' ? (await probe(video)).frames - 1 : index
  await ffmpeg(['-i', video, '-vf', `select=eq(n\\,${n})`, '-vsync', '0', '-frames:v', '1', '-pix_fmt', 'rgb24', outPng])
  return outPng
}

async function compare(filter: 'psnr' | 'ssim', a: string, b: string): Promise<string> {
  // Both sides go through the same conversion so only the pictures differ, not the pixel formats.
  const graph = `[0:v]format=yuv444p[a];[1:v]format=yuv444p[b];[a][b]${filter}`
  return ffmpeg(['-i', a, '-i', b, '-lavfi', graph, '-f', 'null', '-'])
}

/** Mean PSNR in dB over Y, U and V; Infinity for identical images. Both images must have the same size. */
export async function psnr(a: string, b: string): Promise<number> {
  const log = await compare('psnr', a, b)
  const m = /average:(inf|[\d.]+)/.exec(log)
  if (!m?.[1]) throw new Error(`no PSNR in ffmpeg output:\n${log.slice(-2000)}`)
  return m[1] === 'inf' ? Infinity : Number(m[1])
}

/** SSIM over all planes, 0..1. */
export async function ssim(a: string, b: string): Promise<number> {
  const log = await compare('ssim', a, b)
  const m = /All:([\d.]+)/.exec(log)
  if (!m?.[1]) throw new Error(`no SSIM in ffmpeg output:\n${log.slice(-2000)}`)
  return Number(m[1])
}

/**
 * PSNR between each frame and the next, in dB. A smooth camera move changes every frame by about the same
 * amount; whole-pixel jitter shows as low, uneven values.
 */
export async function consecutivePsnr(video: string): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), 'psnr-'))
  try {
    const stats = join(dir, 'stats.txt')
    const graph = `[1:v]trim=start_frame=1,setpts=PTS-STARTPTS[b];[0:v][b]psnr=stats_file=${stats}`
    await ffmpeg(['-i', video, '-i', video, '-lavfi', graph, '-f', 'null', '-'])
    const text = await readFile(stats, 'utf8')
    return [...text.matchAll(/psnr_avg:(inf|[\d.]+)/g)].map((m) => (m[1] === 'inf' ? Infinity : Number(m[1])))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** The same scale-to-cover and centre crop the renderer applies, as a PNG. */
export async function fitCover(image: string, width: number, height: number, outPng: string): Promise<string> {
  await ffmpeg(['-i', image, '-vf', `${coverFilter(width, height)},format=rgb24`, '-frames:v', '1', outPng])
  return outPng
}

export async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
