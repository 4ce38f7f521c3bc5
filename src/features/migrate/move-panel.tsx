import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useId } from 'react'
import { Button } from '../../components/ui/button'
import { ErrorMessage } from '../../components/ui/error-message'
import { pauseMove, startMove, useMoveState } from './move-job'
import { movedWords, progressWords, type MoveProgress } from './move-plan'

/** The share done, 0–100: by bytes where there are files (they take the time), else by items. */
function percentOf(p: MoveProgress | undefined): number {
  if (!p) return 0
  const share = p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : p.total > 0 ? p.done / p.total : 0
  return Math.min(100, Math.round(share * 100))
}

/**
 * "Move your library to the gateway": shown on the first start after the update while this browser still holds the
 * old library. The move starts at once and the studio stays usable meanwhile; the panel shows how far it is (items and
 * bytes), pauses and resumes, says what went wrong with the way out, and at the end how many items moved.
 */
export default function MovePanel({ onClose }: { onClose(): void }) {
  const id = useId()
  const state = useMoveState()
  const client = useQueryClient()
  useEffect(() => startMove(), [])
  const done = state.kind === 'done'
  // What moved shows in the gallery and the boards at once, whether or not the change feed is up.
  useEffect(() => {
    if (done) void client.invalidateQueries({ queryKey: ['library'] })
  }, [done, client])
  // Nothing was there to move (an empty old library, or another tab moved it): nothing to say.
  useEffect(() => {
    if (state.kind === 'done' && state.outcome.moved === 0 && !state.outcome.failedRequests && !state.outcome.unbuilt) onClose()
  }, [state, onClose])

  const progress = state.kind === 'idle' || state.kind === 'done' ? undefined : state.progress
  const percent = percentOf(progress)
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="flex shrink-0 flex-col gap-1.5 border-b border-line bg-panel px-4 py-2 text-ui text-zinc-300"
    >
      <h2 id={`${id}-title`} className="text-ui font-semibold text-zinc-100">
        Move your library to the gateway
      </h2>
      {state.kind === 'done' ? (
        <div className="flex flex-wrap items-center gap-3">
          <p role="status" className="min-w-0 flex-1 text-emerald-300">
            {movedWords(state.outcome)}
          </p>
          <Button size="sm" onClick={onClose}>
            Close
          </Button>
        </div>
      ) : (
        <>
          <p className="text-ui-sm text-zinc-400">
            Your samples, videos, frames, experiments and prompts move from this browser to the gateway, where every tab and browser finds
            them. Nothing is deleted here until the gateway has confirmed every item.
          </p>
          <div className="flex flex-wrap items-center gap-3">
            <div
              role="progressbar"
              aria-label="Moving your library"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
              aria-valuetext={progress ? progressWords(progress) : 'Starting'}
              className="h-1.5 w-40 overflow-hidden rounded-full bg-zinc-800"
            >
              <div
                className="h-full bg-accent transition-[width] duration-150 ease-out motion-reduce:transition-none"
                style={{ width: `${percent}%` }}
              />
            </div>
            <p aria-live="polite" className="text-ui-sm tabular text-zinc-300">
              {state.kind === 'paused'
                ? `Paused${progress ? `: ${progressWords(progress)}` : ''}. Nothing was deleted from this browser; Resume goes on from there.`
                : progress
                  ? progressWords(progress)
                  : 'Starting…'}
            </p>
            {state.kind === 'running' && (
              <Button size="sm" variant="ghost" onClick={pauseMove}>
                Pause
              </Button>
            )}
            {state.kind === 'paused' && (
              <Button size="sm" onClick={startMove}>
                Resume
              </Button>
            )}
          </div>
          {state.kind === 'failed' && (
            <div className="flex flex-col items-start gap-1.5">
              <ErrorMessage size="sm" {...state.words} />
              <Button size="sm" onClick={startMove}>
                Try again
              </Button>
            </div>
          )}
        </>
      )}
    </section>
  )
}
