/*
 * The pure parts of a virtualized list laid out in the normal flow (a CSS grid of rows, or a flex strip): which
 * items to draw, and the spacers that stand in for the ones left out. In the flow, rather than absolutely placed,
 * so the DOM order is the reading and Tab order, the list's own gap and padding still apply, and a row is as tall
 * as its tallest card without measuring each card.
 */

/** An item as the virtualizer places it: its index, and where it starts and ends along the list, in px. */
export interface PlacedItem {
  index: number
  start: number
  end: number
}

export type Piece<T extends PlacedItem> = { kind: 'item'; item: T } | { kind: 'spacer'; key: string; size: number }

interface Layout {
  /** How many items the list holds. */
  count: number
  /** The whole list's length, padding included (the virtualizer's total size). */
  total: number
  /** The list's gap between items (the CSS gap, also given to the virtualizer). */
  gap: number
  paddingStart: number
  paddingEnd: number
}

/**
 * The drawn items in order, with a spacer wherever items are left out: before the first, between two runs (the
 * item kept because it holds the focus, and the ones on screen), and after the last. A spacer is itself one item of
 * the flow, so the list's gap falls on both its sides: its size leaves those gaps out.
 */
export function piecesOf<T extends PlacedItem>(items: readonly T[], { count, total, gap, paddingStart, paddingEnd }: Layout): Piece<T>[] {
  const pieces: Piece<T>[] = []
  const spacer = (key: string, size: number) => pieces.push({ kind: 'spacer', key, size: Math.max(0, size) })
  let previous: T | undefined
  for (const item of items) {
    if (!previous && item.index > 0) spacer('before', item.start - paddingStart - gap)
    if (previous && item.index > previous.index + 1) spacer(`after-${previous.index}`, item.start - previous.end - 2 * gap)
    pieces.push({ kind: 'item', item })
    previous = item
  }
  if (previous && previous.index < count - 1) spacer('after', total - paddingEnd - previous.end - gap)
  return pieces
}

/** The virtualizer's indexes to draw, with `keep` (the item holding the focus) added where it is not among them. */
export function withKept(indexes: readonly number[], keep: number | undefined, count: number): number[] {
  if (keep === undefined || keep >= count || indexes.includes(keep)) return [...indexes]
  return [...indexes, keep].sort((a, b) => a - b)
}
