import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { findTools } from '../../engine/ffmpeg.ts'

const run = promisify(execFile)

/** The card's still: one frame from the middle of the video, 640 px wide, as JPEG (as the studio's own was). */
export async function makePoster(videoPath: string, durationSeconds: number): Promise<Uint8Array | undefined> {
  const { ffmpeg } = await findTools()
  const at = Math.max(0, durationSeconds / 2)
  try {
    const { stdout } = await run(
      ffmpeg,
      [
        '-v',
        'error',
        '-ss',
        at.toFixed(3),
        '-i',
        videoPath,
        '-frames:v',
        '1',
        '-vf',
        'scale=640:-2',
        '-q:v',
        '4',
        '-f',
        'image2',
        '-c:v',
        'mjpeg',
        'pipe:1',
      ],
      { encoding: 'buffer', maxBuffer: 8 * 1024 * 1024, timeout: 30_000 },
    )
    return stdout.length > 0 ? new Uint8Array(stdout) : undefined
  } catch {
    // A video ffmpeg cannot read still plays in a browser that can: it keeps its place, without a still.
    return undefined
  }
}
