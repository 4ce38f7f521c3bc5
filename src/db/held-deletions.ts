import * as z from 'zod/mini'

/*
 * The deletions whose Undo is still on offer, kept in this browser so that a reload inside the window offers Undo
 * again (the gateway keeps a deleted sample for some minutes, but it does not list deleted samples). Undo or the
 * toast's end forgets one; a toast dismissed without Undo is therefore never offered again. The list holds a few
 * small entries at most: each is gone once its window has passed.
 */

/** A deletion of one or more samples: one stamp, one toast, one Undo. */
export interface Deletion {
  ids: string[]
  /** The gateway's stamp: Undo restores exactly the samples deleted with it. */
  deletedAt: number
  /** When its toast goes, by this browser's clock. */
  until: number
  /** What its toast says. */
  message: string
}

const KEY = 'veo-studio:deletions'
const deletionsSchema = z.array(z.object({ ids: z.array(z.string()), deletedAt: z.number(), until: z.number(), message: z.string() }))

function read(): Deletion[] {
  try {
    const parsed = deletionsSchema.safeParse(JSON.parse(globalThis.localStorage?.getItem(KEY) ?? '[]'))
    return parsed.success ? parsed.data : []
  } catch {
    return []
  }
}

function write(deletions: readonly Deletion[]) {
  try {
    if (deletions.length) globalThis.localStorage?.setItem(KEY, JSON.stringify(deletions))
    else globalThis.localStorage?.removeItem(KEY)
  } catch {
    // A browser that refuses storage: Undo still works in this tab, only a reload loses the offer.
  }
}

/** The deletions still undoable, oldest first; the ones past their window are forgotten here. */
export function heldDeletions(now = Date.now()): Deletion[] {
  const all = read()
  const live = all.filter((d) => d.until > now)
  if (live.length < all.length) write(live)
  return live.sort((a, b) => a.deletedAt - b.deletedAt)
}

export function holdDeletion(deletion: Deletion): void {
  write([...heldDeletions().filter((d) => d.deletedAt !== deletion.deletedAt), deletion])
}

export function forgetDeletion(deletedAt: number): void {
  const all = read()
  const kept = all.filter((d) => d.deletedAt !== deletedAt)
  if (kept.length < all.length) write(kept)
}
