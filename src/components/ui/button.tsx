import type { ButtonHTMLAttributes, Ref } from 'react'
import { cn } from '../../lib/cn'

/*
 * Classes are joined as they are (clsx, no merging), so nothing a caller adds may set what these set: a variant's
 * text colour is changed with `tone`, its type size and box with `size`; `className` adds only what neither sets
 * (margins, width, alignment). Two classes for one property would leave the winner to the stylesheet's order.
 */
const variants = {
  primary: { look: 'bg-accent font-semibold hover:bg-accent-strong disabled:bg-zinc-700 disabled:text-zinc-400', text: 'text-zinc-950' },
  secondary: { look: 'border border-line bg-zinc-900 hover:bg-zinc-800 disabled:text-zinc-400', text: 'text-zinc-200' },
  /** Secondary, switched on (a pressed toggle such as Loop). */
  on: { look: 'border border-accent/70 bg-zinc-900 hover:bg-zinc-800 disabled:text-zinc-400', text: 'text-zinc-50' },
  ghost: { look: 'hover:bg-zinc-800 hover:text-zinc-100 disabled:text-zinc-600', text: 'text-zinc-300' },
  danger: { look: 'border border-red-900/60 hover:bg-red-950/40', text: 'text-red-300' },
} as const

/** A text colour in place of the variant's: a chosen winner, a favourite, a quieter button. */
const tones = { accent: 'text-accent', favourite: 'text-amber-300', quiet: 'text-zinc-400' } as const

const sizes = {
  sm: 'h-7 px-2 text-ui gap-1',
  /** The height of `sm`, with smaller type. */
  xs: 'h-7 px-2 text-ui-sm gap-1',
  md: 'h-8 px-3 text-ui gap-1.5',
  lg: 'h-10 px-4 text-ui-lg gap-2',
  /** No box or type of its own: the caller's className gives them. */
  bare: 'gap-1',
} as const

export interface ButtonStyle {
  variant?: keyof typeof variants
  tone?: keyof typeof tones | undefined
  size?: keyof typeof sizes
  className?: string | undefined
}

/** A button's classes, for anything that should look like one (a download link, a file label). */
export function buttonVariants({ variant = 'secondary', tone, size = 'md', className }: ButtonStyle = {}): string {
  return cn(
    'inline-flex items-center justify-center rounded-control transition-colors disabled:cursor-not-allowed',
    variants[variant].look,
    tone ? tones[tone] : variants[variant].text,
    sizes[size],
    className,
  )
}

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement>, ButtonStyle {
  /** React 19 passes a ref to a function component as a prop. */
  ref?: Ref<HTMLButtonElement> | undefined
}

export function Button({ variant, tone, size, className, type = 'button', ...props }: ButtonProps) {
  return <button type={type} className={buttonVariants({ variant, tone, size, className })} {...props} />
}
