import { plural } from '../../lib/format'

/** What an import added, and what the library held already (by id). */
export interface ImportCounts {
  samples: { added: number; present: number }
  experiments: { added: number; present: number }
}

const part = (n: { added: number; present: number }, one: string) =>
  `${plural(n.added, one)}${n.present ? ` (${n.present} already here)` : ''}`

/** "Imported 12 samples (3 already here), 2 experiments." */
export function importSummary(counts: ImportCounts): string {
  const { samples, experiments } = counts
  const boards = experiments.added || experiments.present ? `, ${part(experiments, 'experiment')}` : ''
  return `Imported ${part(samples, 'sample')}${boards}.`
}

/** "Saved veo-studio-export-gallery-2026-01-02.zip: 12 samples, 2 experiments." and what was left out. */
export function exportSummary({
  fileName,
  samples,
  experiments,
  skipped,
}: {
  fileName: string
  samples: number
  experiments: number
  skipped: number
}): string {
  const boards = experiments ? `, ${plural(experiments, 'experiment')}` : ''
  const left = skipped ? ` ${plural(skipped, 'video')} left out: ${skipped === 1 ? 'it is' : 'they are'} not kept on the gateway yet.` : ''
  return `Saved ${fileName}: ${plural(samples, 'sample')}${boards}.${left}`
}
