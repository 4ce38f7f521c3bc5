import { LOCAL_PREVIEW } from '../../components/ui/local-preview-chip'
import type { ProviderId } from '../../api/gateway-urls'
import type { SampleRecord } from '../../db/db'
import { slug } from '../../lib/format'

/** What the gallery calls each provider: a local render is never mistaken for Veo. */
export const PROVIDER_LABEL: Record<ProviderId, string> = {
  local: LOCAL_PREVIEW,
  jiekou: 'jiekou.ai',
}

/**
 * "slow-zoom-in-seed-42.mp4"; a local render says so in its name ("slow-zoom-in-local-preview-seed-42.mp4"), and a
 * sample index is added when several share a seed.
 */
export function downloadName(sample: Pick<SampleRecord, 'request' | 'seed' | 'index' | 'provider'>): string {
  const prompt = slug(String(sample.request.params.prompt ?? ''))
  const local = sample.provider === 'local' ? '-local-preview' : ''
  const seed = sample.seed === undefined ? '' : `-seed-${sample.seed}`
  const index = sample.index > 0 ? `-${sample.index + 1}` : ''
  return `${prompt}${local}${seed}${index}.mp4`
}

/** "2 of 4" for each sample of a task that made more than one; counted over the samples the gallery holds. */
export function sampleOrdinals(samples: readonly Pick<SampleRecord, 'id' | 'taskRecordId' | 'index'>[]): Map<string, string> {
  const totals = new Map<string, number>()
  for (const s of samples) {
    // The provider numbers a task's videos; a deleted one leaves the others' numbers as they were.
    totals.set(s.taskRecordId, Math.max(totals.get(s.taskRecordId) ?? 0, s.index + 1))
  }
  const out = new Map<string, string>()
  for (const s of samples) {
    const total = totals.get(s.taskRecordId)!
    if (total > 1) out.set(s.id, `${s.index + 1} of ${total}`)
  }
  return out
}

/** "seed 42 · 2 of 4", or "seed 42" alone when the task made one sample. */
export function seedLabel(seed: string | undefined, ordinal: string | undefined): string {
  const s = `seed ${seed ?? '?'}`
  return ordinal ? `${s} · ${ordinal}` : s
}
