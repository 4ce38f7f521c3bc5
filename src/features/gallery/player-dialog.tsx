import type { KeyboardEvent } from 'react'
import { Button } from '../../components/ui/button'
import { Dialog } from '../../components/ui/dialog'
import type { SampleRecord } from '../../db/db'
import { useStoredMedia } from '../../db/stored-media'
import { findModel } from '../../models'
import { Chip, LocalChip } from './chips'
import { RequestDetails } from './request-details'
import { seedLabel } from './sample-media'

interface PlayerDialogProps {
  sample: SampleRecord
  ordinal?: string | undefined
  /** Where it sits in the gallery as filtered: "3 of 12". */
  position: string
  /** Absent at the ends of the list. */
  onPrevious?: (() => void) | undefined
  onNext?: (() => void) | undefined
  onClose(): void
}

/**
 * The large player, with the whole request beside the video. Esc or Close returns to the gallery; Previous and
 * Next (or PageUp and PageDown) walk the gallery as filtered. ← and → stay free for frame stepping.
 */
export function PlayerDialog({ sample, ordinal, position, onPrevious, onNext, onClose }: PlayerDialogProps) {
  const { src, poster } = useStoredMedia(sample)
  const model = findModel(sample.request.modelId)
  const prompt = String(sample.request.params.prompt ?? '')
  const onKeyDown = (e: KeyboardEvent) => {
    const go = e.key === 'PageUp' ? onPrevious : e.key === 'PageDown' ? onNext : undefined
    if (!go) return
    e.preventDefault()
    go()
  }
  return (
    <Dialog label="Player" onClose={onClose} className="max-h-[92vh] w-[min(1400px,94vw)] p-3">
      {(close) => (
        // The dialog's content takes the page keys; the <video>'s own keys (space, arrows) still reach it.
        // eslint-disable-next-line jsx-a11y/no-static-element-interactions
        <div onKeyDown={onKeyDown}>
          <div className="mb-2 flex items-center justify-between gap-3">
            <p className="min-w-0 truncate text-ui-lg">{prompt || 'No prompt'}</p>
            <div className="flex shrink-0 items-center gap-1">
              <span className="px-1 text-ui-sm tabular text-zinc-400">{position}</span>
              <Button size="sm" onClick={onPrevious} disabled={!onPrevious} aria-keyshortcuts="PageUp">
                Previous
              </Button>
              <Button size="sm" onClick={onNext} disabled={!onNext} aria-keyshortcuts="PageDown">
                Next
              </Button>
              <Button size="sm" onClick={close}>
                Close
              </Button>
            </div>
          </div>
          <div className="flex gap-3">
            <div className="min-w-0 flex-1">
              {src ? (
                // Keyed by sample: Previous and Next start the new video from its beginning.
                <video
                  key={sample.id}
                  src={src}
                  poster={poster}
                  controls
                  autoPlay
                  className="max-h-[78vh] w-full rounded-control bg-black"
                  aria-label={`Video: ${prompt}`}
                />
              ) : (
                <p className="p-6 text-ui text-zinc-400">The video's link expired before it could be kept in the library.</p>
              )}
            </div>
            <aside aria-label="Request" className="flex w-72 shrink-0 flex-col gap-2 overflow-y-auto">
              <ul className="flex flex-wrap gap-1 text-ui-xs tabular text-zinc-400" aria-label="Sample">
                {sample.provider === 'local' && <LocalChip />}
                <Chip>{model?.shortName ?? sample.request.modelId}</Chip>
                <Chip>{seedLabel(sample.seed, ordinal)}</Chip>
              </ul>
              <RequestDetails request={sample.request} seed={sample.seed} />
            </aside>
          </div>
        </div>
      )}
    </Dialog>
  )
}
