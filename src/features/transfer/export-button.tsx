import type { ExportScope } from '../../db/transfer'
import { Button } from '../../components/ui/button'
import { ErrorMessage } from '../../components/ui/error-message'
import { saveBlob } from '../../lib/download'
import { TransferProgress } from './transfer-progress'
import { useTransfer } from './use-transfer'
import { exportSummary } from './words'

interface ExportButtonProps {
  scope: ExportScope
  /** The button's words, which are its accessible name: "Export", "Export experiment", "Export gallery". */
  label: string
  /** Said beside the progress bar (see TransferProgress). */
  goesOn?: string | undefined
}

/** One job per scope: closing the view and opening it again shows the same export (see useTransfer). */
const jobKey = (scope: ExportScope) => `export:${scope.kind === 'experiment' ? `experiment:${scope.id}` : scope.kind}`

/**
 * Export as one .zip (manifest, videos, frames), with a progress bar and Cancel while it runs and a line that says
 * what was saved. The zip code and fflate load on the press, not with the button. It goes on when the button's view
 * closes, and still saves its file.
 */
export default function ExportButton({ scope, label, goesOn }: ExportButtonProps) {
  const { state, progress, run, cancel } = useTransfer('export', jobKey(scope))
  const running = state.kind === 'running'
  const start = () =>
    void run(async ({ signal, onProgress }) => {
      const { exportArchive } = await import('./export')
      const result = await exportArchive(scope, { signal, onProgress })
      if (result.samples === 0 && result.experiments === 0) return 'Nothing to export: no video is kept on the gateway yet.'
      saveBlob(result.blob, result.fileName)
      return exportSummary(result)
    })
  return (
    <>
      <Button size="sm" disabled={running} aria-busy={running} onClick={start}>
        {label}
      </Button>
      {running && <TransferProgress label="Export" value={progress} onCancel={cancel} goesOn={goesOn} />}
      {state.kind === 'done' && (
        <span role="status" className="min-w-0 text-ui-sm text-zinc-400">
          {state.note}
        </span>
      )}
      {state.kind === 'failed' && <ErrorMessage role="status" size="sm" {...state.words} />}
    </>
  )
}
