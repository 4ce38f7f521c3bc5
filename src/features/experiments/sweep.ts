/*
 * A sweep, as pure data: which prompts, seeds and values of one more parameter a designer asked for, and the
 * tasks they make. Compose shows its summary live; the board lays its cells out by row (variant) and column
 * (seed, or value of the varied parameter). No I/O here: the queue sends what this decides.
 */

import type { CellRef, ExperimentColumn, StoredRequest, VaryKey } from '../../db/db'
import { findModel, models, type ModelSpec } from '../../models'

export type { VaryKey }

export interface Vary {
  key: VaryKey
  values: readonly (string | number)[]
}

export interface SweepInput {
  /** The Prompt variants box: one prompt per line, `{a|b}` alternatives inside a line. */
  variantsText: string
  /** The Prompt field: the only variant while the box is empty. */
  prompt: string
  /** The seeds, already parsed (parseSeeds). */
  seeds: readonly number[]
  vary?: Vary | undefined
}

/** One task of a sweep: its place on the board and what it changes in the base request. */
export interface SweepCell {
  row: number
  col: number
  prompt: string
  seed: number
  /** The varied parameter's value for this cell, when the sweep varies one. */
  varied?: { key: VaryKey; value: string | number } | undefined
}

/** At most this many prompts from one line's alternatives: a typo like `{a|b}{c|d}…` should not make a thousand. */
export const MAX_VARIANTS = 64

/**
 * `a {red|blue} kite` → ["a red kite", "a blue kite"]. Groups multiply (`{a|b} {c|d}` is four); braces without a
 * `|` inside are kept as written; white space is tidied so an empty alternative leaves no double space.
 */
export function expandAlternatives(line: string): string[] {
  let out = ['']
  const pattern = /\{([^{}]*\|[^{}]*)\}/g
  let last = 0
  for (const match of line.matchAll(pattern)) {
    const before = line.slice(last, match.index)
    const options = match[1]!.split('|').map((o) => o.trim())
    out = out.flatMap((head) => options.map((o) => head + before + o)).slice(0, MAX_VARIANTS)
    last = match.index + match[0].length
  }
  const tail = line.slice(last)
  return out.map((head) => (head + tail).replace(/\s+/g, ' ').trim())
}

/** Every prompt variant, in the order written, each once; the Prompt field when the box holds none. */
export function parseVariants(variantsText: string, prompt: string): string[] {
  const seen = new Set<string>()
  for (const line of variantsText.split('\n')) for (const p of expandAlternatives(line)) if (p) seen.add(p)
  if (seen.size === 0 && prompt.trim()) seen.add(prompt.trim())
  return [...seen].slice(0, MAX_VARIANTS)
}

export type ParsedSeeds = { ok: true; seeds: number[] } | { ok: false; message: string }

/** "11, 22 33" → [11, 22, 33]; names the first entry that is not a whole number in range, and the fix. */
export function parseSeeds(text: string, max: number): ParsedSeeds {
  const seeds: number[] = []
  for (const token of text.split(/[\s,;]+/).filter(Boolean)) {
    const n = Number(token)
    if (!/^\d+$/.test(token) || n > max)
      return { ok: false, message: `Sweep seeds: "${token}" is not a seed. Use whole numbers from 0 to ${max.toLocaleString('en')}.` }
    if (!seeds.includes(n)) seeds.push(n)
  }
  return { ok: true, seeds }
}

/**
 * The cells of a sweep: rows are the variants; columns are the varied values, each crossed with every seed (or the
 * seeds alone when nothing else varies). Without seeds, each column still gets one task, with a seed drawn later.
 */
export function expandSweep(input: SweepInput, drawSeed: () => number): SweepCell[] {
  const variants = parseVariants(input.variantsText, input.prompt)
  const seeds = input.seeds.length ? input.seeds : [undefined]
  const values = input.vary?.values.length ? input.vary.values : [undefined]
  const cells: SweepCell[] = []
  variants.forEach((prompt, row) => {
    let col = 0
    for (const value of values)
      for (const seed of seeds) {
        const varied = input.vary && value !== undefined ? { key: input.vary.key, value } : undefined
        cells.push({ row, col: col++, prompt, seed: seed ?? drawSeed(), varied })
      }
  })
  return cells
}

export interface SweepSummary {
  tasks: number
  videos: number
  seconds: number
  /** Only when every model of the sweep has a price per second of video. */
  cost?: number | undefined
}

/**
 * What a sweep will cost, before it runs: "4 tasks · 4 videos · 32 s of video · ≈ 6.40". `secondsOf` and
 * `priceOf` read a cell's (or the cell at that index's) duration and its price per second (undefined when no price is set).
 */
export function summarize(
  cells: readonly SweepCell[],
  samplesPerTask: number,
  secondsOf: (cell: SweepCell, index: number) => number,
  priceOf: (cell: SweepCell, index: number) => number | undefined,
): SweepSummary {
  let seconds = 0
  let cost: number | undefined = 0
  cells.forEach((cell, i) => {
    const s = secondsOf(cell, i) * samplesPerTask
    seconds += s
    const price = priceOf(cell, i)
    cost = cost === undefined || price === undefined ? undefined : cost + s * price
  })
  return { tasks: cells.length, videos: cells.length * samplesPerTask, seconds, cost: cells.length ? cost : undefined }
}

/**
 * The request one cell sends: the sweep's base request with the row's prompt, the column's seed and the varied
 * value in place (a varied model changes the model itself).
 */
export function cellRequest(base: StoredRequest, prompt: string, column: ExperimentColumn): StoredRequest {
  const params = { ...base.params, prompt, seed: column.seed }
  const varied = column.varied
  if (varied && varied.key !== 'modelId') params[varied.key] = varied.value
  return { ...base, modelId: varied?.key === 'modelId' ? String(varied.value) : base.modelId, params }
}

/** n different seeds from min to max, for the Random seeds button (fewer when the range holds fewer). */
export function randomSeeds(n: number, min: number, max: number, random: () => number = Math.random): number[] {
  const want = Math.max(0, Math.min(Math.floor(n), max - min + 1))
  const seeds = new Set<number>()
  while (seeds.size < want) seeds.add(min + Math.floor(random() * (max - min + 1)))
  return [...seeds]
}

/** The values a sweep may try for a varied key: the base model's options, or every model of the catalogue. */
export function varyOptions(key: VaryKey, model: ModelSpec | undefined): { value: string | number; label: string }[] {
  if (key === 'modelId') return models.map((m) => ({ value: m.id, label: m.shortName }))
  const field = model?.fields.find((f) => f.key === key)
  return field?.kind === 'enum' ? field.options.map(({ value, label }) => ({ value, label })) : []
}

/** A varied value as a designer reads it: "8 s", "1080p", "Veo 3.1". */
export function variedLabel(varied: { key: VaryKey; value: string | number }): string {
  if (varied.key === 'modelId') return findModel(String(varied.value))?.shortName ?? String(varied.value)
  return varyOptions(varied.key, models[0]).find((o) => o.value === varied.value)?.label ?? String(varied.value)
}

/** What Run sweep writes: the board's rows and columns, and each cell's request in sending order. */
export interface SweepPlan {
  rows: string[]
  columns: ExperimentColumn[]
  cells: { cell: CellRef; request: StoredRequest }[]
}

/**
 * The board and the requests of expanded cells. A cell sends only the frames its own model takes, so a sweep that
 * varies the model may start from a draft holding both frames.
 */
export function planSweep(base: StoredRequest, cells: readonly SweepCell[]): SweepPlan {
  const rows: string[] = []
  const columns: ExperimentColumn[] = []
  for (const c of cells) {
    rows[c.row] ??= c.prompt
    columns[c.col] ??= { seed: c.seed, varied: c.varied }
  }
  return {
    rows,
    columns,
    cells: cells.map(({ row, col }) => {
      const request = cellRequest(base, rows[row]!, columns[col]!)
      const slots = findModel(request.modelId)?.frames.map((f) => f.slot) ?? []
      const frames: StoredRequest['frames'] = {}
      for (const slot of slots) if (request.frames[slot]) frames[slot] = request.frames[slot]
      return { cell: { row, col }, request: { ...request, frames } }
    }),
  }
}
