import { diffWords, type Change } from 'diff'

/** One run of a word diff: kept as is, only in the old prompt, or only in the new one. */
export interface DiffPart {
  kind: 'same' | 'removed' | 'added'
  text: string
}

/**
 * diffWords' changes as display runs. Spaces at the edge of a removed or added run move into a kept run, so a
 * strike-through or an underline covers words, not the gaps around them; neighbouring runs of one kind merge.
 */
export function toDiffParts(changes: readonly Change[]): DiffPart[] {
  const parts: DiffPart[] = []
  const push = (kind: DiffPart['kind'], text: string) => {
    if (!text) return
    const last = parts.at(-1)
    if (last?.kind === kind) last.text += text
    else parts.push({ kind, text })
  }
  for (const change of changes) {
    const kind = change.added ? 'added' : change.removed ? 'removed' : 'same'
    if (kind === 'same') {
      push(kind, change.value)
      continue
    }
    const [, lead = '', core = '', trail = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(change.value) ?? []
    push('same', lead)
    push(kind, core)
    push('same', trail)
  }
  // A bare space between two runs of one change ("red" " " "big", all removed) joins them into one run.
  const runs: DiffPart[] = []
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!
    const last = runs.at(-1)
    const next = parts[i + 1]
    if (last && next && part.kind === 'same' && !part.text.trim() && last.kind !== 'same' && next.kind === last.kind) {
      last.text += part.text + next.text
      i++
    } else runs.push(part)
  }
  return runs
}

/** The word diff from `before` to `after`. */
export const wordDiffParts = (before: string, after: string): DiffPart[] => toDiffParts(diffWords(before, after))

/**
 * One side of the diff, as it reads in its own prompt: the old side keeps its removed words, the new side its
 * added ones. Dropping the other side's words leaves the spaces that stood around them, so where two spaces
 * meet only one is kept, and the side neither starts nor ends with a space.
 */
export function sideParts(parts: readonly DiffPart[], side: 'before' | 'after'): DiffPart[] {
  const hidden = side === 'before' ? 'added' : 'removed'
  const runs: DiffPart[] = []
  for (const part of parts) {
    if (part.kind === hidden) continue
    const last = runs.at(-1)
    let text = part.text
    if (!last || /\s$/.test(last.text)) text = text.replace(/^\s+/, '')
    if (!text) continue
    if (last?.kind === part.kind) last.text += text
    else runs.push({ kind: part.kind, text })
  }
  const end = runs.at(-1)
  if (end) end.text = end.text.replace(/\s+$/, '')
  return runs.filter((r) => r.text)
}

const wordCount = (text: string) => text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0

/** "2 words removed · 3 added", or "Same words" when nothing changed: a one-line reading of the diff. */
export function diffSummary(parts: readonly DiffPart[]): string {
  let removed = 0
  let added = 0
  for (const p of parts) {
    if (p.kind === 'removed') removed += wordCount(p.text)
    if (p.kind === 'added') added += wordCount(p.text)
  }
  if (!removed && !added) {
    return parts.some((p) => p.kind !== 'same') ? 'Only punctuation differs' : 'Same words'
  }
  const words = (n: number) => `${n} ${n === 1 ? 'word' : 'words'}`
  if (!added) return `${words(removed)} removed`
  if (!removed) return `${words(added)} added`
  return `${words(removed)} removed · ${added} added`
}
