import { useQuery } from '@tanstack/react-query'
import { libraryPollInterval } from '../api/library-feed'
import { libraryQueries } from '../api/library-queries'
import { Button } from '../components/ui/button'
import { useOpenSettings } from '../lib/open-settings'
import { requestStorageSection } from '../features/settings/storage-focus'
import { DISK_FULL_WORDS, diskFull } from '../features/settings/storage-words'

/** While the archive is paused, how often the banner asks again: the runner tries again every 30 s. */
const PAUSED_POLL_MS = 30_000

/**
 * When the gateway's disk is full its archiving pauses (the runner tries again by itself): one line across the studio
 * says so, with the way out. Free space opens Settings at Storage, which shows the data folder and what takes the
 * space. It goes by itself once the archive goes on. The change feed says when storage changes; while the feed is down,
 * or the archive is paused, the banner asks.
 */
export function StorageFullBanner() {
  const full = diskFull(
    useQuery({
      ...libraryQueries.storage(),
      refetchInterval: (query) => (diskFull(query.state.data) ? PAUSED_POLL_MS : libraryPollInterval(60_000)()),
    }).data,
  )
  const openSettings = useOpenSettings()
  // An alert is announced when it appears; none stands empty meanwhile (a page holds one alert per message).
  if (!full) return null
  return (
    <div
      role="alert"
      className="flex shrink-0 items-center gap-3 border-b border-amber-800/60 bg-amber-950/40 px-4 py-1.5 text-ui text-amber-200"
    >
      <p className="min-w-0 flex-1">{DISK_FULL_WORDS}</p>
      <Button
        size="sm"
        onClick={() => {
          requestStorageSection()
          openSettings?.()
        }}
      >
        Free space
      </Button>
    </div>
  )
}
