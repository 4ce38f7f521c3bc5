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

/**
 * The designer's crop for this output: the rectangle the cover-fit keeps, placed where the designer chose. The
 * choice is remembered as a rectangle, but only its centre is read, so a choice made for 16:9 still means
 * "this part" after a switch to 9:16. No choice: centred, as the provider would crop.
 */
export function chosenCrop(width: number, height: number, aspect: number, chosen?: Rect): FrameCrop {
  const centred = cropFor(width, height, aspect)
  if (!chosen || !centred.cropped) return centred
  const { w, h } = centred.kept
  return { cropped: true, kept: clampRect({ x: chosen.x + chosen.w / 2 - w / 2, y: chosen.y + chosen.h / 2 - h / 2, w, h }) }
}

/** Keeps a rectangle inside the frame, its size unchanged. */
export function clampRect(r: Rect): Rect {
  const clamp = (v: number, max: number) => Math.min(Math.max(v, 0), Math.max(max, 0))
  return { x: clamp(r.x, 1 - r.w), y: clamp(r.y, 1 - r.h), w: r.w, h: r.h }
}

/** A crop moved by (dx, dy), in fractions of the frame, and stopped at the frame's edges. */
export function moveCrop(kept: Rect, dx: number, dy: number): Rect {
  return clampRect({ ...kept, x: kept.x + dx, y: kept.y + dy })
}

/**
 * A pointer's move over the thumbnail, in pixels of the zone, as a move of the crop in fractions of the frame.
 * The frame is shown object-contain in a zone of `zoneWidth`×`zoneHeight` pixels.
 */
export function dragDelta(
  dxPx: number,
  dyPx: number,
  imageAspect: number,
  zoneWidth: number,
  zoneHeight: number,
): { dx: number; dy: number } {
  const shown = containIn(imageAspect, zoneWidth / zoneHeight)
  return { dx: dxPx / (shown.w * zoneWidth), dy: dyPx / (shown.h * zoneHeight) }
}

/** A crop in whole source pixels, for drawing: never outside the frame, never empty. */
export function cropPixels(kept: Rect, width: number, height: number): { sx: number; sy: number; sw: number; sh: number } {
  const sw = Math.max(1, Math.min(width, Math.round(kept.w * width)))
  const sh = Math.max(1, Math.min(height, Math.round(kept.h * height)))
  const sx = Math.min(width - sw, Math.max(0, Math.round(kept.x * width)))
  const sy = Math.min(height - sh, Math.max(0, Math.round(kept.y * height)))
  return { sx, sy, sw, sh }
}
