import { useId } from 'react'
import { LockIcon } from '../../components/ui/icons'
import { Textarea } from '../../components/ui/input'
import { RequiredMark, Segmented } from '../../components/ui/segmented'
import type { FieldSpec } from '../../models'
import { useComposeActions, useParam } from './compose-store'
import { PromptField } from './prompt-field'
import { SeedField } from './seed-field'

// The label's type; the prompt's label row is a flex row, the others blocks.
const labelType = 'mb-1 text-ui text-zinc-400'
const fieldLabel = `block ${labelType}`

/** One control per catalogue field; the catalogue decides the kind, default, range and lock. */
export function ParamField({ field }: { field: FieldSpec }) {
  const id = useId()
  const helpId = `${id}-help`
  const value = useParam(field.key)
  const { setParam } = useComposeActions()
  const help = (
    <p id={helpId} className="sr-only">
      {field.help}
    </p>
  )

  switch (field.kind) {
    case 'text':
      if (field.key === 'prompt') return <PromptField field={field} labelClass={labelType} />
      return (
        <div>
          <div className={fieldLabel}>
            <label htmlFor={id}>{field.label}</label>
            {field.required && <RequiredMark />}
          </div>
          <Textarea
            id={id}
            rows={2}
            required={field.required}
            aria-describedby={helpId}
            placeholder={field.help}
            value={typeof value === 'string' ? value : ''}
            onChange={(e) => setParam(field.key, e.target.value)}
          />
          {help}
        </div>
      )
    case 'enum':
      return (
        <div title={field.help}>
          <Segmented
            label={field.label}
            required={field.required}
            value={(value ?? field.default) as string | number}
            options={field.options.map((o) => ({ value: o.value, label: o.label, title: o.note }))}
            onChange={(v) => setParam(field.key, v)}
            describedBy={helpId}
          />
          {help}
          {field.options.find((o) => o.value === value)?.note && (
            <p className="mt-1 text-ui text-amber-300/90">{field.options.find((o) => o.value === value)?.note}</p>
          )}
        </div>
      )
    case 'integer':
      if (field.key === 'seed') return <SeedField field={field} />
      return (
        <div title={field.help}>
          <Segmented
            label={field.label}
            required={field.required}
            value={(value ?? field.default) as number}
            options={Array.from({ length: field.max - field.min + 1 }, (_, i) => ({ value: field.min + i, label: String(field.min + i) }))}
            onChange={(v) => setParam(field.key, v)}
            describedBy={helpId}
          />
          {help}
        </div>
      )
    case 'boolean': {
      const locked = field.lock
      const checked = locked ? locked.value : Boolean(value ?? field.default)
      return (
        <div>
          <div className="flex items-center gap-2 text-ui text-zinc-200">
            <input
              id={id}
              type="checkbox"
              className="size-4 rounded accent-accent aria-disabled:cursor-not-allowed aria-disabled:opacity-60"
              checked={checked}
              // aria-disabled, not disabled: a locked field stays reachable by keyboard, with its reason read out.
              aria-disabled={locked ? true : undefined}
              aria-describedby={helpId}
              onChange={(e) => !locked && setParam(field.key, e.target.checked)}
            />
            <label htmlFor={id} className={locked ? 'cursor-not-allowed' : 'cursor-pointer'}>
              {field.label}
            </label>
            {/* A required boolean is always in the body, on or off: nothing to fill in, so no required mark. */}
            {field.required && !locked && <span className="text-ui-xs text-zinc-400">always sent</span>}
            {locked && (
              <span className="ml-auto inline-flex items-center gap-1 rounded-full border border-line px-2 text-ui-xs text-zinc-400">
                <LockIcon /> Locked
              </span>
            )}
          </div>
          <p id={helpId} className="mt-0.5 pl-6 text-ui-sm text-zinc-400">
            {locked ? locked.reason : field.help}
          </p>
        </div>
      )
    }
  }
}
