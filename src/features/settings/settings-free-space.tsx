import { useEffect, useId, useRef, useState } from 'react'
import type { ErrorWords } from '../../api/errors'
import { Button } from '../../components/ui/button'
import { ErrorMessage } from '../../components/ui/error-message'
import type { SampleRecord } from '../../db/db'
import { dropStoredCopies, useSpaceUse } from '../../db/space'
import { STORE_FULL } from '../../db/storage'
import { keepOnDevice } from '../../db/videos'
import { formatBytes, plural, truncate } from '../../lib/format'
import { dropWords, offloadedLine, spaceLine } from './free-space-words'

/** Keep on device failed: what it means and what to do, in plain words; the recorded causes go under Details. */
export function keepFailedWords(failed: readonly Pick<SampleRecord, 'storeError'>[]): ErrorWords {
  const one = failed.length === 1
  const details = [...new Set(failed.map((s) => s.storeError ?? 'no reason recorded'))].join('\n')
  if (failed.some((s) => s.storeError === STORE_FULL))
    return {
      message: `${plural(failed.length, 'video')} could not be kept: this device is out of space. Free space here (delete samples or an experiment), then press Keep on device again.`,
      details,
    }
  return {
    message: `${plural(failed.length, 'video')} could not be fetched from the provider. ${one ? 'It still plays' : 'They still play'} from the provider; press Keep on device again in a minute.`,
    details,
  }
}

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
  const [failure, setFailure] = useState<ErrorWords>()
  // Asked, the focus goes to Cancel: the safe choice is the default, and the button pressed has gone. Answered, the
  // question goes: Cancel gives the focus back to Drop stored copies, a drop to the note that says what it freed (the
  // button may go with the copies), so the focus never falls to the page.
  const cancel = useRef<HTMLButtonElement>(null)
  const dropButton = useRef<HTMLButtonElement>(null)
  const noteLine = useRef<HTMLParagraphElement>(null)
  const focusAfter = useRef<'drop' | 'note'>(undefined)
  useEffect(() => {
    if (asking) return void cancel.current?.focus()
    const target =
      focusAfter.current === 'drop' ? (dropButton.current ?? noteLine.current) : focusAfter.current === 'note' ? noteLine.current : null
    focusAfter.current = undefined
    target?.focus()
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
      focusAfter.current = 'note'
      setAsking(false)
    }
  }
  const cancelDrop = () => {
    focusAfter.current = 'drop'
    setAsking(false)
  }

  const keep = (ids: readonly string[]) =>
    void keepOnDevice(use.offloaded.filter((s) => ids.includes(s.id))).then((failed) => {
      setFailure(failed.length ? keepFailedWords(failed) : undefined)
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
            <Button ref={dropButton} size="sm" onClick={() => setAsking(true)}>
              Drop stored copies
            </Button>
          ) : (
            <div role="alert" className="flex flex-col gap-1.5 rounded-control border border-amber-800/60 bg-amber-950/30 p-2">
              <p className="text-ui-sm text-amber-200">{words.warning}</p>
              <div className="flex gap-2">
                <Button ref={cancel} size="sm" onClick={cancelDrop}>
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
      {failure && <ErrorMessage role="status" size="sm" {...failure} />}
      <p ref={noteLine} tabIndex={-1} aria-live="polite" className="text-ui-sm text-zinc-300 outline-none">
        {note}
      </p>
    </div>
  )
}
