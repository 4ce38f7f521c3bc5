import { Button, buttonVariants } from '../../components/ui/button'
import { Checkbox } from '../../components/ui/checkbox'
import { HoverVideo, useHoverPlay } from '../../components/ui/hover-video'
import type { SampleRecord, StoredRequest } from '../../db/db'
import { reportSampleProblem, useSampleWrites } from '../../db/sample-writes'
import { useStoredMedia } from '../../db/stored-media'
import { cn } from '../../lib/cn'
import { useHasSelection, useIsSelected, useSelectionActions } from '../../lib/selection-store'
import { findModel, videoShape } from '../../models'
import { Chip, LocalChip } from './chips'
import { downloadName, seedLabel } from './sample-media'

interface SampleCardProps {
  sample: SampleRecord
  onOpen(sample: SampleRecord): void
  onUseSettings(request: StoredRequest, seed: string | undefined): void
  /** `byKeyboard`: pressed with Enter or Space, so the focus should follow to Undo. */
  onDelete(sample: SampleRecord, byKeyboard: boolean): void
  /** "2 of 4" when its task made several samples. */
  ordinal?: string | undefined
  /** Marked with the accent ring: "Show N videos" just pointed at its task. */
  highlighted?: boolean | undefined
}

/** Media first: the video keeps its aspect; what made it sits underneath. */
export function SampleCard({ sample, onOpen, onUseSettings, onDelete, ordinal, highlighted }: SampleCardProps) {
  // At rest a card shows the library's still as an image; it holds a <video> only while played (hover or focus).
  const { src, poster, note } = useStoredMedia(sample)
  const writes = useSampleWrites()
  const p = sample.request.params
  const model = findModel(sample.request.modelId)
  const shape = videoShape(model, p)
  // At rest a card shows its middle frame: samples of one task all start on the same frame, and differ after.
  const restAt = shape.durationSeconds / 2
  const { video, live, play, hoverPlay, rest } = useHoverPlay(restAt)
  const portrait = shape.aspectRatio === '9:16'
  const prompt = String(p.prompt ?? '')
  const title = `${prompt.slice(0, 60)} (seed ${sample.seed ?? 'unknown'})`
  const selected = useIsSelected(sample.id)
  const selecting = useHasSelection()
  const selection = useSelectionActions()

  return (
    <article
      aria-label={`Sample: ${title}`}
      data-sample-id={sample.id}
      data-highlighted={highlighted ? 'true' : undefined}
      data-selected={selected ? 'true' : undefined}
      // No overflow-hidden here: it would clip the media button's focus ring. The button rounds itself.
      className={cn(
        'group relative flex flex-col rounded-card border bg-panel transition-colors',
        highlighted || selected ? 'border-accent ring-2 ring-accent' : 'border-line',
      )}
    >
      {/* Over the media's corner, beside (not inside) the player button. Hidden only to the eye until the card is
          hovered or focused, or something is selected: the keyboard and assistive technology always reach it. */}
      <Checkbox
        label="Select"
        checked={selected}
        onChange={(e) => selection.toggle(sample.id, e.target.checked)}
        size="xs"
        tone="bright"
        className={cn(
          'absolute top-2 right-2 z-10 rounded-full bg-black/70 py-0.5 pr-2.5 pl-2 transition-opacity duration-150 ease-out',
          'focus-within:opacity-100 group-hover:opacity-100 motion-reduce:transition-none',
          selected || selecting ? 'opacity-100' : 'opacity-0',
        )}
      />
      <button
        type="button"
        className={cn(
          'relative block w-full overflow-hidden rounded-t-card bg-black',
          portrait ? 'aspect-[9/16] max-h-[420px]' : 'aspect-video',
        )}
        onClick={() => onOpen(sample)}
        onMouseEnter={hoverPlay}
        onMouseLeave={rest}
        onFocus={play}
        onBlur={rest}
        aria-label={`Open player: ${title}`}
      >
        <HoverVideo
          videoRef={video}
          src={src}
          poster={poster}
          restAt={restAt}
          live={live}
          stored={sample.stored}
          note={note}
          label={`Video: ${title}`}
        />
      </button>
      <div className="flex flex-col gap-1.5 p-2.5">
        <p className="line-clamp-2 text-ui text-zinc-200" title={prompt}>
          {prompt}
        </p>
        <ul className="flex flex-wrap gap-1 text-ui-xs tabular text-zinc-400" aria-label="Settings">
          {sample.provider === 'local' && <LocalChip />}
          <Chip>{model?.shortName ?? sample.request.modelId}</Chip>
          <Chip>{`${shape.durationSeconds} s`}</Chip>
          <Chip>{shape.resolution}</Chip>
          <Chip>{shape.aspectRatio}</Chip>
          <Chip>{seedLabel(sample.seed, ordinal)}</Chip>
          {shape.audio && <Chip>audio</Chip>}
        </ul>
        <div className="flex flex-wrap gap-1">
          <Button
            size="sm"
            variant="ghost"
            aria-pressed={sample.favourite === 1}
            onClick={() => void writes.toggleFavourite(sample.id).catch((e: unknown) => reportSampleProblem('Favourite not saved: ', e))}
            tone={sample.favourite ? 'favourite' : undefined}
          >
            <span aria-hidden="true">{sample.favourite ? '★' : '☆'}</span> Favourite
          </Button>
          {src && (
            <a href={src} download={downloadName(sample)} className={buttonVariants({ variant: 'ghost', size: 'sm' })}>
              Download
            </a>
          )}
          <Button size="sm" variant="ghost" onClick={() => onUseSettings(sample.request, sample.seed)}>
            Use these settings
          </Button>
          <Button size="sm" variant="ghost" onClick={(e) => onDelete(sample, e.detail === 0)}>
            Delete
          </Button>
        </div>
      </div>
    </article>
  )
}
