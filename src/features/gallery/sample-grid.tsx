import { memo, useEffect, useLayoutEffect, useState } from 'react'
import type { SampleRecord, StoredRequest, TaskRecord } from '../../db/db'
import { cn } from '../../lib/cn'
import { useVirtualList } from '../../lib/use-virtual-list'
import { findModel, videoShape } from '../../models'
import { cellsOfRow, columnsFor, columnWidth, estimateRowHeight, GRID_GAP, GRID_PADDING, rowCount, rowOf } from './grid-layout'
import { PlaceholderCard } from './placeholder-card'
import { SampleCard } from './sample-card'

/** A card of the grid: a sample, or one of the samples a running task will make. */
export type Cell = { kind: 'placeholder'; task: TaskRecord; index: number; count: number } | { kind: 'sample'; sample: SampleRecord }

interface SampleGridProps {
  cells: readonly Cell[]
  ordinals: ReadonlyMap<string, string>
  /** The task whose samples wear the accent ring. */
  highlighted: string | undefined
  /** The sample to scroll to ("Show N videos"), and when that was asked: asking again scrolls again. */
  reveal: { sampleId: string; at: number } | undefined
  /** Extra room at the bottom while a toast shows, so the last row can scroll out from under it. */
  toastRoom: boolean
  onOpen(sample: SampleRecord): void
  onUseSettings(request: StoredRequest, seed: string | undefined): void
  onDelete(sample: SampleRecord, byKeyboard: boolean): void
}

/**
 * A card re-renders only when its own props change, not each time the grid draws a row more or less while scrolling.
 * The gallery's callbacks are the same across a scroll (the gallery itself does not render on scroll).
 */
const Card = memo(SampleCard)
const Placeholder = memo(PlaceholderCard)

/** Rows drawn beyond each edge of the view: enough that Tab never reaches a card not drawn yet. */
const OVERSCAN_ROWS = 2
/** The toast's room (pb-20). */
const TOAST_ROOM = 80

const keyOf = (cell: Cell) => (cell.kind === 'sample' ? cell.sample.id : `${cell.task.id}#${cell.index}`)
const portrait = (cell: Cell) => {
  const request = cell.kind === 'sample' ? cell.sample.request : cell.task.request
  return videoShape(findModel(request.modelId), request.params).aspectRatio === '9:16'
}

/**
 * The gallery's cards, virtualized by rows: only the rows on screen (and two either side) are in the DOM, so only
 * their cards hold a `<video>`. The list keeps its role and name; each card says where it is in the whole list
 * (aria-posinset / aria-setsize), since most of it is not in the DOM.
 */
export function SampleGrid({ cells, ordinals, highlighted, reveal, toastRoom, onOpen, onUseSettings, onDelete }: SampleGridProps) {
  const [width, setWidth] = useState(0)
  const columns = columnsFor(width)
  const colWidth = columnWidth(width || 1280, columns)
  const rows = rowCount(cells.length, columns)
  const { attach, pieces, measure, scroller, virtualizer } = useVirtualList<HTMLUListElement, HTMLLIElement>({
    count: rows,
    estimateSize: (row) => {
      const { start, end } = cellsOfRow(row, columns, cells.length)
      return estimateRowHeight(colWidth, cells.slice(start, end).some(portrait))
    },
    // A row is its columns and its first card: when either changes, its old measure says nothing.
    getItemKey: (row) => `${columns}:${keyOf(cells[row * columns]!)}`,
    gap: GRID_GAP,
    paddingStart: GRID_PADDING,
    paddingEnd: toastRoom ? TOAST_ROOM : GRID_PADDING,
    overscan: OVERSCAN_ROWS,
  })

  // Columns follow the list's width (a hidden list measures 0: it keeps its columns until it is seen again).
  useLayoutEffect(() => {
    if (!scroller) return
    const read = () => scroller.clientWidth > 0 && setWidth(scroller.clientWidth)
    read()
    const observer = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(read)
    observer?.observe(scroller)
    return () => observer?.disconnect()
  }, [scroller])

  // "Show N videos": the row of the task's first sample comes to the middle of the view (drawn, then measured).
  const revealIndex = reveal ? cells.findIndex((c) => c.kind === 'sample' && c.sample.id === reveal.sampleId) : -1
  useEffect(() => {
    if (revealIndex < 0 || !scroller) return
    const reduce = typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches
    virtualizer.scrollToIndex(rowOf(revealIndex, columns), { align: 'center', behavior: reduce ? 'auto' : 'smooth' })
    // Only a new ask scrolls (or the list's first drawing, for an ask made before it): the list changing under a
    // reveal (a sample arriving) does not scroll again.
    // oxlint-disable-next-line react-hooks/exhaustive-deps
  }, [reveal?.at, scroller])

  return (
    // p-1 leaves room for the focus and highlight rings, which the scrolling list would otherwise clip; while a toast
    // shows, extra room at the bottom lets the last row scroll out from under it. The browser's own scroll anchoring is
    // off: the virtualizer keeps the view in place as rows are measured.
    <ul
      ref={attach}
      className={cn('grid gap-3 overflow-y-auto p-1', toastRoom && 'pb-20')}
      style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`, overflowAnchor: 'none' }}
      aria-label="Samples"
    >
      {/* One flat list of keyed items: a card keeps its element (and its poster) while rows come and go around it. An
          array per row would be matched by its place among the rows, so every card drawn would mount anew each time
          the first drawn row changed. */}
      {pieces.flatMap((piece) => {
        if (piece.kind === 'spacer') {
          return [<li key={piece.key} aria-hidden="true" className="col-span-full" style={{ height: piece.size }} />]
        }
        const row = piece.item.index
        const { start, end } = cellsOfRow(row, columns, cells.length)
        return cells.slice(start, end).map((cell, i) => (
          // The row's first card is measured: the grid stretches every card's item to its row's height.
          <li
            key={keyOf(cell)}
            data-index={row}
            ref={i === 0 ? measure : undefined}
            aria-setsize={cells.length}
            aria-posinset={start + i + 1}
          >
            {cell.kind === 'placeholder' ? (
              <Placeholder task={cell.task} index={cell.index} count={cell.count} />
            ) : (
              <Card
                sample={cell.sample}
                ordinal={ordinals.get(cell.sample.id)}
                highlighted={cell.sample.taskRecordId === highlighted}
                onOpen={onOpen}
                onUseSettings={onUseSettings}
                onDelete={onDelete}
              />
            )}
          </li>
        ))
      })}
    </ul>
  )
}
