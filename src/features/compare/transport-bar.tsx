import { useRef, useSyncExternalStore } from 'react'
import { Button } from '../../components/ui/button'
import { Segmented } from '../../components/ui/segmented'
import { FPS, clampFrame, frameAt, frameCount, timecode } from './frame-lock'
import type { Transport, TransportState } from './transport'

/** The transport's state, re-rendering the caller on every change (the playhead: every animation frame). */
export const useTransportState = (transport: Transport): TransportState => useSyncExternalStore(transport.subscribe, transport.getState)

/** One value of the transport's state: the caller re-renders only when it changes. */
export function useTransportValue<T extends string | number | boolean | undefined>(
  transport: Transport,
  pick: (s: TransportState) => T,
): T {
  return useSyncExternalStore(transport.subscribe, () => pick(transport.getState()))
}

const SPEEDS = [0.25, 0.5, 1, 1.5, 2] as const
const speedLabel = (s: number) => `${s}×`

interface TransportBarProps {
  transport: Transport
  letters: readonly string[]
}

/**
 * One transport for every video: frame steps either side of Play, the Timeline (a frame per step, a tick per second),
 * the timecode in seconds and frames, Loop, Speed and whose sound plays (Solo; muted by default).
 */
export function TransportBar({ transport, letters }: TransportBarProps) {
  const state = useTransportState(transport)
  const frames = frameCount(state.duration)
  const frame = clampFrame(frameAt(state.time), frames)
  const known = Number.isFinite(state.duration)
  const code = known ? timecode(state.time, state.duration) : 'Loading…'
  // Dragging the Timeline while playing would fight the playhead: playback holds for the drag and goes on after it.
  const resumeAfterDrag = useRef(false)

  return (
    <div role="group" aria-label="Transport" className="flex shrink-0 flex-col gap-2 rounded-control border border-line bg-panel px-3 py-2">
      <div className="flex items-center gap-2">
        <Button size="sm" onClick={() => transport.step(-1)} disabled={!known}>
          <span aria-hidden="true">◀︎|</span> Previous frame
        </Button>
        <Button size="sm" variant="primary" className="w-20" onClick={() => transport.toggle()} disabled={!known}>
          <span aria-hidden="true">{state.playing ? '❚❚' : '▶︎'}</span> {state.playing ? 'Pause' : 'Play'}
        </Button>
        <Button size="sm" onClick={() => transport.step(1)} disabled={!known}>
          Next frame <span aria-hidden="true">|▶︎</span>
        </Button>
        <label className="flex min-w-0 flex-1 items-center gap-2 text-ui text-zinc-400">
          Timeline
          <input
            type="range"
            min={0}
            max={frames - 1}
            step={1}
            value={frame}
            disabled={!known}
            aria-valuetext={code}
            onChange={(e) => transport.seekFrame(Number(e.currentTarget.value))}
            onPointerDown={() => {
              resumeAfterDrag.current = state.playing
              transport.pause()
            }}
            onPointerUp={() => {
              if (resumeAfterDrag.current) transport.play()
              resumeAfterDrag.current = false
            }}
            className="min-w-0 flex-1 accent-accent"
            // A tick under every second of the timeline.
            style={{
              backgroundImage: known
                ? `repeating-linear-gradient(to right, var(--color-zinc-600) 0 1px, transparent 1px ${(100 * FPS) / Math.max(1, frames - 1)}%)`
                : undefined,
              backgroundSize: '100% 4px',
              backgroundPosition: 'bottom',
              backgroundRepeat: 'no-repeat',
            }}
          />
        </label>
        <output aria-live="off" className="w-44 shrink-0 text-right text-ui tabular text-zinc-200">
          {code}
        </output>
      </div>
      <div className="flex flex-wrap items-end gap-x-4 gap-y-2">
        <Button
          size="sm"
          variant={state.loop ? 'on' : 'secondary'}
          aria-pressed={state.loop}
          onClick={() => transport.setLoop(!state.loop)}
        >
          <span aria-hidden="true">↻</span> Loop
        </Button>
        <div className="w-64">
          <Segmented
            label="Speed"
            value={state.speed}
            options={SPEEDS.map((s) => ({ value: s, label: speedLabel(s) }))}
            onChange={(s) => transport.setSpeed(s)}
          />
        </div>
        <div className="w-52">
          <Segmented
            label="Solo"
            value={state.solo ?? -1}
            options={[
              { value: -1, label: 'Off', title: 'Every video muted' },
              ...letters.map((l, i) => ({ value: i, label: l, title: `Hear ${l} only` })),
            ]}
            onChange={(v) => transport.setSolo(v < 0 ? undefined : v)}
          />
        </div>
      </div>
    </div>
  )
}
