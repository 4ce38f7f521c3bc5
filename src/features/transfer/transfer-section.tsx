import { useId, type ChangeEvent } from 'react'
import { buttonVariants } from '../../components/ui/button'
import { ErrorMessage } from '../../components/ui/error-message'
import { cn } from '../../lib/cn'
import ExportButton from './export-button'
import { TransferProgress } from './transfer-progress'
import { useTransfer } from './use-transfer'
import { importSummary } from './words'

/** Closing Settings does not stop an export or import: it goes on, and this section shows it again (useTransfer). */
const GOES_ON = 'Closing Settings does not stop it.'

/**
 * Settings › Back up and move: Export gallery (everything, as one .zip) and Import (a .zip made by Export, merged
 * without duplicates). The Settings dialog mounts it through its `extra` slot; the studio loads it on demand.
 */
export default function TransferSection() {
  const id = useId()
  const { state, progress, run, cancel } = useTransfer('import')
  const running = state.kind === 'running'

  const choose = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0]
    // Cleared at once, so choosing the same file again (after a fix, or to see it is all here) imports again.
    e.target.value = ''
    if (!file) return
    void run(async ({ signal, onProgress, uncancellable }) => {
      const { importArchive } = await import('./import')
      return importSummary(await importArchive(file, { signal, onProgress, onWriting: uncancellable }))
    })
  }

  return (
    <section aria-labelledby={`${id}-title`} className="flex flex-col gap-2 border-t border-line pt-4">
      <h3 id={`${id}-title`} className="text-ui font-semibold text-zinc-200">
        Back up and move
      </h3>
      <p className="text-ui-sm text-zinc-400">
        One .zip with your videos, their frames and settings, and your experiments, to keep or to open on another gateway. It never holds
        your key.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <ExportButton scope={{ kind: 'gallery' }} label="Export gallery" goesOn={GOES_ON} />
        {/* A label that looks like a button: the file input inside it is named by it and opens the browser's picker. */}
        <label
          className={cn(
            buttonVariants({ size: 'sm' }),
            'cursor-pointer has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent',
            running && 'pointer-events-none opacity-60',
          )}
        >
          Import
          <input type="file" accept=".zip,application/zip" className="sr-only" disabled={running} onChange={choose} />
        </label>
      </div>
      {running && <TransferProgress label="Import" value={progress} onCancel={state.cancellable ? cancel : undefined} goesOn={GOES_ON} />}
      {state.kind === 'done' && (
        <p role="status" className="text-ui-sm text-zinc-300">
          {state.note}
        </p>
      )}
      {state.kind === 'failed' && <ErrorMessage {...state.words} />}
    </section>
  )
}
