import type { SpaceUse } from '../../db/space'
import { clock } from '../../db/storage'
import { formatBytes, plural } from '../../lib/format'

/** "3 videos · 12.4 MB": one line of what takes the space. */
export const spaceLine = (count: number, bytes: number, one: string) => `${plural(count, one)} · ${formatBytes(bytes)}`

/**
 * What Drop stored copies does, said before it is done: what it frees, when the copies come back, and the one way a
 * video could be lost (the studio closed from half-way until the link's end). Undefined when nothing can be dropped.
 */
export function dropWords(d: SpaceUse['droppable'], now = Date.now()): { offer: string; warning: string } | undefined {
  if (d.count === 0 || d.until === undefined) return undefined
  const they = d.count === 1 ? 'it' : 'they'
  return {
    offer: `${plural(d.count, 'video')} (${formatBytes(d.bytes)}) can be fetched again from the provider: dropping ${d.count === 1 ? 'its copy' : 'their copies'} frees that space now. Favourites are never dropped.`,
    warning:
      `Until the copy is back, ${they} play${d.count === 1 ? 's' : ''} from the provider. The studio fetches ${d.count === 1 ? 'it' : 'them'} back ` +
      `${d.refetchFrom === undefined ? 'half-way through the link’s life' : `from ${clock(d.refetchFrom, now)}`}, while it is open. ` +
      `If the studio is not open before ${clock(d.until, now)}, ${d.count === 1 ? 'that video is' : 'those videos are'} gone. Keep on device brings one back at once.`,
  }
}

/** The line of a video whose copy was dropped: until when it plays, and what happens after. */
export const offloadedLine = (urlExpiresAt: number, now = Date.now()) =>
  `Plays from the provider; gone after ${clock(urlExpiresAt, now)} unless kept.`
