/*
 * One zoom and pan for every video of a comparison, so detail is judged at the same spot in each. Pure: the view is
 * a zoom and the offset of its centre from the video's centre, in fractions of the video's box.
 */
export type Zoom = 1 | 2 | 4
export const ZOOMS: readonly Zoom[] = [1, 2, 4]

export interface ZoomPan {
  zoom: Zoom
  /** The view's centre, right (+) or down (+) of the video's centre, in fractions of the box. */
  x: number
  y: number
}

export const WHOLE_VIEW: ZoomPan = { zoom: 1, x: 0, y: 0 }

/** How far the centre may move at a zoom before the view would leave the picture: none at 1×, ±0.375 at 4×. */
export const panRoom = (zoom: number) => (1 - 1 / zoom) / 2

/** The view kept inside the picture. */
export function clampView(view: ZoomPan): ZoomPan {
  const room = panRoom(view.zoom)
  // `+ 0` turns -0 into 0, so a view at the centre reads as one.
  const clamp = (v: number) => Math.min(room, Math.max(-room, v)) + 0
  return { zoom: view.zoom, x: clamp(view.x), y: clamp(view.y) }
}

/** A new zoom around the same centre, kept inside the picture. */
export const zoomTo = (view: ZoomPan, zoom: Zoom) => clampView({ ...view, zoom })

/**
 * A drag of (dx, dy) pixels over a box of width × height: the picture follows the pointer, so the view's centre moves
 * the other way, by the distance in the zoomed picture.
 */
export function panBy(view: ZoomPan, dx: number, dy: number, width: number, height: number): ZoomPan {
  if (width <= 0 || height <= 0) return view
  return clampView({ ...view, x: view.x - dx / (width * view.zoom), y: view.y - dy / (height * view.zoom) })
}

/** The CSS transform that shows `view` of an element whose transform origin is its centre. */
export const viewTransform = ({ zoom, x, y }: ZoomPan) => (zoom === 1 ? undefined : `scale(${zoom}) translate(${-x * 100}%, ${-y * 100}%)`)
