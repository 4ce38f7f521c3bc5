import {
  defaultRangeExtractor,
  measureElement as measureLaidOut,
  observeElementRect,
  useVirtualizer,
  type Range,
} from '@tanstack/react-virtual'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { piecesOf, withKept } from './virtual-list'

interface VirtualListOptions {
  count: number
  estimateSize(index: number): number
  getItemKey?: ((index: number) => string | number) | undefined
  horizontal?: boolean | undefined
  /** The list's CSS gap and padding along its axis, in px, so the virtualizer places items where the flow does. */
  gap: number
  paddingStart: number
  paddingEnd: number
  /** Items drawn beyond each edge of the view. */
  overscan: number
}

/** Where nothing is laid out (jsdom), or a list first drawn hidden: a window's worth, until the real size is known. */
const UNLAID = { width: 1280, height: 800 }

/**
 * A list drawn only where it is seen (TanStack Virtual), in the normal flow: `pieces` are the items to draw and
 * the spacers between them (see virtual-list.ts). Put `attach` as the scrolling element's ref, and
 * `data-index` plus `measure` on one element per item that spans the item's whole size.
 * - The item holding the focus stays drawn when scrolled away, so the focus is never dropped to the page.
 * - A list hidden (display: none, as the gallery under a comparison) keeps what it drew and its sizes: Chrome keeps
 *   its scroll position too, so it comes back exactly as it was left.
 */
export function useVirtualList<S extends HTMLElement, I extends HTMLElement>(options: VirtualListOptions) {
  const [scroller, setScroller] = useState<S | null>(null)
  // State, not a ref: when the focus moves on, the item it left may go (the range is worked out again).
  const [kept, setKept] = useState<number>()
  const rangeExtractor = useCallback((range: Range) => withKept(defaultRangeExtractor(range), kept, range.count), [kept])
  // The studio is not built with React Compiler; the virtualizer's answers are read fresh on every render.
  // oxlint-disable-next-line react/incompatible-library
  const virtualizer = useVirtualizer<S, I>({
    count: options.count,
    estimateSize: options.estimateSize,
    ...(options.getItemKey ? { getItemKey: options.getItemKey } : {}),
    horizontal: options.horizontal ?? false,
    gap: options.gap,
    paddingStart: options.paddingStart,
    paddingEnd: options.paddingEnd,
    overscan: options.overscan,
    getScrollElement: () => scroller,
    initialRect: UNLAID,
    rangeExtractor,
    // A hidden list measures 0 × 0: ignored, so it keeps drawing what it drew.
    observeElementRect: (instance, onRect) =>
      observeElementRect(instance, (rect) => {
        if (rect.width > 0 && rect.height > 0) onRect(rect)
      }),
    // An item in a hidden list measures 0: it keeps the size it had when last seen.
    measureElement: (element, entry, instance) => {
      if (element.getClientRects().length === 0) {
        const size = instance.itemSizeCache.get(instance.options.getItemKey(instance.indexFromElement(element)))
        if (size !== undefined) return size
      }
      return measureLaidOut(element, entry, instance)
    },
  })

  const items = virtualizer.getVirtualItems()
  const total = virtualizer.getTotalSize()
  const { count, gap, paddingStart, paddingEnd } = options
  const pieces = useMemo(
    () => piecesOf(items, { count, total, gap, paddingStart, paddingEnd }),
    [items, count, total, gap, paddingStart, paddingEnd],
  )

  // The item holding the focus, by the `data-index` of the nearest element that has one; none once the focus leaves.
  useEffect(() => {
    if (!scroller) return
    const focusIn = (e: FocusEvent) => {
      const index = e.target instanceof Element ? e.target.closest<HTMLElement>('[data-index]')?.dataset.index : undefined
      setKept(index === undefined ? undefined : Number(index))
    }
    const focusOut = (e: FocusEvent) => {
      if (!(e.relatedTarget instanceof Node && scroller.contains(e.relatedTarget))) setKept(undefined)
    }
    scroller.addEventListener('focusin', focusIn)
    scroller.addEventListener('focusout', focusOut)
    return () => {
      scroller.removeEventListener('focusin', focusIn)
      scroller.removeEventListener('focusout', focusOut)
    }
  }, [scroller])

  return { virtualizer, pieces, attach: setScroller, scroller, measure: virtualizer.measureElement }
}
