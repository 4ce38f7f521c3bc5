import { useMemo } from 'react'
import type { ModelPrice } from '../../api/studio-settings'
import type { StoredRequest, VaryKey } from '../../db/db'
import { plural, truncate } from '../../lib/format'
import { findModel, models, videoShape, type IntegerField } from '../../models'
import {
  expandSweep,
  parseSeeds,
  parseVariants,
  planSweep,
  summarize,
  variedLabel,
  varyOptions,
  type SweepCell,
  type SweepPlan,
  type SweepSummary,
  type Vary,
} from './sweep'

/*
 * The sweep as Compose shows it while the designer types: its prompts, seeds, varied values, summary, and the first
 * reason it cannot run. Pure apart from the hook at the end, so the tests can drive it with plain values.
 */

export interface SweepText {
  variantsText: string
  seedsText: string
  varyKey: VaryKey | 'none'
  varyValues: Partial<Record<VaryKey, (string | number)[]>>
}

export interface LiveSweep {
  variants: string[]
  seedRange: { min: number; max: number }
  /** The parseSeeds message, naming the field and the fix. */
  seedsError?: string | undefined
  vary?: Vary | undefined
  cells: SweepCell[]
  summary: SweepSummary
  /** What the sweep leaves out without being asked, e.g. a varied model that takes fewer frames than the draft holds. */
  notes: string[]
  /** Why Run sweep cannot run, naming the first failing cell; undefined when every cell is ready. */
  problem?: string | undefined
  /** The board and requests to write. With no seeds listed, one drawn seed serves the whole sweep (comparable columns). */
  plan(drawSeed: () => number): SweepPlan
}

/** The seed field of the draft's model (its range bounds Sweep seeds and Random seeds). */
export function seedFieldOf(modelId: string): IntegerField | undefined {
  const isSeed = (f: { key: string; kind: string }): f is IntegerField => f.key === 'seed' && f.kind === 'integer'
  return findModel(modelId)?.fields.find(isSeed) ?? models.flatMap((m) => m.fields).find(isSeed)
}

/** The ticked values of the varied key, in the catalogue's order; every allowed value while none was chosen. */
export function chosenVary(text: SweepText, modelId: string): Vary | undefined {
  if (text.varyKey === 'none') return undefined
  const allowed = varyOptions(text.varyKey, findModel(modelId)).map((o) => o.value)
  const ticked = text.varyValues[text.varyKey]
  return { key: text.varyKey, values: ticked ? allowed.filter((v) => ticked.includes(v)) : allowed }
}

export function describeSweep(
  draft: StoredRequest,
  text: SweepText,
  prices: Record<string, ModelPrice>,
  check: (request: StoredRequest) => string | undefined,
): LiveSweep {
  const prompt = typeof draft.params.prompt === 'string' ? draft.params.prompt : ''
  const variants = parseVariants(text.variantsText, prompt)
  const seedField = seedFieldOf(draft.modelId)
  const seedRange = { min: seedField?.min ?? 0, max: seedField?.max ?? 0 }
  const parsed = parseSeeds(text.seedsText, seedRange.max)
  const seeds = parsed.ok ? parsed.seeds : []
  const vary = chosenVary(text, draft.modelId)
  const expand = (drawSeed: () => number) =>
    expandSweep({ variantsText: text.variantsText, prompt, seeds: seeds.length ? seeds : [drawSeed()], vary }, drawSeed)
  // The preview's stand-in seed only counts cells; Run sweep draws the real one.
  const cells = expand(() => seedRange.min)

  // Each cell's request, built once: its shape, its price and Generate's checks all read it.
  const planned = planSweep(draft, cells).cells.map(({ request }) => ({
    request,
    shape: videoShape(findModel(request.modelId), request.params),
  }))
  const summary = summarize(
    cells,
    videoShape(findModel(draft.modelId), draft.params).sampleCount,
    (_, i) => planned[i]!.shape.durationSeconds,
    (_, i) => prices[planned[i]!.request.modelId]?.[planned[i]!.shape.audio ? 'withAudio' : 'silent'],
  )

  let problem: string | undefined
  if (!variants.length) problem = 'Write a prompt, or prompt variants (one per line).'
  else if (!parsed.ok) problem = parsed.message
  else if (vary && !vary.values.length) problem = 'Vary: tick at least one value to try, or choose None.'
  else
    for (const [i, cell] of cells.entries()) {
      const reason = check(planned[i]!.request)
      if (!reason) continue
      const where = [`"${truncate(cell.prompt, 48)}"`, cell.varied && variedLabel(cell.varied), seeds.length > 0 && `Seed ${cell.seed}`]
      problem = `${where.filter(Boolean).join(' · ')}: ${reason}`
      break
    }

  return {
    variants,
    seedRange,
    notes: frameNotes(draft, vary),
    seedsError: parsed.ok ? undefined : parsed.message,
    vary,
    cells,
    summary,
    problem,
    plan: (drawSeed) => planSweep(draft, expand(drawSeed)),
  }
}

/**
 * A sweep that varies the model sends each cell only the frames its model takes (planSweep): say so, rather than
 * drop a frame silently. "Veo 3.0 uses the first frame only: its tasks send the first frame."
 */
export function frameNotes(draft: StoredRequest, vary: Vary | undefined): string[] {
  if (vary?.key !== 'modelId') return []
  const held = Object.keys(draft.frames).filter((slot) => draft.frames[slot as keyof StoredRequest['frames']])
  const notes: string[] = []
  for (const id of vary.values) {
    const model = findModel(String(id))
    if (!model || !held.some((slot) => !model.frames.some((f) => f.slot === slot))) continue
    const kept = model.frames.filter((f) => held.includes(f.slot)).map((f) => f.label.toLowerCase())
    if (!kept.length) continue
    const words = kept.join(' and ')
    notes.push(`${model.shortName} uses the ${words} only: its tasks send the ${words}.`)
  }
  return notes
}

export function useLiveSweep(
  draft: StoredRequest,
  text: SweepText,
  prices: Record<string, ModelPrice>,
  check: (request: StoredRequest) => string | undefined,
): LiveSweep {
  const { variantsText, seedsText, varyKey, varyValues } = text
  return useMemo(
    () => describeSweep(draft, { variantsText, seedsText, varyKey, varyValues }, prices, check),
    [draft, variantsText, seedsText, varyKey, varyValues, prices, check],
  )
}

/** "4 tasks · 4 videos · 32 s of video · ≈ 6.40", in parts, so the tasks can be set in bold. */
export function summaryParts(summary: SweepSummary): { tasks: string; rest: string } {
  const rest = [plural(summary.videos, 'video'), `${summary.seconds.toLocaleString('en')} s of video`]
  if (summary.cost !== undefined) rest.push(`≈ ${summary.cost.toFixed(2)}`)
  return { tasks: plural(summary.tasks, 'task'), rest: rest.join(' · ') }
}

/**
 * "Sends over about 18 min at 2 requests per minute", when the queue's pacing makes sending last more than a minute
 * (more tasks than one minute's requests); undefined when it all goes within the minute.
 */
export function sendingTime(tasks: number, perMinute: number): string | undefined {
  if (!(perMinute > 0) || tasks <= perMinute) return undefined
  const minutes = Math.ceil(tasks / perMinute)
  return `Sends over about ${minutes} min at ${plural(perMinute, 'request')} per minute`
}
