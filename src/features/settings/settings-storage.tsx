import { useQuery } from '@tanstack/react-query'
import { useEffect, useId, useRef } from 'react'
import { libraryQueries } from '../../api/library-queries'
import { ErrorMessage } from '../../components/ui/error-message'
import { libraryWords } from '../../db/submit'
import { takeStorageSectionRequest } from './storage-focus'
import { MOVE_FOLDER_DETAILS, storageWords } from './storage-words'

/**
 * Settings › Storage: the gateway's data folder, where the library lives: its path, how much it takes and what takes
 * it (database, videos, posters, frames), and what is left on the gateway's disk; and, while a full disk pauses the
 * archiving, that it does and the way out.
 */
export function SettingsStorage() {
  const id = useId()
  // Read again each time Settings opens: the library grows with every video.
  const storage = useQuery({ ...libraryQueries.storage(), refetchOnMount: 'always' })
  // Opened from the storage-full banner's Free space: the section shows itself.
  const title = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    // After the dialog's own first focus (its showModal runs in the parent's effect, after this one). The request is
    // taken inside the frame: StrictMode's cleanup cancels the first frame, and the second must still find it.
    const frame = requestAnimationFrame(() => {
      if (!takeStorageSectionRequest()) return
      title.current?.scrollIntoView({ block: 'start' })
      title.current?.focus()
    })
    return () => cancelAnimationFrame(frame)
  }, [])

  const words = storage.data && storageWords(storage.data)
  return (
    <section aria-labelledby={`${id}-title`} className="flex flex-col gap-1.5 border-t border-line pt-4">
      <h3 id={`${id}-title`} ref={title} tabIndex={-1} className="text-ui font-semibold text-zinc-200 outline-none">
        Storage
      </h3>
      {storage.isPending && <p className="text-ui-sm text-zinc-400">Reading the gateway’s storage…</p>}
      {storage.isError && (
        <ErrorMessage role="status" size="sm" lead="The gateway’s storage could not be read. " {...libraryWords(storage.error)} />
      )}
      {storage.data && words && (
        <>
          <p className="text-ui-sm text-zinc-400">The gateway keeps the library in its data folder:</p>
          <p className="font-mono text-ui-sm break-all text-zinc-200">{storage.data.dataDir}</p>
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
          <dl aria-label="What takes the space" className="grid grid-cols-[auto_1fr] gap-x-3 text-ui-sm tabular text-zinc-400">
            {words.parts.map((p) => (
              <div key={p.label} className="contents">
                <dt>{p.label}</dt>
                <dd>{p.value}</dd>
              </div>
            ))}
          </dl>
          {(words.paused ?? words.warning) && (
            <ErrorMessage role="status" size="sm" tone="warn" message={(words.paused ?? words.warning)!} details={MOVE_FOLDER_DETAILS} />
          )}
        </>
      )}
    </section>
  )
}
