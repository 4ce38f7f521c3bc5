import type { ExperimentColumn, VaryKey } from '../../db/db'
import { findModel } from '../../models'
import { aspectRatio, durationSeconds, resolution } from '../../models/fields'
import type { EnumField } from '../../models/types'

/*
 * What a board's column is called. The catalogue owns the words ("Duration", "4 s", "Veo 3.1"), so a column header
 * reads exactly like the field the designer set in Compose.
 */

const variedFields: Record<Exclude<VaryKey, 'modelId'>, EnumField> = {
  duration_seconds: durationSeconds,
  resolution,
  aspect_ratio: aspectRatio,
}

/** "Duration 4 s", "Resolution 1080p", "Model Veo 3.1": a varied value with its field's name. */
export function variedLabel(varied: NonNullable<ExperimentColumn['varied']>): string {
  if (varied.key === 'modelId') {
    const id = String(varied.value)
    return `Model ${findModel(id)?.shortName ?? id}`
  }
  const field = variedFields[varied.key]
  // A stored value may be a string where the catalogue has a number ("4" for 4): compare as text.
  const option = field.options.find((o) => String(o.value) === String(varied.value))
  return `${field.label} ${option?.label ?? String(varied.value)}`
}

/** A column header: "Seed 11", or "Duration 4 s · Seed 11" when the sweep varies one more parameter. */
export function columnLabel(column: ExperimentColumn): string {
  const seed = `Seed ${column.seed}`
  return column.varied ? `${variedLabel(column.varied)} · ${seed}` : seed
}

/** 1 → "1st", 2 → "2nd", 3 → "3rd", 11 → "11th", 22 → "22nd": a place in the submit queue. */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')
  return `${n}${suffix}`
}
