import { useEffect, useMemo, useRef, useState } from 'react'
import { Button } from '../../components/ui/button'
import { LocalPreviewChip } from '../../components/ui/local-preview-chip'
import { Segmented } from '../../components/ui/segmented'
import type { SampleRecord } from '../../db/db'
import { useStoredVideos } from '../../db/stored-videos'
import { useLiveSamples } from '../../db/samples'
import { saveBlob } from '../../lib/download'
import { plural } from '../../lib/format'
import { aspectValue, findModel, videoShape } from '../../models'
import { compareIds } from './compare-address'
import { CompareStage, type StageMode } from './compare-stage'
import { DifferencesTable } from './differences-table'
import { FidelityBadge } from './fidelity-badge'
import { frameAt } from './frame-lock'
import { InputFrames } from './input-frames'
import { stillOfVideos } from './save-frame'
import { Transport } from './transport'
import { TransportBar, useTransportValue } from './transport-bar'
import { useCompareKeys } from './use-compare-keys'
import { fidelityHeatUrl, useFidelity, type FrameSide } from './use-fidelity'
import { WHOLE_VIEW, ZOOMS, clampView, panBy, zoomTo, type Zoom, type ZoomPan } from './zoom-pan'

const LETTERS = ['A', 'B', 'C', 'D'] as const

interface CompareViewProps {
  /** The address's query string, which names the samples (compare-address.ts). */
  search: string
  onClose(): void
}

/** The comparison of 2–4 samples, played from the library's copies (never from a provider's URL). */
export default function CompareView({ search, onClose }: CompareViewProps) {
  const sampleIds = compareIds(search)
  const samples = useLiveSamples(sampleIds)
  if (samples === undefined) return <p className="text-ui text-zinc-400">Loading the comparison…</p>
  const missing = sampleIds.length - samples.length
  if (samples.length < 2)
    return (
      <section aria-labelledby="comparison-title" className="flex flex-col items-start gap-3 p-2">
        <h2 id="comparison-title" className="text-ui-lg font-semibold">
          Comparison
        </h2>
        <p className="text-ui text-zinc-300">
          {sampleIds.length < 2
            ? 'A comparison needs two to four samples. Select them in the gallery or on a board, then press Compare.'
            : `${plural(missing, 'sample')} of this comparison ${missing === 1 ? 'is' : 'are'} no longer in the library, so there is nothing to compare. Select others in the gallery.`}
        </p>
        <Button onClick={onClose}>Close</Button>
      </section>
    )
  // A new set of samples is a new comparison: a fresh transport and fresh video elements.
  return <Comparison key={samples.map((s) => s.id).join('\n')} samples={samples} missing={missing} onClose={onClose} />
}

type HeatChoice = 'off' | FrameSide

function Comparison({ samples, missing, onClose }: { samples: readonly SampleRecord[]; missing: number; onClose(): void }) {
  const [transport] = useState(() => new Transport())
  useEffect(() => () => transport.dispose(), [transport])
  const letters = LETTERS.slice(0, samples.length)
  const stored = useStoredVideos(samples)
  const fidelity = useFidelity(samples)
  const [mode, setMode] = useState<StageMode>('side')
  const [wipe, setWipe] = useState(50)
  const [view, setView] = useState<ZoomPan>(WHOLE_VIEW)
  const [heat, setHeat] = useState<HeatChoice>('off')
  // The Details panel takes 360 px: open from the start only where the videos keep room beside it.
  const [details, setDetails] = useState(() => window.matchMedia('(min-width: 1280px)').matches)
  const [note, setNote] = useState<string>()
  const solo = useTransportValue(transport, (s) => s.solo)
  const shapes = samples.map((sample) => videoShape(findModel(sample.request.modelId), sample.request.params).aspectRatio)
  const aspects = shapes.map(aspectValue)
  // Wipe and Difference lay one video over the other: both must be kept in the library, and of one shape.
  const pair = samples.length === 2 && stored.every((v) => v.state === 'stored')
  const two = pair && aspects[0] === aspects[1]
  const shownMode = two ? mode : 'side'
  const videos = useMemo(() => new Map<number, HTMLVideoElement>(), [])
  // One ref callback per tile for the view's life: a fresh one each render would detach and attach every video.
  const count = samples.length
  const videoRefs = useMemo(
    () =>
      Array.from({ length: count }, (_, i) => (el: HTMLVideoElement | null) => {
        if (el) videos.set(i, el)
        else videos.delete(i)
        transport.attach(i, el ?? undefined)
      }),
    [count, transport, videos],
  )
  const hasLast = samples.some((s) => s.request.frames.last)

  const chooseHeat = (choice: HeatChoice) => {
    setHeat(choice)
    // The map belongs to one frame: show that frame under it.
    if (choice === 'first') transport.seekFrame(0)
    if (choice === 'last') transport.seekFrame(Number.MAX_SAFE_INTEGER)
  }

  const saveFrame = async () => {
    const frame = frameAt(transport.getState().time) + 1
    try {
      const shown = letters.flatMap((letter, i) => {
        const video = videos.get(i)
        return video && video.videoWidth > 0 ? [{ letter, video }] : []
      })
      const blob = await stillOfVideos(shown)
      // A local render says so in its file's name, wherever it goes.
      const local = samples.some((s) => s.provider === 'local') ? '-local-preview' : ''
      const name = `compare-${shown.map((s) => s.letter).join('')}${local}-frame-${frame}.png`
      saveBlob(blob, name)
      setNote(`Saved ${name}.`)
    } catch (e) {
      setNote(`The frame could not be saved: ${e instanceof Error ? e.message : String(e)}`)
    }
  }

  const section = useRef<HTMLElement>(null)
  const toggleWipe = () => setMode((m) => (m === 'wipe' ? 'side' : 'wipe'))
  useCompareKeys({
    togglePlay: () => transport.toggle(),
    step: (by) => transport.step(by),
    solo: (i) => transport.setSolo(transport.getState().solo === i ? undefined : i),
    toggleWipe: two ? toggleWipe : undefined,
    pan: (dx, dy) => setView((v) => clampView({ ...v, x: v.x + dx, y: v.y + dy })),
    close: onClose,
    count: samples.length,
    scope: section,
  })

  const tiles = samples.map((sample, i) => ({
    letter: letters[i]!,
    video: stored[i]!,
    // In Difference the heat maps would be blended into |A − B| and read as a difference of the videos.
    heatUrl: heat === 'off' || shownMode === 'difference' ? undefined : fidelityHeatUrl(fidelity[i], heat),
    aspect: aspects[i]!,
    header: (
      <TileHeader sample={sample} letter={letters[i]!} soloed={solo === i}>
        {fidelity[i] && <FidelityBadge fidelity={fidelity[i]} letter={letters[i]!} />}
      </TileHeader>
    ),
  }))

  return (
    <section ref={section} aria-labelledby="comparison-title" className="flex min-h-0 flex-1 flex-col gap-2">
      <div className="flex shrink-0 flex-wrap items-end gap-x-3 gap-y-2">
        <div>
          <h2 id="comparison-title" className="text-ui-lg font-semibold">
            Comparison
          </h2>
          <p className="text-ui-sm text-zinc-400">
            {`${plural(samples.length, 'sample')}, frame-locked`}
            {missing > 0 && ` · ${plural(missing, 'sample')} no longer in the library`}
          </p>
        </div>
        {pair && !two && (
          <p className="max-w-56 text-ui-sm text-zinc-400">{`Wipe and Difference need two videos of one shape: A is ${shapes[0]}, B is ${shapes[1]}.`}</p>
        )}
        {two && (
          <div className="w-56">
            <Segmented
              label="View"
              value={mode}
              options={[
                { value: 'side', label: 'Side by side' },
                { value: 'wipe', label: 'Wipe', title: 'B over A, split at the handle (W)' },
                { value: 'difference', label: 'Difference', title: 'Where A and B disagree: |A − B| as a heat map' },
              ]}
              onChange={(m: StageMode) => setMode(m)}
            />
          </div>
        )}
        <div className="w-32">
          <Segmented
            label="Zoom"
            value={view.zoom}
            options={ZOOMS.map((z) => ({
              value: z,
              label: `${z}×`,
              title: z > 1 ? 'Drag a video (or Shift+arrows) to pan all' : undefined,
            }))}
            onChange={(z: Zoom) => setView((v) => zoomTo(v, z))}
          />
        </div>
        <div className={hasLast ? 'w-60' : 'w-40'}>
          <Segmented
            label="Heat map"
            value={heat}
            options={[
              { value: 'off', label: 'Off' },
              { value: 'first', label: 'First frame', title: 'Where each video’s first frame differs from its uploaded first frame' },
              ...(hasLast
                ? [{ value: 'last' as const, label: 'Last frame', title: 'Where each video’s last frame differs from its last frame' }]
                : []),
            ]}
            onChange={chooseHeat}
          />
        </div>
        <div className="ml-auto flex gap-2">
          <Button onClick={() => void saveFrame()}>Save frame</Button>
          {!details && (
            <Button aria-expanded={false} aria-controls="compare-details" onClick={() => setDetails(true)}>
              Details
            </Button>
          )}
          <Button onClick={onClose}>Close</Button>
        </div>
      </div>
      <p aria-live="polite" className="sr-only">
        {note}
      </p>
      <div className="flex min-h-0 flex-1 gap-3">
        <CompareStage
          tiles={tiles}
          mode={shownMode}
          wipe={wipe}
          onWipe={setWipe}
          view={view}
          onPan={(dx, dy, w, h) => setView((v) => panBy(v, dx, dy, w, h))}
          videoRef={(i) => videoRefs[i]!}
        />
        {details && (
          <aside
            id="compare-details"
            aria-label="Details"
            className="relative w-[360px] shrink-0 overflow-y-auto border-l border-line pl-3"
          >
            <div className="relative z-10 -mb-6 flex justify-end">
              <Button size="sm" variant="ghost" aria-expanded={true} aria-controls="compare-details" onClick={() => setDetails(false)}>
                Hide details
              </Button>
            </div>
            <DifferencesTable samples={samples} letters={letters} />
          </aside>
        )}
      </div>
      <TransportBar transport={transport} letters={letters} />
    </section>
  )
}

function TileHeader({
  sample,
  letter,
  soloed,
  children,
}: {
  sample: SampleRecord
  letter: string
  soloed: boolean
  children: React.ReactNode
}) {
  return (
    <div className="flex items-start justify-between gap-2">
      <div className="flex min-w-0 flex-col gap-1">
        <div className="flex flex-wrap items-center gap-2 text-ui">
          <span className="grid size-6 place-items-center rounded-control bg-zinc-800 font-semibold text-zinc-50">{letter}</span>
          <span className="tabular text-zinc-200">{sample.seed === undefined ? 'Seed not known' : `Seed ${sample.seed}`}</span>
          {sample.provider === 'local' && <LocalPreviewChip className="text-ui-xs" />}
          {soloed && <span className="text-ui-sm text-accent">♪ Solo</span>}
        </div>
        {children}
      </div>
      <InputFrames request={sample.request} letter={letter} size={28} />
    </div>
  )
}
