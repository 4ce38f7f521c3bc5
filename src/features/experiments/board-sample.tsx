import { Checkbox } from '../../components/ui/checkbox'
import { HoverVideo, useHoverPlay } from '../../components/ui/hover-video'
import { LocalPreviewChip } from '../../components/ui/local-preview-chip'
import type { SampleRecord } from '../../db/db'
import { useStoredMedia } from '../../db/stored-media'
import { cn } from '../../lib/cn'
import { useIsSelected, useSelectionActions } from '../../lib/selection-store'
import { findModel, videoShape } from '../../models'

interface BoardSampleProps {
  sample: SampleRecord
  /** The seed to show when the provider did not report one: the column's. */
  seed: number
}

/**
 * One video in a board cell: a 16:9 frame (a portrait video keeps its shape inside it), playing muted on hover or
 * on a click, with its seed and the Select checkbox the gallery and Compare share.
 */
export function BoardSample({ sample, seed }: BoardSampleProps) {
  // At rest its stored poster as an image; a <video> only while it plays, as in the gallery.
  const { src, poster, note } = useStoredMedia(sample)
  const selected = useIsSelected(sample.id)
  const { toggle } = useSelectionActions()
  const { durationSeconds } = videoShape(findModel(sample.request.modelId), sample.request.params)
  // At rest, the middle frame, as in the gallery: samples of one prompt start alike and differ later.
  const restAt = durationSeconds / 2
  const { video, live, playing, play, hoverPlay, rest } = useHoverPlay(restAt)
  const seedText = `Seed ${sample.seed ?? seed}`

  return (
    <figure
      // The gallery card's ring when selected, so a selection reads the same on the board and in the gallery.
      className={cn('flex flex-col gap-1 rounded-control transition-colors', selected && 'ring-2 ring-accent')}
      data-sample-id={sample.id}
      data-selected={selected ? 'true' : undefined}
    >
      <button
        type="button"
        className="relative block aspect-video w-full overflow-hidden rounded-control bg-black"
        onMouseEnter={hoverPlay}
        onMouseLeave={rest}
        onClick={() => (playing ? rest() : play())}
        aria-label={`${playing ? 'Pause' : 'Play'} video, seed ${sample.seed ?? seed}`}
        disabled={!src}
      >
        <HoverVideo
          videoRef={video}
          src={src}
          poster={poster}
          restAt={restAt}
          live={live}
          stored={sample.stored}
          retrying={Boolean(sample.storeError)}
          note={note}
          compact
        />
      </button>
      <figcaption className="flex items-center gap-2 text-ui-xs text-zinc-400">
        <span className="tabular whitespace-nowrap text-zinc-300">{seedText}</span>
        {sample.provider === 'local' && <LocalPreviewChip />}
        <Checkbox className="ml-auto" size="sm" label="Select" checked={selected} onChange={(e) => toggle(sample.id, e.target.checked)} />
      </figcaption>
    </figure>
  )
}
