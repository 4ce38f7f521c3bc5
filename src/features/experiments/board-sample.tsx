import { useRef, useState } from 'react'
import { Checkbox } from '../../components/ui/checkbox'
import { LocalPreviewChip } from '../../components/ui/local-preview-chip'
import type { SampleRecord } from '../../db/db'
import { useStoredPosterUrl } from '../../db/hooks'
import { useSampleSrc } from '../../db/sample-src'
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
  const video = useRef<HTMLVideoElement>(null)
  const [playing, setPlaying] = useState(false)
  const src = useSampleSrc(sample)
  const poster = useStoredPosterUrl(sample.id, sample.stored)
  const selected = useIsSelected(sample.id)
  const { toggle } = useSelectionActions()
  const { durationSeconds } = videoShape(findModel(sample.request.modelId), sample.request.params)
  // At rest, the middle frame, as in the gallery: samples of one prompt start alike and differ later.
  const restAt = durationSeconds / 2
  const seedText = `Seed ${sample.seed ?? seed}`

  const play = () => {
    const v = video.current
    if (!v) return
    v.currentTime = 0
    void v.play().then(
      () => setPlaying(true),
      () => {},
    )
  }
  const rest = () => {
    const v = video.current
    if (!v) return
    v.pause()
    v.currentTime = restAt
    setPlaying(false)
  }

  return (
    <figure className="flex flex-col gap-1" data-sample-id={sample.id}>
      <button
        type="button"
        className="relative block aspect-video w-full overflow-hidden rounded-control bg-black"
        onMouseEnter={play}
        onMouseLeave={rest}
        onClick={() => (playing ? rest() : play())}
        aria-label={`${playing ? 'Pause' : 'Play'} video, seed ${sample.seed ?? seed}`}
        disabled={!src}
      >
        {src ? (
          <video
            ref={video}
            // With a poster the video loads only when played; without one, its middle frame stands in.
            src={poster ? src : `${src}#t=${restAt}`}
            poster={poster}
            muted
            loop
            playsInline
            preload={poster ? 'none' : 'metadata'}
            className="h-full w-full object-contain"
          />
        ) : (
          <span className="flex h-full items-center justify-center p-3 text-ui-sm text-zinc-400">
            The video's link expired before it could be kept on this device.
          </span>
        )}
        {!sample.stored && src && (
          <span className="absolute top-1.5 left-1.5 rounded-full bg-black/70 px-2 py-0.5 text-ui-xs text-amber-300">
            {sample.storeError ? 'Not saved yet: retrying' : 'Saving…'}
          </span>
        )}
      </button>
      <figcaption className="flex items-center gap-2 text-ui-xs text-zinc-400">
        <span className="tabular whitespace-nowrap text-zinc-300">{seedText}</span>
        {sample.provider === 'local' && <LocalPreviewChip />}
        <Checkbox className="ml-auto text-ui-sm" label="Select" checked={selected} onChange={(e) => toggle(sample.id, e.target.checked)} />
      </figcaption>
    </figure>
  )
}
