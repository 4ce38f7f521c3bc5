import { useId, useRef, useState, type CSSProperties, type PointerEvent, type ReactNode } from 'react'
import type { StoredVideo } from '../../db/stored-videos'
import { cn } from '../../lib/cn'
import { viewTransform, type ZoomPan } from './zoom-pan'

/** Side by side (a 2×2 grid for three or four); with two samples, B over A split at the wipe, or |A − B|. */
export type StageMode = 'side' | 'wipe' | 'difference'

export interface StageTile {
  letter: string
  /** The library's copy, or none (a video the library does not hold cannot be compared). */
  video: StoredVideo
  /** Over the video, on request: where its first or last frame differs from the uploaded one. */
  heatUrl?: string | undefined
  /** Width over height of the video, so its picture sits right under its header at its own shape. */
  aspect: number
  header: ReactNode
}

interface CompareStageProps {
  tiles: readonly StageTile[]
  mode: StageMode
  /** Where the wipe splits, in percent of the picture from the left: A left of it, B right of it. */
  wipe: number
  onWipe(percent: number): void
  view: ZoomPan
  onPan(dx: number, dy: number, width: number, height: number): void
  videoRef(index: number): (el: HTMLVideoElement | null) => void
}

/** Where each tile's header and media sit in the grid: rows alternate header, media; two columns. */
function place(index: number, count: number, mode: StageMode): { header: CSSProperties; media: CSSProperties } {
  const col = (index % 2) + 1
  const pair = Math.floor(index / 2)
  const header = { gridRow: pair * 2 + 1, gridColumn: col }
  if (mode !== 'side' && count === 2) return { header, media: { gridRow: 2, gridColumn: '1 / span 2' } }
  return { header, media: { gridRow: pair * 2 + 2, gridColumn: col } }
}

/**
 * The videos of a comparison, in one grid whose layout changes with the mode while every <video> element stays the
 * same one (its place in the tree never changes), so switching to Wipe or Difference never reloads or unlocks a video.
 * In Wipe and Difference the two media cells share one grid cell: B is clipped at the wipe, or blended over A with
 * `difference`, which is |A − B| per channel, drawn through the heat ramp of the SVG filter below.
 */
export function CompareStage({ tiles, mode, wipe, onWipe, view, onPan, videoRef }: CompareStageProps) {
  const count = tiles.length
  const overlaid = mode !== 'side' && count === 2
  const drag = useRef<{ x: number; y: number; id: number; wiping: boolean }>(undefined)
  // Videos the browser could not play: the transport leaves them out, and their tile says so.
  const [broken, setBroken] = useState<ReadonlySet<number>>(new Set())
  const transform = viewTransform(view)

  // A drag pans a zoomed view; at 1× in Wipe it moves the split to the pointer.
  const wipeAt = (e: PointerEvent<HTMLDivElement>) => {
    const picture = (e.currentTarget.firstElementChild as HTMLElement | null)?.getBoundingClientRect()
    if (picture && picture.width > 0) onWipe(Math.round(Math.min(100, Math.max(0, ((e.clientX - picture.left) / picture.width) * 100))))
  }
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    const wiping = overlaid && mode === 'wipe' && view.zoom === 1
    if ((view.zoom === 1 && !wiping) || e.button !== 0) return
    e.currentTarget.setPointerCapture(e.pointerId)
    drag.current = { x: e.clientX, y: e.clientY, id: e.pointerId, wiping }
    if (wiping) wipeAt(e)
  }
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const from = drag.current
    if (!from || from.id !== e.pointerId) return
    if (from.wiping) return wipeAt(e)
    const box = e.currentTarget.getBoundingClientRect()
    onPan(e.clientX - from.x, e.clientY - from.y, box.width, box.height)
    drag.current = { ...from, x: e.clientX, y: e.clientY }
  }
  const endDrag = () => (drag.current = undefined)

  return (
    <div
      className={cn(
        'grid min-h-0 min-w-0 flex-1 grid-cols-2 gap-x-2',
        count > 2 ? 'grid-rows-[auto_minmax(0,1fr)_auto_minmax(0,1fr)]' : 'grid-rows-[auto_minmax(0,1fr)]',
      )}
    >
      <HeatFilter />
      {tiles.map((tile, i) => {
        const at = place(i, count, mode)
        return (
          <div key={`header-${tile.letter}`} style={at.header} className="min-w-0 pt-1 pb-1.5">
            {tile.header}
          </div>
        )
      })}
      {/* One layer for the media: `contents` side by side (each cell is a grid item of the stage), one isolated cell
          when overlaid, so the difference blends B with A alone and the heat filter acts on the blend. */}
      <div
        style={
          overlaid
            ? { gridRow: 2, gridColumn: '1 / span 2', filter: mode === 'difference' ? 'url(#compare-difference-heat)' : undefined }
            : undefined
        }
        className={
          overlaid
            ? 'relative isolate grid min-h-0 grid-cols-[minmax(0,1fr)] grid-rows-[minmax(0,1fr)] overflow-hidden rounded-control bg-black'
            : 'contents'
        }
      >
        {tiles.map((tile, i) => {
          const at = place(i, count, mode)
          const onTop = overlaid && i === 1
          return (
            <div
              key={`media-${tile.letter}`}
              role="group"
              aria-label={`Video ${tile.letter}`}
              style={{
                ...(overlaid ? { gridRow: 1, gridColumn: 1 } : at.media),
                containerType: 'size',
                // The difference acts on B only; A is what it is laid over.
                mixBlendMode: onTop && mode === 'difference' ? 'difference' : undefined,
              }}
              className={cn(
                'relative min-h-0',
                view.zoom > 1 && 'cursor-grab touch-none active:cursor-grabbing',
                onTop && mode === 'wipe' && view.zoom === 1 && 'cursor-ew-resize touch-none',
              )}
              onPointerDown={onPointerDown}
              onPointerMove={onPointerMove}
              onPointerUp={endDrag}
              onPointerCancel={endDrag}
            >
              <div
                style={{ ...pictureBox(tile.aspect), clipPath: onTop && mode === 'wipe' ? `inset(0 0 0 ${wipe}%)` : undefined }}
                className={cn('relative overflow-hidden bg-black', !overlaid && 'rounded-control')}
              >
                {tile.video.state === 'stored' && (
                  <video
                    ref={videoRef(i)}
                    src={tile.video.url}
                    onError={() => setBroken((b) => new Set(b).add(i))}
                    playsInline
                    preload="auto"
                    className="absolute inset-0 h-full w-full object-contain"
                    style={{ transform }}
                  />
                )}
                {tile.video.state === 'missing' && (
                  <p className="absolute inset-0 grid place-items-center p-4 text-center text-ui text-zinc-400">
                    This video is not kept in the library, so it cannot be compared.
                  </p>
                )}
                {broken.has(i) && (
                  <p role="alert" className="absolute inset-0 grid place-items-center bg-black p-4 text-center text-ui text-red-300">
                    This video can’t be played in this browser; the others play on without it.
                  </p>
                )}
                {tile.heatUrl && (
                  <img
                    src={tile.heatUrl}
                    alt={`Where ${tile.letter} differs from its uploaded frame`}
                    className="pointer-events-none absolute inset-0 h-full w-full object-contain"
                    style={{ transform }}
                  />
                )}
              </div>
            </div>
          )
        })}
        {overlaid && mode === 'wipe' && <WipeHandle wipe={wipe} onWipe={onWipe} aspect={tiles[0]!.aspect} />}
      </div>
    </div>
  )
}

/** A box of the video's shape, as large as its cell allows, at the top of it (the cell is a size container). */
const pictureBox = (aspect: number): CSSProperties => ({
  width: `min(100cqw, ${aspect} * 100cqh)`,
  height: `min(100cqh, 100cqw / ${aspect})`,
  marginInline: 'auto',
})

/**
 * The wipe's split line over the pair, labelled where it meets the top of the picture, and its slider (named Wipe)
 * along the bottom of the picture, for the keyboard (arrows) and for a zoomed view, whose drags pan. At 1× a drag
 * anywhere on the picture moves the split.
 */
function WipeHandle({ wipe, onWipe, aspect }: { wipe: number; onWipe(percent: number): void; aspect: number }) {
  const id = useId()
  return (
    <div style={{ gridRow: 1, gridColumn: 1, containerType: 'size' }} className="pointer-events-none relative min-h-0">
      <div style={pictureBox(aspect)} className="relative">
        <div aria-hidden="true" style={{ left: `${wipe}%` }} className="absolute inset-y-0 w-0.5 -translate-x-1/2 bg-accent" />
        <label
          htmlFor={id}
          style={{ left: `${wipe}%` }}
          className="absolute top-2 -translate-x-1/2 rounded-control bg-zinc-950/80 px-1.5 py-0.5 text-ui-sm whitespace-nowrap text-zinc-100"
        >
          <span aria-hidden="true">A ◂ </span>Wipe<span aria-hidden="true"> ▸ B</span>
        </label>
        <input
          id={id}
          type="range"
          min={0}
          max={100}
          step={1}
          value={wipe}
          aria-valuetext={`A left of ${wipe} %, B right of it`}
          onChange={(e) => onWipe(Number(e.currentTarget.value))}
          className="pointer-events-auto absolute inset-x-0 bottom-1 w-full cursor-ew-resize accent-accent"
        />
      </div>
    </div>
  )
}

/**
 * |A − B| as a heat map: the mean of the three channel differences, boosted ×4 (most disagreements are small), then
 * through a ramp from black (the same) over blue and red to yellow (far apart).
 */
function HeatFilter() {
  return (
    <svg width="0" height="0" className="absolute" aria-hidden="true">
      <filter id="compare-difference-heat" x="0" y="0" width="1" height="1" colorInterpolationFilters="sRGB">
        <feColorMatrix type="matrix" values="1.33 1.33 1.33 0 0  1.33 1.33 1.33 0 0  1.33 1.33 1.33 0 0  0 0 0 0 1" />
        <feComponentTransfer>
          <feFuncR type="table" tableValues="0 0.15 0.9 1 1" />
          <feFuncG type="table" tableValues="0 0.05 0.15 0.75 1" />
          <feFuncB type="table" tableValues="0 0.55 0.2 0.05 0.6" />
        </feComponentTransfer>
      </filter>
    </svg>
  )
}
