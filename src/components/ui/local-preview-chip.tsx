import { cn } from '../../lib/cn'

/** What a local render is called wherever it shows: never mistaken for Veo. */
export const LOCAL_PREVIEW = 'Local preview'

/** The chip every local render wears: on its card, its placeholder, its task and in the player. */
export function LocalPreviewChip({ as: Tag = 'span', className }: { as?: 'span' | 'li'; className?: string }) {
  return (
    <Tag className={cn('rounded-full border border-amber-700/60 px-1.5 py-px whitespace-nowrap text-amber-300', className)}>
      {LOCAL_PREVIEW}
    </Tag>
  )
}
