import { useMemo } from 'react'
import type { SampleRecord } from '../../db/db'
import { cn } from '../../lib/cn'
import { WordDiffRun } from '../../components/ui/word-diff-run'
import { wordDiffParts } from '../../lib/word-diff'
import { differenceRows, NOT_SET, type DifferenceRow } from './differences'
import { InputFrames } from './input-frames'

interface DifferencesTableProps {
  samples: readonly Pick<SampleRecord, 'request' | 'seed'>[]
  /** Each sample's tile letter, in the same order (A–D). */
  letters: readonly string[]
}

/**
 * What made the compared samples, field by field, one column per sample. It sits in a side panel about 400 px
 * wide, so the layout is fixed (the columns share the width evenly) and every value wraps rather than widening the
 * page. A row that differs wears an accent bar, a tint and a "differs" badge in its header, so its header reads
 * "Prompt differs" to a screen reader too; rows that agree recede.
 */
export function DifferencesTable({ samples, letters }: DifferencesTableProps) {
  const rows = useMemo(() => differenceRows(samples), [samples])
  return (
    <table className="w-full table-fixed border-collapse text-left text-ui-sm">
      <caption className="mb-2 text-left text-ui font-semibold text-zinc-200">Differences</caption>
      <colgroup>
        {/* Wide enough for "Negative prompt" on two lines and the badge under a short label. */}
        <col className="w-[5.5rem]" />
        {samples.map((_, i) => (
          <col key={i} />
        ))}
      </colgroup>
      <thead>
        <tr>
          <th scope="col" className="border-b border-line px-1.5 py-1 font-normal">
            <span className="sr-only">Field</span>
          </th>
          {samples.map((_, i) => (
            <th key={i} scope="col" className="border-b border-line px-1 py-1 text-ui font-semibold text-zinc-200">
              {letters[i]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} className={cn('border-b border-line/70', row.differs ? 'bg-accent-soft' : 'text-zinc-500')}>
            <th
              scope="row"
              className={cn(
                'border-l-2 px-1.5 py-1.5 align-top font-normal break-words',
                row.differs ? 'border-l-accent text-zinc-100' : 'border-l-transparent',
              )}
            >
              {row.label}
              {row.differs && (
                <>
                  {' '}
                  <span className="mt-0.5 inline-block rounded-full bg-accent/25 px-1.5 text-ui-xs leading-4 text-accent">differs</span>
                </>
              )}
            </th>
            {samples.map((sample, i) => (
              <td key={i} className={cn('px-1 py-1.5 align-top wrap-anywhere', cellTone(row, i))}>
                {row.key === 'frames' ? (
                  <InputFrames
                    request={sample.request}
                    letter={letters[i] ?? ''}
                    size={24}
                    className={row.differs ? undefined : 'opacity-60'}
                  />
                ) : row.key === 'prompt' && i > 0 ? (
                  <PromptDiff before={row.values[0]} after={row.values[i]} />
                ) : (
                  <span className={cn('whitespace-pre-wrap', row.key === 'seed' && 'tabular')}>{row.values[i] ?? NOT_SET}</span>
                )}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** In a row that differs, the samples that differ from A stand out; those that match it stay quiet. */
function cellTone(row: DifferenceRow, i: number): string | undefined {
  if (!row.differs) return undefined
  return i > 0 && row.values[i] !== row.values[0] ? 'text-zinc-50' : 'text-zinc-300'
}

/**
 * A later sample's prompt as a word diff against A's: A's words it drops struck through where they stood, the words
 * it adds marked. When only spacing (or nothing visible) differs, the words alone would hide that, so a note says so.
 */
function PromptDiff({ before, after }: { before: string | undefined; after: string | undefined }) {
  const parts = useMemo(
    () => (before && after && before !== NOT_SET && after !== NOT_SET ? wordDiffParts(before, after) : undefined),
    [before, after],
  )
  if (!parts) return <span className="whitespace-pre-wrap">{after ?? NOT_SET}</span>
  const onlySpacing = before !== after && parts.every((p) => p.kind === 'same')
  return (
    <>
      <span className="whitespace-pre-wrap">
        {parts.map((part, i) => (
          <WordDiffRun key={i} part={part} spaced={part.kind === 'removed' && parts[i + 1]?.kind === 'added'} />
        ))}
      </span>
      {onlySpacing && <span className="mt-0.5 block text-ui-xs text-amber-300">Only spacing differs</span>}
    </>
  )
}
