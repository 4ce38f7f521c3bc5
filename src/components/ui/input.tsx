import type { ComponentProps } from 'react'
import { cn } from '../../lib/cn'

/* One look for every text field, number, select and textarea: the same border, ground, hover, focus and error. */
const field =
  'min-w-0 rounded-control border border-line bg-zinc-950 px-2.5 text-ui text-zinc-100 placeholder:text-zinc-600 hover:border-zinc-700 focus-visible:border-accent aria-[invalid=true]:border-red-500'

const heights = { sm: 'h-7 px-2', md: 'h-8' } as const

export interface InputProps extends Omit<ComponentProps<'input'>, 'size'> {
  size?: keyof typeof heights
}

export function Input({ size = 'md', className, ...props }: InputProps) {
  return <input className={cn(field, heights[size], className)} {...props} />
}

export function Textarea({ className, ...props }: ComponentProps<'textarea'>) {
  return <textarea className={cn(field, 'w-full resize-y py-1.5 leading-5', className)} {...props} />
}

export function Select({ className, ...props }: ComponentProps<'select'>) {
  return <select className={cn(field, heights.md, 'px-2', className)} {...props} />
}
