import { Board } from './board'
import { ExperimentList } from './experiment-list'

export interface ExperimentsViewProps {
  /** The board to show; the list when absent. */
  experimentId?: string | undefined
  /** The list's address, and a board's: the studio owns its URLs. */
  listHref: string
  hrefOf(id: string): string
}

/**
 * The Experiments view: the list of sweeps, or one board. The studio loads this module on demand (React.lazy), so
 * boards cost the first paint nothing.
 */
export default function ExperimentsView({ experimentId, listHref, hrefOf }: ExperimentsViewProps) {
  return experimentId === undefined ? (
    <ExperimentList hrefOf={hrefOf} />
  ) : (
    // Keyed, so a board opened from another board starts fresh (its rename field, its note drafts).
    <Board key={experimentId} experimentId={experimentId} listHref={listHref} />
  )
}
