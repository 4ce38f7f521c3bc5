import { sql, type SqlBool } from 'kysely'
import type { LibraryKysely } from '../db.ts'
import { containing } from './text-match.ts'
import { after, epochMicros, toPage, type Keyset, type Page } from './keyset.ts'

/* The prompt history, most recently used first, scoped by workspace. */

export interface PromptListRow {
  text: string
  last_used_at: Date
  uses: number
  at_us: string
}

/** Prompts holding every word of `query` (case aside), newest use first. */
export async function listPrompts(
  db: LibraryKysely,
  ws: string,
  query: string,
  page: { limit: number; after?: Keyset | undefined },
): Promise<Page<PromptListRow>> {
  const words = query.split(/\s+/).filter(Boolean)
  const rows = await db
    .selectFrom('prompts')
    .select(['prompts.text', 'prompts.last_used_at', 'prompts.uses'])
    .select(epochMicros('prompts.last_used_at').as('at_us'))
    .where('prompts.workspace_id', '=', ws)
    .$if(words.length > 0, (q) =>
      q.where((eb) => eb.and(words.map((w) => sql<SqlBool>`${sql.ref('prompts.text')} ilike ${containing(w)}`))),
    )
    .$if(page.after !== undefined, (q) => q.where(after('prompts.last_used_at', 'prompts.text', page.after!)))
    .orderBy('prompts.last_used_at', 'desc')
    .orderBy('prompts.text', 'desc')
    .limit(page.limit + 1)
    .execute()
  return toPage(rows, page.limit, (r) => r.text)
}

/** One use of a prompt: kept if new, else counted again and moved to the top. */
export function recordPromptUse(
  db: LibraryKysely,
  ws: string,
  text: string,
  at: Date,
): Promise<{ text: string; last_used_at: Date; uses: number }> {
  return db
    .insertInto('prompts')
    .values({ workspace_id: ws, text, last_used_at: at, uses: 1 })
    .onConflict((oc) => oc.columns(['workspace_id', 'text']).doUpdateSet({ last_used_at: at, uses: sql`prompts.uses + 1` }))
    .returning(['text', 'last_used_at', 'uses'])
    .executeTakeFirstOrThrow()
}
