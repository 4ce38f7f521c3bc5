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

/**
 * ffmpeg and ffprobe, looked for in this order: FFMPEG_PATH (and FFPROBE_PATH), the ones on PATH, then the
 * static builds shipped inside the npm packages. Resolved once per process.
 */
export function findTools(): Promise<Tools> {
  found ??= (async () => {
    const candidates: [string | undefined, string | undefined, string][] = [
      [process.env.FFMPEG_PATH, process.env.FFPROBE_PATH ?? process.env.FFMPEG_PATH?.replace(/ffmpeg(\.exe)?$/, 'ffprobe$1'), 'FFMPEG_PATH'],
      ['ffmpeg', 'ffprobe', 'PATH'],
      [packaged('@ffmpeg-installer/ffmpeg'), packaged('@ffprobe-installer/ffprobe'), 'npm package'],
    ]
    for (const [ffmpeg, ffprobe, source] of candidates) {
      if (ffmpeg && ffprobe && (await works(ffmpeg)) && (await works(ffprobe))) return { ffmpeg, ffprobe, source }
    }
    throw new Error('No working ffmpeg found: set FFMPEG_PATH, install ffmpeg, or reinstall node_modules.')
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
