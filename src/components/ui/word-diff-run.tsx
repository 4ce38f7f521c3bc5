import type { DiffPart } from '../../lib/word-diff'

/**
 * One run of a word diff (lib/word-diff.ts): removed words struck through in red, added ones in green, the rest as
 * it is. The colour and the line say "removed" or "added" to the eye; a hidden word says it to a screen reader.
 * `spaced`: a removed run followed by its replacement keeps a space between the two.
 */
export function WordDiffRun({ part, spaced = false }: { part: DiffPart; spaced?: boolean }) {
  if (part.kind === 'removed')
    return (
      <>
        <del className="rounded-sm bg-red-950/60 text-red-300 decoration-red-400">
          <span className="sr-only">removed: </span>
          {part.text}
        </del>
        {spaced && ' '}
      </>
    )
  if (part.kind === 'added')
    return (
      <ins className="rounded-sm bg-green-950/60 text-green-300 no-underline">
        <span className="sr-only">added: </span>
        {part.text}
      </ins>
    )
  return part.text
}
