import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react'
import type { FrameRef } from '../../db/db'
import { useFrameSrc } from '../../db/hooks'
import { chosenCrop, cropOutline, dragDelta, moveCrop, type Rect } from '../../lib/crop'

interface FramePreviewProps {
  frame: FrameRef
  /** Names the frame in the crop's accessible name ("Crop of first frame"). */
  label: string
  /** Output aspect (width / height): also the zone's own shape, so the frame shows as the video will. */
  aspect: number
  onMeasured(width: number, height: number): void
  onCrop(crop: Rect): void
}

/** The frame, contained in its zone, with the crop drawn over it; a stored frame's crop can be moved. */
export function FramePreview({ frame, label, aspect, onMeasured, onCrop }: FramePreviewProps) {
  const src = useFrameSrc(frame)
  // A URL frame's size is known only once the browser has loaded it (or the gateway has checked it).
  const measure = (img: HTMLImageElement) => {
    if (!frame.width && img.naturalWidth) onMeasured(img.naturalWidth, img.naturalHeight)
  }
  const crop =
    frame.width && frame.height
      ? chosenCrop(frame.width, frame.height, aspect, frame.kind === 'stored' ? frame.crop : undefined)
      : undefined
  return (
    <div className="relative h-full w-full">
      {src && <img src={src} alt="" className="h-full w-full object-contain" draggable={false} onLoad={(e) => measure(e.currentTarget)} />}
      {crop?.cropped && frame.width && frame.height ? (
        frame.kind === 'stored' ? (
          <CropArea kept={crop.kept} frameAspect={frame.width / frame.height} boxAspect={aspect} label={label} onCrop={onCrop} />
        ) : (
          // A URL frame is sent as its URL: the provider crops it, centred, so the outline only shows where.
          <Outline at={cropOutline(crop.kept, frame.width / frame.height, aspect)} />
        )
      ) : null}
    </div>
  )
}

const outlineClass = 'absolute border-2 border-amber-400 shadow-[0_0_0_9999px_rgb(0_0_0/0.45)]'
const percent = (at: Rect) => ({ left: `${at.x * 100}%`, top: `${at.y * 100}%`, width: `${at.w * 100}%`, height: `${at.h * 100}%` })

function Outline({ at }: { at: Rect }) {
  return <div aria-hidden="true" data-testid="crop-outline" className={`pointer-events-none ${outlineClass}`} style={percent(at)} />
}

/** A keyboard step: 2% of the frame, 10% with Shift. */
const STEP = 0.02
const BIG_STEP = 0.1

interface CropAreaProps {
  kept: Rect
  frameAspect: number
  boxAspect: number
  label: string
  onCrop(crop: Rect): void
}

/**
 * The part of the frame the video keeps, to drag (or move with the arrow keys) over the thumbnail. A cover
 * crop keeps one side whole, so it moves along one axis: a slider, in ARIA's words.
 */
function CropArea({ kept, frameAspect, boxAspect, label, onCrop }: CropAreaProps) {
  const [moving, setMoving] = useState<Rect>()
  const drag = useRef<{ x: number; y: number; kept: Rect }>(undefined)
  const shown = moving ?? kept
  const horizontal = shown.w < 1
  const travel = horizontal ? 1 - shown.w : 1 - shown.h
  const position = travel > 0 ? (horizontal ? shown.x : shown.y) / travel : 0.5
  const valueText =
    position < 0.01
      ? horizontal
        ? 'Left edge'
        : 'Top edge'
      : position > 0.99
        ? horizontal
          ? 'Right edge'
          : 'Bottom edge'
        : Math.abs(position - 0.5) < 0.01
          ? 'Centred'
          : `${Math.round(position * 100)}%`

  function onPointerDown(e: PointerEvent<HTMLDivElement>) {
    e.currentTarget.setPointerCapture(e.pointerId)
    drag.current = { x: e.clientX, y: e.clientY, kept: shown }
  }
  function onPointerMove(e: PointerEvent<HTMLDivElement>) {
    const start = drag.current
    const box = e.currentTarget.parentElement?.getBoundingClientRect()
    if (!start || !box?.width || !box.height) return
    const d = dragDelta(e.clientX - start.x, e.clientY - start.y, frameAspect, box.width, box.height)
    setMoving(moveCrop(start.kept, d.dx, d.dy))
  }
  function onPointerEnd() {
    if (moving) onCrop(moving)
    drag.current = undefined
    setMoving(undefined)
  }
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const step = e.shiftKey ? BIG_STEP : STEP
    const move: Record<string, number> = {
      ArrowLeft: -step,
      ArrowUp: -step,
      ArrowRight: step,
      ArrowDown: step,
      Home: -1,
      End: 1,
    }
    const by = move[e.key]
    if (by === undefined) return
    e.preventDefault()
    e.stopPropagation()
    onCrop(moveCrop(kept, horizontal ? by : 0, horizontal ? 0 : by))
  }

  return (
    <div
      role="slider"
      tabIndex={0}
      aria-label={`Crop of ${label.toLowerCase()}`}
      aria-roledescription="crop"
      aria-orientation={horizontal ? 'horizontal' : 'vertical'}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(position * 100)}
      aria-valuetext={valueText}
      title="Drag to choose what the video keeps"
      data-testid="crop-outline"
      className={`${outlineClass} touch-none focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent ${horizontal ? 'cursor-ew-resize' : 'cursor-ns-resize'}`}
      style={percent(cropOutline(shown, frameAspect, boxAspect))}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerEnd}
      onPointerCancel={onPointerEnd}
      onKeyDown={onKeyDown}
    />
  )
}
