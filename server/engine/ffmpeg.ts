import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { promisify } from 'node:util'

const run = promisify(execFile)
const require = createRequire(import.meta.url)

export interface Tools {
  ffmpeg: string
  ffprobe: string
  /** Where each came from, for the start-up line. */
  source: string
}

async function works(bin: string): Promise<boolean> {
  try {
    await run(bin, ['-version'], { timeout: 10_000 })
    return true
  } catch {
    return false
  }
}

function packaged(name: '@ffmpeg-installer/ffmpeg' | '@ffprobe-installer/ffprobe'): string | undefined {
  try {
    return (require(name) as { path: string }).path
  } catch {
    return undefined
  }
}

let found: Promise<Tools> | undefined

async function first(candidates: [string | undefined, string][]): Promise<[string, string] | undefined> {
  for (const [bin, source] of candidates) if (bin && (await works(bin))) return [bin, source]
  return undefined
}

/**
 * ffmpeg and ffprobe, each looked for in this order: FFMPEG_PATH (FFPROBE_PATH, or the ffprobe beside
 * FFMPEG_PATH), the ones on PATH, then the static builds shipped inside the npm packages. They are chosen
 * separately: the npm ffmpeg has no ffprobe beside it, and FFMPEG_PATH pointing at it must still be honoured.
 * Resolved once per process.
 */
export function findTools(): Promise<Tools> {
  found ??= (async () => {
    const env = process.env.FFMPEG_PATH
    const ffmpeg = await first([
      [env, 'FFMPEG_PATH'],
      ['ffmpeg', 'PATH'],
      [packaged('@ffmpeg-installer/ffmpeg'), 'npm package'],
    ])
    const ffprobe = await first([
      [process.env.FFPROBE_PATH, 'FFPROBE_PATH'],
      [env?.replace(/ffmpeg(\.exe)?$/, 'ffprobe$1'), 'beside FFMPEG_PATH'],
      ['ffprobe', 'PATH'],
      [packaged('@ffprobe-installer/ffprobe'), 'npm package'],
    ])
    if (!ffmpeg || !ffprobe) {
      throw new Error('No working ffmpeg/ffprobe found: set FFMPEG_PATH, install ffmpeg, or reinstall node_modules.')
    }
    const source = ffmpeg[1] === ffprobe[1] ? ffmpeg[1] : `${ffmpeg[1]}; ffprobe from ${ffprobe[1]}`
    return { ffmpeg: ffmpeg[0], ffprobe: ffprobe[0], source }
  })()
  return found
}

/**
 * Fit a still to the output frame without distortion: scale so it covers the frame, then crop the centre.
 * The crop runs on RGB: on 4:2:0 ffmpeg would round an odd offset and shift the picture by a pixel.
 * Shared with the test utilities so tests compare renders against exactly the crop the renderer makes.
 */
export function coverFilter(width: number, height: number): string {
  const scale = `scale=${width}:${height}:force_original_aspect_ratio=increase:flags=lanczos`
  return `${scale},format=rgb24,crop=${width}:${height},setsar=1`
}
