import type { Context } from 'hono'
import type { FrameCheck } from '../src/api/schemas.ts'
import { MAX_FRAME_BYTES, sniffImageType } from '../src/lib/image-type.ts'
import type { EngineConfig } from './config.ts'
import { contractErrorResponse } from './errors.ts'
import { megabytes } from './format.ts'
import { guardedFetch, GuardedFetchError, type GuardedFetchFailure } from './guarded-fetch.ts'
import { imageSize } from './image-size.ts'

/*
 * GET /api/frame-check?url=<http(s) URL>: what the engine would find at a frame URL, asked before a submit, so the
 * studio can refuse a bad link in the dropzone instead of failing a task later. It fetches the way the engine does
 * (the guarded fetch: public addresses only unless LOCAL_ENGINE_ALLOW_PRIVATE_URLS, the same timeout and 20 MB cap),
 * judges the type by the bytes and reads the pixel size from the header. A refusal is a 400 whose message is a
 * plain sentence with the way out; the technical part (the system's error code, the HTTP status) is
 * metadata.detail, for the studio's Details disclosure.
 */

/** The plain sentence per way the fetch fails: what is wrong, then what to do. */
const PLAIN: Record<GuardedFetchFailure, string> = {
  'invalid-url': 'This is not a web address. Paste a link that starts with https://, or drop the file instead.',
  scheme: 'Only http and https links can be fetched. Use a web link, or drop the file instead.',
  'private-address':
    'This address points inside a private network, which the studio does not fetch from. Use a public link, or drop the file instead.',
  unreachable: "This address can't be reached. Check the link, or drop the file instead.",
  'too-big': `This image is over ${megabytes(MAX_FRAME_BYTES)}. Use a smaller JPEG or PNG.`,
}

/** "a web page (HTML), not an image" → "a web page": the sniffer's words, cut to what reads well in brackets. */
const shortKind = (kind: string) => kind.replace(/\s*\(HTML( or SVG)?\)/, '').replace(/,\s*not an? .*$/, '')

export function frameCheck(config: Pick<EngineConfig, 'fetchTimeoutMs' | 'allowPrivateUrls'>) {
  return async (c: Context) => {
    const refuse = (message: string, detail: string) => contractErrorResponse(c, 400, 'INVALID_REQUEST_BODY', message, { detail })
    const url = c.req.query('url')?.trim()
    if (!url) return refuse('Give an image address to check.', 'the url query parameter is missing or empty')
    let bytes: Buffer
    try {
      bytes = await guardedFetch(url, {
        name: 'url',
        timeoutMs: config.fetchTimeoutMs,
        maxBytes: MAX_FRAME_BYTES,
        accept: 'image/png, image/jpeg;q=0.9, */*;q=0.1',
        allowPrivateUrls: config.allowPrivateUrls,
      })
    } catch (err) {
      if (err instanceof GuardedFetchError) return refuse(PLAIN[err.kind], err.message)
      throw err
    }
    const type = sniffImageType(bytes)
    if (!type.mime) {
      const what = type.kind === 'not an image we can read' ? '' : ` (it is ${shortKind(type.kind)})`
      return refuse(`This address is not a JPEG or PNG${what}. Link to the image itself, or drop the file instead.`, `url is ${type.kind}`)
    }
    const size = imageSize(bytes)
    if (!size)
      return refuse(
        "This image can't be read: it looks truncated or damaged. Export it again as JPEG or PNG.",
        `url is a ${type.mime} with no readable pixel size in its header`,
      )
    return c.json({ mime: type.mime, width: size.width, height: size.height, bytes: bytes.length } satisfies FrameCheck)
  }
}
