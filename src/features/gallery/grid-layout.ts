/*
 * The gallery's grid, as numbers: how many columns a width holds (as CSS's repeat(auto-fill, minmax(260px, 1fr))
 * would lay them out), which row a card is in, and a first guess at a row's height before it is measured. The grid
 * is virtualized by rows, so these decide which cards are drawn.
 */

/** A card is never narrower than this; cards share what is left over. */
export const MIN_CARD_WIDTH = 260
/** The grid's gap (Tailwind's gap-3) and the list's padding (p-1), in px. */
export const GRID_GAP = 12
export const GRID_PADDING = 4
/** A portrait card's media is capped at this height (max-h-[420px] on the card). */
const MAX_MEDIA_HEIGHT = 420
/** Under the media: the prompt's two lines, the chips and two lines of buttons, with the card's padding and border (measured). */
const CARD_TEXT_HEIGHT = 176

/** Columns for a list `width` px wide (its padding included, as clientWidth gives it); at least one. */
export function columnsFor(width: number): number {
  const inner = width - 2 * GRID_PADDING
  return Math.max(1, Math.floor((inner + GRID_GAP) / (MIN_CARD_WIDTH + GRID_GAP)))
}

/** One column's width, in px, for `columns` columns in a list `width` px wide. */
export function columnWidth(width: number, columns: number): number {
  return Math.max(0, (width - 2 * GRID_PADDING - (columns - 1) * GRID_GAP) / columns)
}

/** How many rows `count` cards fill. */
export const rowCount = (count: number, columns: number) => Math.ceil(count / columns)

/** The row card `index` sits in. */
export const rowOf = (index: number, columns: number) => Math.floor(index / columns)

/** The cards of row `row`: indexes from `start` up to (not including) `end`. */
export function cellsOfRow(row: number, columns: number, count: number): { start: number; end: number } {
  const start = row * columns
  return { start, end: Math.min(count, start + columns) }
}

/** A guess at a row's height before it is drawn: its tallest card, 16:9 media or 9:16 (capped), plus the text. */
export function estimateRowHeight(colWidth: number, anyPortrait: boolean): number {
  const media = anyPortrait ? Math.min((colWidth * 16) / 9, MAX_MEDIA_HEIGHT) : (colWidth * 9) / 16
  return Math.round(media + CARD_TEXT_HEIGHT)
}
