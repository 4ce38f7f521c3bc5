import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useId, useRef, useState } from 'react'
import { libraryQueries } from '../../api/library-queries'
import {
  DEFAULT_REQUESTS_PER_MINUTE,
  saveRequestsPerMinute,
  useConfirmSweepAbove,
  usePrices,
  useStudioSettingsActions,
  type ModelPrice,
} from '../../api/studio-settings'
import { Input } from '../../components/ui/input'
import { libraryWords } from '../../db/submit'
import { models } from '../../models'

export const RPM_MIN = 1
export const RPM_MAX = 600
const CONFIRM_MAX = 10_000

/** A whole number in [min, max], or undefined. */
function wholeIn(text: string, min: number, max: number): number | undefined {
  const n = Number(text)
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : undefined
}

/** A price per second: empty is "not set" (null), a decimal of zero or more is a price, anything else undefined. */
export function parsePrice(text: string): number | null | undefined {
  const t = text.trim().replace(',', '.')
  if (!t) return null
  return /^\d*\.?\d+$|^\d+\.$/.test(t) ? Number(t) : undefined
}

/**
 * A number field whose text is kept as typed: a half-typed or wrong value shows its error and leaves the saved
 * setting as it was; a valid one is saved at once.
 */
function NumberSetting(props: {
  label: string
  value: number
  min: number
  max: number
  hint: string
  error: string
  /** Said when a valid value could not be saved. */
  failure?: string | undefined
  onValid(n: number): void
}) {
  const id = useId()
  const [text, setText] = useState(String(props.value))
  const bad = wholeIn(text, props.min, props.max) === undefined
  const trouble = bad ? props.error : props.failure
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-ui text-zinc-400">
        {props.label}
      </label>
      <Input
        id={id}
        type="number"
        inputMode="numeric"
        className="w-28 tabular"
        min={props.min}
        max={props.max}
        step={1}
        aria-invalid={trouble !== undefined}
        aria-describedby={`${id}-help`}
        value={text}
        onChange={(e) => {
          setText(e.target.value)
          const n = wholeIn(e.target.value, props.min, props.max)
          if (n !== undefined) props.onValid(n)
        }}
      />
      <p id={`${id}-help`} className={trouble ? 'mt-0.5 text-ui-sm text-red-400' : 'mt-0.5 text-ui-sm text-zinc-400'}>
        {trouble ?? props.hint}
      </p>
    </div>
  )
}

function PriceSetting(props: { model: string; label: string; value: number | undefined; onChange(v: number | undefined): void }) {
  const { label, value, onChange } = props
  const id = useId()
  const [text, setText] = useState(value === undefined ? '' : String(value))
  const bad = parsePrice(text) === undefined
  return (
    <div className="min-w-0 flex-1">
      <label htmlFor={id} className="mb-1 block text-ui-sm text-zinc-400">
        {label}
      </label>
      <Input
        id={id}
        inputMode="decimal"
        className="w-full tabular"
        placeholder="Not set"
        aria-invalid={bad}
        aria-describedby={bad ? `${id}-error` : undefined}
        value={text}
        onChange={(e) => {
          setText(e.target.value)
          const price = parsePrice(e.target.value)
          if (price !== undefined) onChange(price ?? undefined)
        }}
      />
      {bad && (
        <p id={`${id}-error`} className="mt-0.5 text-ui-sm text-red-400">
          {`${props.model}, ${label.toLowerCase()}: write a number like 0.40, or leave it empty.`}
        </p>
      )}
    </div>
  )
}

/**
 * Requests per minute, the gateway's: its runner keeps every send under it, with or without a tab open. Each valid
 * value is saved at once, one save after another, so the last one typed is the one kept.
 */
function RequestsPerMinuteSetting() {
  const client = useQueryClient()
  const settings = useQuery(libraryQueries.settings())
  const [failure, setFailure] = useState<string>()
  const saving = useRef<Promise<void>>(Promise.resolve())
  const save = (n: number) => {
    saving.current = saving.current.then(() =>
      saveRequestsPerMinute(client, n).then(
        () => setFailure(undefined),
        (e: unknown) => setFailure(`Requests per minute was not saved. ${libraryWords(e).message}`),
      ),
    )
  }
  return (
    <NumberSetting
      // The field starts from the gateway's value once it has answered.
      key={settings.isSuccess ? 'gateway' : 'default'}
      label="Requests per minute"
      value={settings.data?.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE}
      min={RPM_MIN}
      max={RPM_MAX}
      hint="Every send, sweeps and single runs, keeps under this pace."
      error={`Requests per minute must be a whole number from ${RPM_MIN} to ${RPM_MAX}.`}
      failure={failure}
      onValid={save}
    />
  )
}

/** Settings: the submit queue's pace, when a sweep asks first, and the prices that let a sweep show its cost. */
export function SettingsLimits() {
  const id = useId()
  const confirmAbove = useConfirmSweepAbove()
  const prices = usePrices()
  const { setConfirmSweepAbove, setPrice } = useStudioSettingsActions()
  const setOne = (modelId: string, change: ModelPrice) => setPrice(modelId, { ...prices[modelId], ...change })

  return (
    <section aria-labelledby={`${id}-title`} className="flex flex-col gap-3 border-t border-line pt-4">
      <h3 id={`${id}-title`} className="text-ui font-semibold text-zinc-200">
        Sweeps and sending
      </h3>
      <div className="flex flex-wrap gap-4">
        <RequestsPerMinuteSetting />
        <NumberSetting
          label="Ask before sweeps larger than"
          value={confirmAbove}
          min={0}
          max={CONFIRM_MAX}
          hint="Tasks. 0 asks before every sweep."
          error={`Ask before sweeps larger than: write a whole number of tasks from 0 to ${CONFIRM_MAX.toLocaleString('en')}.`}
          onValid={setConfirmSweepAbove}
        />
      </div>
      <p className="text-ui-sm text-zinc-400">
        Prices per second of video, in your own currency. A sweep shows its cost once every model in it has a price.
      </p>
      {models.map((m) => (
        <fieldset key={m.id} className="min-w-0">
          <legend className="mb-1 text-ui text-zinc-300">{m.shortName}</legend>
          <div className="flex gap-3">
            <PriceSetting
              model={m.shortName}
              label="Price per second, no audio"
              value={prices[m.id]?.silent}
              onChange={(silent) => setOne(m.id, { silent })}
            />
            <PriceSetting
              model={m.shortName}
              label="Price per second, with audio"
              value={prices[m.id]?.withAudio}
              onChange={(withAudio) => setOne(m.id, { withAudio })}
            />
          </div>
        </fieldset>
      ))}
    </section>
  )
}
