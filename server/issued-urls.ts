import * as z from 'zod/mini'
import { videoSchema } from '../src/api/schemas.ts'
import { isHttpUrl } from '../src/models/define.ts'

/*
 * The video URLs that task-result answers forwarded by this gateway handed out, each until its video_url_ttl runs
 * out. The video relay serves only these, so it never becomes an open proxy. Bounded: the oldest go first.
 */

/** At most this many result URLs are remembered; 5000 URLs is well under a few MB. */
const MAX_ISSUED_URLS = 5000

/** Only the videos of a task-result body, read as leniently as the studio reads them (a TTL as string or number). */
const resultVideos = z.object({
  videos: z.nullish(z.array(z.catch(videoSchema, { video_url: '', video_url_ttl: 0, video_type: '' }))),
})

export class IssuedUrls {
  private readonly expiries = new Map<string, number>()

  constructor(
    private readonly max = MAX_ISSUED_URLS,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.expiries.size
  }

  add(url: string, ttlSeconds: number): void {
    // Delete first so a URL seen again moves to the young end of the insertion order.
    this.expiries.delete(url)
    if (this.expiries.size >= this.max) {
      const now = this.now()
      for (const [u, expiry] of this.expiries) if (expiry <= now) this.expiries.delete(u)
      for (const u of this.expiries.keys()) {
        if (this.expiries.size < this.max) break
        this.expiries.delete(u)
      }
    }
    this.expiries.set(url, this.now() + ttlSeconds * 1000)
  }

  /** Whether the URL was handed out and is still valid; an expired one is dropped when it is asked about. */
  check(url: string): 'valid' | 'expired' | 'unknown' {
    const expiry = this.expiries.get(url)
    if (expiry === undefined) return 'unknown'
    if (expiry > this.now()) return 'valid'
    this.expiries.delete(url)
    return 'expired'
  }

  /** Remembers every videos[].video_url of a parsed task-result body; a body that is not one is ignored. */
  recordFrom(json: unknown): void {
    const body = resultVideos.safeParse(json)
    if (!body.success) return
    for (const v of body.data.videos ?? []) if (isHttpUrl(v.video_url)) this.add(v.video_url, v.video_url_ttl)
  }
}
