import { Button } from '../../components/ui/button'

interface TransferProgressProps {
  /** The bar's accessible name: "Export" or "Import". */
  label: 'Export' | 'Import'
  /** 0…1. */
  value: number
  /** Offered while stopping costs nothing (nothing written yet). */
  onCancel?: (() => void) | undefined
  /** Said beside the bar where closing the view might look like stopping the work ("Closing Settings does not stop it."). */
  goesOn?: string | undefined
}

/** A long export or import: a bar with its percentage, and Cancel while it is cheap. */
export function TransferProgress({ label, value, onCancel, goesOn }: TransferProgressProps) {
  const percent = Math.round(value * 100)
  return (
    <div className="flex flex-wrap items-center gap-2">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        className="h-1.5 w-28 overflow-hidden rounded-full bg-zinc-800"
      >
        <div
          className="h-full bg-accent transition-[width] duration-150 ease-out motion-reduce:transition-none"
          style={{ width: `${percent}%` }}
        />
      </div>
      <span aria-hidden="true" className="text-ui-sm tabular text-zinc-400">
        {percent} %
      </span>
      {onCancel && (
        <Button size="sm" variant="ghost" aria-label={`Cancel ${label.toLowerCase()}`} onClick={onCancel}>
          Cancel
        </Button>
      )}
      {goesOn && <span className="text-ui-sm text-zinc-400">{goesOn}</span>}
    </div>
  )
}
