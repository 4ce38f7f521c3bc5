import { useId, useState } from 'react'
import { Button } from '../../components/ui/button'
import { Checkbox } from '../../components/ui/checkbox'
import { DiceIcon } from '../../components/ui/icons'
import { Input, Select, Textarea } from '../../components/ui/input'
import type { VaryKey } from '../../db/db'
import { findModel } from '../../models'
import { randomSeeds, varyOptions, type Vary } from './sweep'
import { useRandomCount, useSeedsText, useSweepActions, useVariantsText, useVaryKey } from './sweep-store'

/** Random seeds fills in at most this many: a sweep of more seeds is better typed, or made in two. */
const MAX_RANDOM = 16

const fieldLabel = 'mb-1 block text-ui text-zinc-400'
const hint = 'mt-0.5 text-ui-sm text-zinc-400'

/** Prompt variants: one per line, `{a|b}` expands; the expanded list folds away under its count. */
export function VariantsField({ variants }: { variants: readonly string[] }) {
  const id = useId()
  const text = useVariantsText()
  const { setVariantsText } = useSweepActions()
  // data-sweep-first: the Sweep switch scrolls this field into view when the designer turns it on (compose's SWEEP_FIRST_FIELD).
  return (
    <div data-sweep-first="">
      <label htmlFor={id} className={fieldLabel}>
        Prompt variants
      </label>
      <Textarea
        id={id}
        rows={3}
        aria-describedby={`${id}-help`}
        placeholder={'One prompt per line. a {red|blue} kite makes two.'}
        value={text}
        onChange={(e) => setVariantsText(e.target.value)}
      />
      <p id={`${id}-help`} className={hint}>
        {text.trim()
          ? 'One prompt per line; {a|b} inside a line makes one prompt for each.'
          : 'Empty: the Prompt field is the only variant.'}
      </p>
      {variants.length > 0 && (
        <details className="mt-1 text-ui-sm text-zinc-400">
          <summary className="cursor-pointer hover:text-zinc-200">{`Show the ${variants.length} ${variants.length === 1 ? 'prompt' : 'prompts'}`}</summary>
          <ol className="mt-1 list-decimal pl-5 text-zinc-300">
            {variants.map((v) => (
              <li key={v} className="wrap-anywhere">
                {v}
              </li>
            ))}
          </ol>
        </details>
      )}
    </div>
  )
}

/** Sweep seeds, comma-separated, and Random seeds, which fills in How many fresh seeds from the model's range. */
export function SeedsField({ error, range }: { error: string | undefined; range: { min: number; max: number } }) {
  const id = useId()
  const text = useSeedsText()
  const count = useRandomCount()
  const { setSeedsText, setRandomCount } = useSweepActions()
  const [countText, setCountText] = useState(String(count))
  // A count out of range stays as typed with its message (never a silent revert), and Random seeds waits for a good one.
  const countError = countText === String(count) ? undefined : `How many: use a whole number from 1 to ${MAX_RANDOM}.`
  return (
    <div>
      <label htmlFor={id} className={fieldLabel}>
        Sweep seeds
      </label>
      <Input
        id={id}
        className="w-full tabular"
        inputMode="numeric"
        spellCheck={false}
        placeholder="11, 22, 33"
        aria-invalid={Boolean(error)}
        aria-describedby={`${id}-help`}
        value={text}
        onChange={(e) => setSeedsText(e.target.value)}
      />
      <p id={`${id}-help`} className={error ? 'mt-0.5 text-ui-sm text-red-400' : hint}>
        {error ?? 'Comma-separated. Empty: one random seed, shared by every task.'}
      </p>
      <div className="mt-1.5 flex items-end gap-1.5">
        <Button
          disabled={Boolean(countError)}
          onClick={() => setSeedsText(randomSeeds(count, range.min, range.max).join(', '))}
          title="Fill in new random seeds"
        >
          <DiceIcon /> Random seeds
        </Button>
        <label className="flex items-center gap-1.5 text-ui text-zinc-400">
          How many
          <Input
            type="number"
            size="sm"
            className="w-14 tabular"
            min={1}
            max={MAX_RANDOM}
            value={countText}
            aria-invalid={Boolean(countError)}
            aria-describedby={countError ? `${id}-count-error` : undefined}
            onChange={(e) => {
              // The text is kept as typed (so it can be cleared and retyped); only a count in range is taken.
              const n = Number(e.target.value)
              const ok = e.target.value.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= MAX_RANDOM
              setCountText(ok ? String(n) : e.target.value)
              if (ok) setRandomCount(n)
            }}
          />
        </label>
      </div>
      {countError && (
        <p id={`${id}-count-error`} className="mt-0.5 text-ui-sm text-red-400">
          {countError}
        </p>
      )}
    </div>
  )
}

const VARY_CHOICES: { value: VaryKey | 'none'; label: string }[] = [
  { value: 'none', label: 'None' },
  { value: 'duration_seconds', label: 'Duration' },
  { value: 'resolution', label: 'Resolution' },
  { value: 'aspect_ratio', label: 'Aspect ratio' },
  { value: 'modelId', label: 'Model' },
]

/** Vary: one more parameter to cross with the seeds, and the values to try (the catalogue's own). */
export function VaryField({ modelId, vary }: { modelId: string; vary: Vary | undefined }) {
  const id = useId()
  const key = useVaryKey()
  const { setVaryKey, setVaryValues } = useSweepActions()
  const options = key === 'none' ? [] : varyOptions(key, findModel(modelId))
  const ticked = vary?.values ?? []
  return (
    <div>
      <label htmlFor={id} className={fieldLabel}>
        Vary
      </label>
      <Select id={id} className="w-full" value={key} onChange={(e) => setVaryKey(e.target.value as VaryKey | 'none')}>
        {VARY_CHOICES.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </Select>
      {key !== 'none' && (
        <fieldset className="mt-1.5">
          <legend className="mb-1 text-ui-sm text-zinc-400">Values to try</legend>
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            {options.map((o) => (
              <Checkbox
                key={String(o.value)}
                label={o.label}
                checked={ticked.includes(o.value)}
                onChange={(e) => setVaryValues(key, e.target.checked ? [...ticked, o.value] : ticked.filter((v) => v !== o.value))}
              />
            ))}
          </div>
        </fieldset>
      )}
    </div>
  )
}
