import type { ComponentProps, ReactNode } from 'react'
import { cn } from '../../lib/cn'

interface CheckboxProps extends Omit<ComponentProps<'input'>, 'type'> {
  /** The visible label, which is also the accessible name. */
  label: ReactNode
}

/** A native checkbox with its label beside it: the whole label toggles it. */
export function Checkbox({ label, className, ...props }: CheckboxProps) {
  return (
    <label className={cn('flex cursor-pointer items-center gap-2 text-ui text-zinc-300', className)}>
      <input type="checkbox" className="size-4 accent-accent" {...props} />
      {label}
    </label>
  )
}
