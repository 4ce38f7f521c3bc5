import type { ComponentProps, ReactNode } from 'react'
import { cn } from '../../lib/cn'

interface CheckboxProps extends Omit<ComponentProps<'input'>, 'type' | 'size'> {
  /** The visible label, which is also the accessible name. */
  label: ReactNode
  /** The label's type size; `className` adds only what neither this nor `tone` sets (classes are never merged). */
  size?: 'md' | 'sm' | 'xs'
  /** `bright` over a video or an image. */
  tone?: 'default' | 'bright'
}

const sizes = { md: 'text-ui', sm: 'text-ui-sm', xs: 'text-ui-xs' } as const

/** A native checkbox with its label beside it: the whole label toggles it. */
export function Checkbox({ label, size = 'md', tone = 'default', className, ...props }: CheckboxProps) {
  return (
    <label
      className={cn(
        'flex cursor-pointer items-center gap-2',
        sizes[size],
        tone === 'bright' ? 'text-zinc-100' : 'text-zinc-300',
        className,
      )}
    >
      <input type="checkbox" className="size-4 accent-accent" {...props} />
      {label}
    </label>
  )
}
