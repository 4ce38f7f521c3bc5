/**
 * Why an archive was refused, or an export failed, in the studio's words: the sentence names the problem and the way
 * out; `details` holds the technical part (an entry's name, a parser's message), shown under Details.
 */
export class TransferProblem extends Error {
  constructor(
    message: string,
    readonly details?: string | undefined,
  ) {
    super(message)
    this.name = 'TransferProblem'
  }
}

const NOTHING = 'Nothing was imported.'

/** The file is not one of ours at all. */
export const notAnExport = (why: string, details?: string) =>
  new TransferProblem(`This file is not a Veo Studio export: ${why}. ${NOTHING} Choose a .zip made with Export in Veo Studio.`, details)

/** One of ours (or posing as one), but something in it is wrong: never written, whatever the rest holds. */
export const refused = (why: string, details?: string) =>
  new TransferProblem(`This export was refused: ${why}. ${NOTHING} Export it again from the studio that made it.`, details)

/** Cancel was pressed: not a failure, and nothing was written. */
export const isCancel = (e: unknown) => e instanceof DOMException && e.name === 'AbortError'

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DOMException('Cancelled', 'AbortError')
}
