import { useCallback, useEffect, useId, useRef, useState } from 'react'
import { Button } from '../../components/ui/button'
import { retryHeldWrites } from '../../db/videos'
import { SettingsFreeSpace } from './settings-free-space'
import { takeStorageSectionRequest } from './storage-focus'
import { storageWords, type StorageState } from './storage-words'

/** What the browser reports, or 'unknown' where it reports nothing (an old browser, a private window). */
async function readStorage(): Promise<StorageState | 'unknown'> {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage
  if (!storage?.estimate) return 'unknown'
  const [estimate, persisted] = await Promise.all([storage.estimate(), storage.persisted ? storage.persisted() : Promise.resolve(false)])
  return { usage: estimate.usage ?? 0, quota: estimate.quota ?? 0, persisted }
}

/**
 * Settings › Storage: how much of the browser's quota the studio's videos and frames use, and whether the browser may
 * clear them when the disk runs low, with the button that asks it not to (navigator.storage.persist); then Free space.
 */
export function SettingsStorage() {
  const id = useId()
  const [state, setState] = useState<StorageState | 'unknown'>()
  const [asking, setAsking] = useState(false)
  const [note, setNote] = useState<string>()

  const read = useCallback(() => readStorage().then(setState, () => setState('unknown')), [])
  useEffect(() => {
    void read()
  }, [read])
  // Opened from the storage-full banner's Free space: the section shows itself, and what was held back is tried again.
  const title = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    // After the dialog's own first focus (its showModal runs in the parent's effect, after this one). The request is
    // taken inside the frame: StrictMode's cleanup cancels the first frame, and the second must still find it.
    const frame = requestAnimationFrame(() => {
      if (!takeStorageSectionRequest()) return
      title.current?.scrollIntoView({ block: 'start' })
      title.current?.focus()
      void retryHeldWrites().then(read)
    })
    return () => cancelAnimationFrame(frame)
  }, [read])
  // Space freed here: anything held back goes again now, and the meter reads the new usage.
  const changed = useCallback(() => void retryHeldWrites().then(read), [read])

  const keep = async () => {
    setAsking(true)
    try {
      const granted = await navigator.storage.persist()
      setNote(
        granted
          ? undefined
          : 'The browser said no: it keeps storage for sites you use often, bookmark or install. Your videos stay unless the disk runs low.',
      )
      await read()
    } finally {
      setAsking(false)
    }
  }

  const known = state && state !== 'unknown' ? state : undefined
  const words = known && storageWords(known)
  return (
    <section aria-labelledby={`${id}-title`} className="flex flex-col gap-1.5 border-t border-line pt-4">
      <h3 id={`${id}-title`} ref={title} tabIndex={-1} className="text-ui font-semibold text-zinc-200 outline-none">
        Storage
      </h3>
      {state === undefined && <p className="text-ui-sm text-zinc-400">Reading the browser’s storage…</p>}
      {state === 'unknown' && <p className="text-ui-sm text-zinc-400">This browser does not say how much storage the studio may use.</p>}
      {known && words && (
        <>
          <p id={`${id}-usage`} className="text-ui tabular text-zinc-200">
            {words.usage}
          </p>
          <progress
            aria-labelledby={`${id}-title`}
            aria-describedby={`${id}-usage`}
            value={words.percent}
            max={100}
            className="h-1.5 w-full accent-accent"
          />
          <p className="text-ui-sm text-zinc-400">{words.persistence}</p>
          {words.warning && (
            <p role="status" className="text-ui-sm text-amber-300">
              {words.warning}
            </p>
          )}
          {!known.persisted && (
            <div>
              <Button size="sm" disabled={asking} aria-busy={asking} onClick={() => void keep()}>
                Keep videos on this device
              </Button>
            </div>
          )}
          {note && <p className="text-ui-sm text-zinc-400">{note}</p>}
        </>
      )}
      <SettingsFreeSpace onChanged={changed} />
    </section>
  )
}
