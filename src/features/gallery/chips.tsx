import type { ReactNode } from 'react'
import { cn } from '../../lib/cn'
import { LocalPreviewChip } from '../../components/ui/local-preview-chip'

/** One fact about a sample, in a list of them (model, duration, seed…). */
export function Chip({ children, className }: { children: ReactNode; className?: string }) {
  return <li className={cn('rounded-full border border-line px-1.5 py-px', className)}>{children}</li>
}

/** Worn by every local render, on its card, its placeholder and in the player: never mistaken for Veo. */
export function LocalChip() {
  return <LocalPreviewChip as="li" />
}
