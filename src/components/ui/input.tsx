import type { ComponentProps } from 'react'
import { cn } from '../../lib/cn'

/* One look for every text field, number, select and textarea: the same border, ground, hover, focus and error. */
const field =
  'min-w-0 rounded-control border border-line bg-zinc-950 text-zinc-100 placeholder:text-zinc-600 hover:border-zinc-700 focus-visible:border-accent aria-[invalid=true]:border-red-500'

/*
 * Each size says its height, padding and type in full, and callers add only what no size sets (width, flex,
 * tabular figures): classes are joined as they are (clsx), so two that set the same thing would leave the winner to
 * the stylesheet's order.
 */
const heights = { sm: 'h-7 px-2 text-ui', md: 'h-8 px-2.5 text-ui' } as const
const densities = { md: 'px-2.5 py-1.5 text-ui leading-5', sm: 'px-2.5 py-1 text-ui-sm' } as const

export interface InputProps extends Omit<ComponentProps<'input'>, 'size'> {
  size?: keyof typeof heights
}

export function Input({ size = 'md', className, ...props }: InputProps) {
  return <input className={cn(field, heights[size], className)} {...props} />
}

export interface TextareaProps extends ComponentProps<'textarea'> {
  /** `sm`: a short note's smaller type and padding. */
  density?: keyof typeof densities
}

export function Textarea({ density = 'md', className, ...props }: TextareaProps) {
  return <textarea className={cn(field, 'w-full resize-y', densities[density], className)} {...props} />
}

export function Select({ className, ...props }: ComponentProps<'select'>) {
  return <select className={cn(field, 'h-8 px-2 text-ui', className)} {...props} />
}
