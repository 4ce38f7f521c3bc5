/** A rectangle in fractions (0..1) of whatever contains it. */
export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

export interface FrameCrop {
  /** What a cover-fit to the output keeps, in fractions of the frame. */
  kept: Rect
  /** Whether the output loses a visible part of the frame: the studio warns and draws the outline only then. */
  cropped: boolean
}

const WHOLE: Rect = { x: 0, y: 0, w: 1, h: 1 }

/**
 * Up to 1% of a side may go unremarked: a 1366×768 frame is "16:9" to everyone, and a warning about a few
 * pixels would teach the designer to ignore the warning.
 */
const TOLERANCE = 0.01

/**
 * Where a cover-fit of a `width`×`height` frame to an output of `aspect` (width / height) crops it, and
 * whether that crop counts. The one answer to "is this frame cropped for this aspect?".
 */
export function cropFor(width: number, height: number, aspect: number): FrameCrop {
  const frameAspect = width / height
  // The share of the frame's width (wide frame) or height (tall frame) that the output keeps.
  const keptSide = Math.min(frameAspect / aspect, aspect / frameAspect)
  if (keptSide >= 1 - TOLERANCE) return { kept: WHOLE, cropped: false }
  const kept =
    frameAspect > aspect ? { x: (1 - keptSide) / 2, y: 0, w: keptSide, h: 1 } : { x: 0, y: (1 - keptSide) / 2, w: 1, h: keptSide }
  return { kept, cropped: true }
}

/** Where an image of `imageAspect` sits when shown object-contain in a box of `boxAspect`, in fractions of the box. */
export function containIn(imageAspect: number, boxAspect: number): Rect {
  if (imageAspect > boxAspect) {
    const h = boxAspect / imageAspect
    return { x: 0, y: (1 - h) / 2, w: 1, h }
  }
  const w = imageAspect / boxAspect
  return { x: (1 - w) / 2, y: 0, w, h: 1 }
}

/** A frame's `kept` rectangle as drawn over the frame contained in a box of `boxAspect`, in fractions of the box. */
export function cropOutline(kept: Rect, imageAspect: number, boxAspect: number): Rect {
  const shown = containIn(imageAspect, boxAspect)
  return {
    x: shown.x + kept.x * shown.w,
    y: shown.y + kept.y * shown.h,
    w: kept.w * shown.w,
    h: kept.h * shown.h,
  }
}
