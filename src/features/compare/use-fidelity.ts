import { useEffect, useMemo, useState } from 'react'
import type { SampleRecord } from '../../db/db'
import { fidelityPlan, type FidelityPlan, type SampleFidelity } from './fidelity-plan'
import { measureSample } from './fidelity-run'

export type { FrameFidelity, FrameSide, SampleFidelity } from './fidelity-plan'
export { fidelityHeatUrl } from './fidelity-plan'

/*
 * Results by sample id, for this page's life: a sample's video and frames never change, so reopening a comparison
 * shows its numbers at once. A few comparisons' worth are kept; the oldest go, and their heat maps' URLs with them
 * (never one on screen: a comparison shows at most 4 samples).
 */
const KEPT = 16
/** The measurement, and its numbers once they are in (read during render, so a reopening never flashes 'measuring'). */
const results = new Map<string, { promise: Promise<SampleFidelity>; done?: SampleFidelity }>()

function remember(id: string, entry: { promise: Promise<SampleFidelity>; done?: SampleFidelity }) {
  results.delete(id)
  results.set(id, entry)
  while (results.size > KEPT) {
    const [oldest, gone] = results.entries().next().value!
    results.delete(oldest)
    void gone.promise.then(revokeHeat)
  }
}

function revokeHeat(f: SampleFidelity) {
  if (f.state !== 'done') return
  if (f.first) URL.revokeObjectURL(f.first.heatUrl)
  if (f.last) URL.revokeObjectURL(f.last.heatUrl)
}

/* One sample at a time: each grab decodes a 1080p video, and four at once would stutter the playing comparison. */
let turn: Promise<unknown> = Promise.resolve()

function fidelityOf(sample: SampleRecord, plan: FidelityPlan & { kind: 'measure' }): Promise<SampleFidelity> {
  const known = results.get(sample.id)
  if (known) {
    remember(sample.id, known)
    return known.promise
  }
  const promise = turn.then(() =>
    measureSample(sample, plan).catch((e: unknown): SampleFidelity => ({
      state: 'failed',
      message: e instanceof Error ? e.message : String(e),
    })),
  )
  turn = promise
  const entry: { promise: Promise<SampleFidelity>; done?: SampleFidelity } = { promise }
  remember(sample.id, entry)
  void promise.then((r) => {
    if (r.state === 'done') entry.done = r
    // Only numbers are kept: a failure, or a frame gone missing, is tried again on the next opening.
    else if (results.get(sample.id) === entry) results.delete(sample.id)
  })
  return promise
}

/** Forgets every kept result and revokes its heat maps: for tests, and for a page that wants its memory back. */
export function forgetFidelity(): void {
  for (const r of results.values()) void r.promise.then(revokeHeat)
  results.clear()
}

/**
 * Each sample's frame fidelity, in the order given: PSNR and SSIM of its first (and last) frame against the frames
 * it was made from, measured in a worker on downscaled frames, from the library's copies.
 */
export function useFidelity(samples: readonly SampleRecord[]): readonly SampleFidelity[] {
  const [settled, setSettled] = useState<ReadonlyMap<string, SampleFidelity>>(new Map())
  const key = samples.map((s) => `${s.id}|${s.stored}`).join('\n')

  useEffect(() => {
    let live = true
    samples.forEach((sample) => {
      const plan = fidelityPlan(sample)
      if (plan.kind === 'unavailable') return
      void fidelityOf(sample, plan).then((r) => {
        if (live) setSettled((prev) => (prev.get(sample.id) === r ? prev : new Map(prev).set(sample.id, r)))
      })
    })
    return () => {
      live = false
    }
    // `key` names every sample and whether it is stored; the array is fresh each render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])

  return useMemo(
    () =>
      samples.map((sample): SampleFidelity => {
        const plan = fidelityPlan(sample)
        if (plan.kind === 'unavailable') return { state: 'unavailable', reason: plan.reason }
        return settled.get(sample.id) ?? results.get(sample.id)?.done ?? { state: 'measuring' }
      }),
    // oxlint-disable-next-line react-hooks/exhaustive-deps
    [key, settled],
  )
}
