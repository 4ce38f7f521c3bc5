import ExportButton from './export-button'

/** A board's Export experiment: the experiment, its tasks and samples, so the board comes back with winners and notes. */
export default function ExperimentExport({ experimentId }: { experimentId: string }) {
  return <ExportButton scope={{ kind: 'experiment', id: experimentId }} label="Export experiment" />
}
