import type { ExperimentColumn, VaryKey } from '../../db/db'
import { aspectRatio, durationSeconds, resolution } from '../../models/fields'
import { variedLabel } from './sweep'

/*
 * What a board's column is called. The catalogue owns the words: the field's label ("Duration") and the value's
 * ("4 s", "Veo 3.1", through the sweep's variedLabel), so a header reads like the field the designer set in Compose.
 */

const FIELD_NAME: Record<VaryKey, string> = {
  duration_seconds: durationSeconds.label,
  resolution: resolution.label,
  aspect_ratio: aspectRatio.label,
  modelId: 'Model',
}

/** A column header: "Seed 11", or "Duration 4 s · Seed 11" when the sweep varies one more parameter. */
export function columnHeader(column: ExperimentColumn): string {
  const seed = `Seed ${column.seed}`
  return column.varied ? `${FIELD_NAME[column.varied.key]} ${variedLabel(column.varied)} · ${seed}` : seed
}

/** 1 → "1st", 2 → "2nd", 3 → "3rd", 11 → "11th", 22 → "22nd": a place in the submit queue. */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')
  return `${n}${suffix}`
}
