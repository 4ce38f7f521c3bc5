import { useEffect, useId, useRef, useState } from 'react'
import { Button } from '../../components/ui/button'
import { dropStoredCopies, useSpaceUse } from '../../db/space'
import { keepOnDevice } from '../../db/videos'
import { formatBytes, plural, truncate } from '../../lib/format'
import { dropWords, offloadedLine, spaceLine } from './free-space-words'

/**
 * Settings › Storage › Free space: what takes the space, the ways to free it (deleting samples or experiments, both
 * undoable, and dropping copies that can be fetched again, which asks first and says what it risks), and the videos
 * whose copy is not on this device, each with Keep on device.
 */
export function SettingsFreeSpace({ onChanged }: { onChanged(): void }) {
  const id = useId()
  const use = useSpaceUse()
  const [asking, setAsking] = useState(false)
  const [busy, setBusy] = useState(false)
  const [note, setNote] = useState<string>()
  // Asked, the focus goes to Cancel: the safe choice is the default, and the button pressed has gone.
  const cancel = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (asking) cancel.current?.focus()
  }, [asking])
  if (!use) return null
  const drop = use.droppable
  const words = dropWords(drop)

  const dropNow = async () => {
    setBusy(true)
    try {
      const { count, bytes } = await dropStoredCopies()
      setNote(`Dropped ${plural(count, 'copy', 'copies')}: ${formatBytes(bytes)} freed.`)
      onChanged()
    } catch (e) {
      setNote(`Nothing was dropped: ${e instanceof Error ? e.message : String(e)}. Try again.`)
    } finally {
      setBusy(false)
      setAsking(false)
    }
  }

  const keep = (ids: readonly string[]) =>
    void keepOnDevice(use.offloaded.filter((s) => ids.includes(s.id))).then((failed) => {
      setNote(failed.length ? `${plural(failed.length, 'video')} could not be kept: ${failed[0]?.storeError ?? 'try again'}` : undefined)
      onChanged()
    })

  return (
    <div aria-labelledby={`${id}-title`} role="group" className="mt-2 flex flex-col gap-1.5">
      <h4 id={`${id}-title`} className="text-ui font-medium text-zinc-300">
        Free space
      </h4>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-ui-sm tabular text-zinc-400">
        <dt>Videos</dt>
        <dd>{spaceLine(use.videos.count, use.videos.bytes, 'video')}</dd>
        <dt>Frames</dt>
        <dd>{spaceLine(use.frames.count, use.frames.bytes, 'frame')}</dd>
      </dl>
      <p className="text-ui-sm text-zinc-400">
        Delete samples you no longer need (tick Select, then Delete), or a whole experiment (Experiments › Delete experiment). Both can be
        undone for a few seconds.
      </p>
      {words ? (
        <div className="flex flex-col items-start gap-1.5">
          <p className="text-ui-sm text-zinc-400">{words.offer}</p>
          {!asking ? (
            <Button size="sm" onClick={() => setAsking(true)}>
              Drop stored copies
            </Button>
          ) : (
            <div role="alert" className="flex flex-col gap-1.5 rounded-control border border-amber-800/60 bg-amber-950/30 p-2">
              <p className="text-ui-sm text-amber-200">{words.warning}</p>
              <div className="flex gap-2">
                <Button ref={cancel} size="sm" onClick={() => setAsking(false)}>
                  Cancel
                </Button>
                <Button size="sm" variant="danger" disabled={busy} aria-busy={busy} onClick={() => void dropNow()}>
                  {`Drop ${plural(drop.count, 'copy', 'copies')}`}
                </Button>
              </div>
            </div>
          )}
        </div>
      ) : (
        <p className="text-ui-sm text-zinc-400">
          No stored copy can be dropped now: only videos whose link has more than half its life left.
        </p>
      )}
      {use.offloaded.length > 0 && (
        <section aria-label="Not on this device" className="flex flex-col gap-1">
          <p className="text-ui-sm text-amber-300">
            {`${plural(use.offloaded.length, 'video')} not on this device: ${use.offloaded.length === 1 ? 'it comes' : 'they come'} back by themselves while the studio is open, or now with Keep on device.`}
          </p>
          <ul className="flex flex-col gap-1">
            {use.offloaded.map((s) => (
              <li key={s.id} className="flex items-center gap-2 text-ui-sm text-zinc-400">
                <span className="min-w-0 flex-1">
                  <span className="text-zinc-300">{truncate(String(s.request.params.prompt ?? 'Untitled'), 40)}</span>{' '}
                  {offloadedLine(s.urlExpiresAt)}
                </span>
                <Button size="sm" onClick={() => keep([s.id])}>
                  Keep on device
                </Button>
              </li>
            ))}
          </ul>
          {use.offloaded.length > 1 && (
            <Button size="sm" className="self-start" onClick={() => keep(use.offloaded.map((s) => s.id))}>
              Keep all on device
            </Button>
          )}
        </section>
      )}
      <p aria-live="polite" className="text-ui-sm text-zinc-300">
        {note}
      </p>
    </div>
  )
}
