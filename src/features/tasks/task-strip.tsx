import type { ReactNode } from 'react'
import type { TaskRecord } from '../../db/db'
import { useVirtualList } from '../../lib/use-virtual-list'

/** A card's width (w-[26rem] on TaskCard) and the strip's gap (gap-2), in px: the first guess, then measured. */
const CARD_WIDTH = 416
const GAP = 8
/** Cards drawn beyond each edge of the strip. */
const OVERSCAN = 2

/**
 * The task strip, virtualized sideways: only the cards in view (and two either side) are in the DOM, with their
 * frame thumbnails. The list keeps its role and name; each card says where it is in the whole strip.
 */
export function TaskStrip({ tasks, children }: { tasks: readonly TaskRecord[]; children(task: TaskRecord): ReactNode }) {
  const { attach, pieces, measure } = useVirtualList<HTMLUListElement, HTMLLIElement>({
    count: tasks.length,
    estimateSize: () => CARD_WIDTH,
    getItemKey: (index) => tasks[index]!.id,
    horizontal: true,
    gap: GAP,
    paddingStart: 0,
    paddingEnd: 0,
    overscan: OVERSCAN,
  })
  return (
    // The browser's own scroll anchoring is off: the virtualizer keeps the view in place as cards are measured.
    <ul ref={attach} className="flex gap-2 overflow-x-auto pb-1" style={{ overflowAnchor: 'none' }} aria-label="Tasks">
      {pieces.map((piece) =>
        piece.kind === 'spacer' ? (
          <li key={piece.key} aria-hidden="true" className="shrink-0" style={{ width: piece.size }} />
        ) : (
          <li
            key={piece.item.key}
            data-index={piece.item.index}
            ref={measure}
            aria-setsize={tasks.length}
            aria-posinset={piece.item.index + 1}
          >
            {children(tasks[piece.item.index]!)}
          </li>
        ),
      )}
    </ul>
  )
}
