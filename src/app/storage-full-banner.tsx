import { Button } from '../components/ui/button'
import { clock, useStorageFull } from '../db/storage'
import { retryHeldWrites } from '../db/videos'
import { plural } from '../lib/format'
import { useOpenSettings } from '../lib/open-settings'
import { requestStorageSection } from '../features/settings/storage-focus'

/**
 * When the browser's quota refused a write, one line across the studio says what is not kept yet and how long it is
 * safe, with the way out: Free space opens Settings at Storage (and tries the held writes again at once, in case space
 * was freed elsewhere). It goes by itself once everything is kept.
 */
export function StorageFullBanner() {
  const full = useStorageFull()
  const openSettings = useOpenSettings()
  // An alert is announced when it appears; none stands empty meanwhile (a page holds one alert per message).
  if (!full) return null
  return (
    <div
      role="alert"
      className="flex shrink-0 items-center gap-3 border-b border-amber-800/60 bg-amber-950/40 px-4 py-1.5 text-ui text-amber-200"
    >
      <p className="min-w-0 flex-1">{storageFullWords(full)}</p>
      <Button
        size="sm"
        onClick={() => {
          void retryHeldWrites()
          requestStorageSection()
          openSettings?.()
        }}
      >
        Free space
      </Button>
    </div>
  )
}

/** "Storage is full: 2 videos are not kept on this device yet. They still play from the provider until 14:05." */
export function storageFullWords({ videos, until, tasks }: { videos: number; until: number | undefined; tasks: number }): string {
  const parts = ['Storage is full:']
  if (videos > 0)
    parts.push(
      `${plural(videos, 'video')} ${videos === 1 ? 'is' : 'are'} not kept on this device yet.`,
      `${videos === 1 ? 'It still plays' : 'They still play'} from the provider${until === undefined ? '' : ` until ${clock(until)}`}.`,
    )
  if (tasks > 0) parts.push(`${plural(tasks, 'task')} ${tasks === 1 ? 'waits' : 'wait'} to be written; nothing is lost.`)
  return parts.join(' ')
}
