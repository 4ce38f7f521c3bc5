import { useId } from 'react'
import { cn } from '../../lib/cn'

export interface SegmentedOption<V extends string | number> {
  value: V
  label: string
  title?: string | undefined
}

interface SegmentedProps<V extends string | number> {
  label: string
  value: V | undefined
  options: readonly SegmentedOption<V>[]
  onChange(value: V): void
  required?: boolean
  disabled?: boolean
  describedBy?: string | undefined
}

/**
 * An enum as a row of segments. Native radios underneath: arrow keys move the choice, and each
 * segment is found by role "radio" with its label inside a group named by the field.
 */
export function Segmented<V extends string | number>({
  label,
  value,
  options,
  onChange,
  required,
  disabled,
  describedBy,
}: SegmentedProps<V>) {
  const name = useId()
  return (
    <fieldset className="min-w-0" disabled={disabled} aria-describedby={describedBy}>
      <legend className="mb-1 text-ui text-zinc-400">
        {label}
        {required && <RequiredMark />}
      </legend>
      <div className="flex rounded-control border border-line bg-zinc-950 p-0.5">
        {options.map((o) => (
          <label
            key={String(o.value)}
            title={o.title}
            className={cn(
              'relative flex h-7 flex-1 cursor-pointer items-center justify-center rounded-[6px] px-2 text-ui tabular whitespace-nowrap transition-colors hover:text-zinc-100',
              'has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent',
              value === o.value ? 'bg-zinc-800 text-zinc-50 shadow-sm' : 'text-zinc-400',
            )}
          >
            <input
              type="radio"
              className="absolute inset-0 m-0 cursor-pointer appearance-none rounded-[6px] opacity-0"
              name={name}
              checked={value === o.value}
              onChange={() => onChange(o.value)}
            />
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  )
}

export function RequiredMark() {
  return (
    <span className="ml-0.5 text-accent" aria-hidden="true" title="Required">
      *
    </span>
  )
}
