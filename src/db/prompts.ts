import { useLiveQuery } from 'dexie-react-hooks'
import { db, type PromptRecord } from './db'

/** Keeps a sent prompt in the history (once per text; its last use and count move on). Call inside the task's transaction. */
export async function recordPrompt(text: string, at = Date.now()): Promise<void> {
  const prompt = text.trim()
  if (!prompt) return
  const known = await db.prompts.get(prompt)
  await db.prompts.put({ text: prompt, lastUsedAt: at, uses: (known?.uses ?? 0) + 1 })
}

/** Every word of the query appears in the prompt (case and accents aside). */
export function matchesQuery(prompt: string, query: string): boolean {
  const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
  const hay = fold(prompt)
  return fold(query)
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => hay.includes(word))
}

/** The history, most recently used first, filtered by the query's words; at most `limit`. Live; undefined until read. */
export function usePromptHistory(query: string, limit = 8): PromptRecord[] | undefined {
  return useLiveQuery(
    () =>
      db.prompts
        .orderBy('lastUsedAt')
        .reverse()
        .filter((p) => matchesQuery(p.text, query))
        .limit(limit)
        .toArray(),
    [query, limit],
  )
}
