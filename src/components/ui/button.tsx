import type { ButtonHTMLAttributes, Ref } from 'react'
import { cn } from '../../lib/cn'

const variants = {
  primary: 'bg-accent text-zinc-950 font-semibold hover:bg-accent-strong disabled:bg-zinc-700 disabled:text-zinc-400',
  secondary: 'border border-line bg-zinc-900 text-zinc-200 hover:bg-zinc-800 disabled:text-zinc-400',
  ghost: 'text-zinc-300 hover:bg-zinc-800 hover:text-zinc-100 disabled:text-zinc-600',
  danger: 'border border-red-900/60 text-red-300 hover:bg-red-950/40',
} as const

const sizes = {
  sm: 'h-7 px-2 text-ui gap-1',
  md: 'h-8 px-3 text-ui gap-1.5',
  lg: 'h-10 px-4 text-ui-lg gap-2',
} as const

export interface ButtonStyle {
  variant?: keyof typeof variants
  size?: keyof typeof sizes
  className?: string | undefined
}

/** A button's classes, for anything that should look like one (a download link, a file label). */
export function buttonVariants({ variant = 'secondary', size = 'md', className }: ButtonStyle = {}): string {
  return cn(
    'inline-flex items-center justify-center rounded-control transition-colors disabled:cursor-not-allowed',
    variants[variant],
    sizes[size],
    className,
  )
}

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement>, ButtonStyle {
  /** React 19 passes a ref to a function component as a prop. */
  ref?: Ref<HTMLButtonElement> | undefined
}

export function Button({ variant, size, className, type = 'button', ...props }: ButtonProps) {
  return <button type={type} className={buttonVariants({ variant, size, className })} {...props} />
}
