import * as z from 'zod'
import { isStorable, storableJson, textField } from './http.ts'

/*
 * The studio's record shapes as bodies carry them (src/db/db.ts; records.ts writes the same shapes out): pieces that
 * both a new experiment (POST /experiments) and an import (POST /import) check before anything is written.
 */

/** The longest prompt the studio keeps (the Prompt field, a board's row, the history). */
export const MAX_PROMPT_CHARS = 4000

/** The latest time a record can carry: the end of year 9999, which timestamptz keeps. */
const MAX_MS = 253_402_300_799_999

/** A time in ms since 1970, as records carry them. */
export const msTime = (label: string) =>
  z
    .number({ error: `${label} must be a time in ms since 1970, such as 1767225600000.` })
    .int({ error: `${label} must be a whole number of ms since 1970.` })
    .min(0, { error: `${label} must be a time in ms since 1970, not before.` })
    .max(MAX_MS, { error: `${label} is after the year 9999: send a time in ms since 1970.` })

/** A record's id: text of 1–`max` characters that can be stored. */
export const recordId = (label: string, max = 200) =>
  z
    .string({ error: `${label} must be text.` })
    .min(1, { error: `${label} is empty: give the record its id.` })
    .max(max, { error: `${label} is longer than ${max} characters, which no record's id is.` })
    .refine(isStorable, { error: `${label} holds a character that cannot be stored (a NUL or half of a surrogate pair).` })

/** Everything needed to send a request again: the model, its parameters and its frames (StoredRequest). */
export const storedRequest = (label: string) =>
  storableJson(
    z.strictObject(
      {
        modelId: textField(`${label}'s "modelId"`, 200),
        params: z.record(z.string(), z.unknown(), { error: `${label}'s "params" must be an object of parameters.` }),
        frames: z.record(z.string(), z.unknown(), { error: `${label}'s "frames" must be an object of frames by slot (may be {}).` }),
      },
      {
        error: `${label} must be a request such as {"modelId": "veo-3.1-generate-firstlastframe", "params": {"prompt": "…"}, "frames": {}}.`,
      },
    ),
    label,
  )

/** A board's column: its seed, and the varied parameter's value when the sweep varies one. */
export const experimentColumn = z.strictObject(
  {
    seed: z.number({ error: 'A column\'s "seed" must be a whole number.' }).int({ error: 'A column\'s "seed" must be a whole number.' }),
    varied: z
      .strictObject(
        {
          key: z.enum(['duration_seconds', 'resolution', 'aspect_ratio', 'modelId'], {
            error: 'A column\'s "varied.key" must be duration_seconds, resolution, aspect_ratio or modelId.',
          }),
          value: z.union([textField('A column\'s "varied.value"', 200), z.number()], {
            error: 'A column\'s "varied.value" must be text or a number.',
          }),
        },
        { error: 'A column\'s "varied" must be {"key", "value"}, or left out.' },
      )
      .optional(),
  },
  { error: 'Each column must be {"seed": 42}, with "varied": {"key", "value"} when the sweep varies a parameter.' },
)

/** A task's cell on its board. */
const cellIndex = (key: string) => {
  const words = `"cell.${key}" must be a whole number from 0.`
  return z.number({ error: words }).int({ error: words }).min(0, { error: words }).max(1_000_000, { error: words })
}
export const cellRef = z.strictObject(
  { row: cellIndex('row'), col: cellIndex('col') },
  { error: '"cell" must be {"row": 0, "col": 1}, counted from 0.' },
)
