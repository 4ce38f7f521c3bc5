import { useId, useMemo } from 'react'
import { Button } from '../../components/ui/button'
import { Dialog } from '../../components/ui/dialog'
import { WordDiffRun } from '../../components/ui/word-diff-run'
import { diffSummary, sideParts, wordDiffParts, type DiffPart } from '../../lib/word-diff'

interface PromptDiffDialogProps {
  current: string
  fromHistory: string
  /** Puts the history prompt in the Prompt field. */
  onUse(): void
  onClose(): void
}

/**
 * The word diff of the prompt in the field and one from the history, each shown whole: the current one with
 * the words the history prompt drops struck through, the history one with the words it adds. Loaded lazily,
 * with the `diff` package, the first time a designer compares.
 */
export default function PromptDiffDialog({ current, fromHistory, onUse, onClose }: PromptDiffDialogProps) {
  const titleId = useId()
  const parts = useMemo(() => wordDiffParts(current, fromHistory), [current, fromHistory])
  return (
    <Dialog labelledBy={titleId} onClose={onClose} className="w-[min(640px,calc(100vw-2rem))] p-4">
      {(close) => (
        <>
          <h2 id={titleId} className="text-ui-lg font-semibold text-zinc-100">
            Prompt diff
          </h2>
          <p className="mt-0.5 text-ui-sm text-zinc-400">{`${diffSummary(parts)}, going from Current to From history.`}</p>
          <div className="mt-3 grid grid-cols-2 gap-3">
            <Side label="Current" parts={sideParts(parts, 'before')} />
            <Side label="From history" parts={sideParts(parts, 'after')} />
          </div>
          <div className="mt-4 flex justify-end gap-2">
            <Button onClick={close}>Close</Button>
            <Button
              variant="primary"
              onClick={(e) => {
                onUse()
                close(e)
              }}
            >
              Use history prompt
            </Button>
          </div>
        </>
      )}
    </Dialog>
  )
}

function Side({ label, parts }: { label: string; parts: DiffPart[] }) {
  const id = useId()
  return (
    <section aria-labelledby={id} className="min-w-0 rounded-control border border-line bg-zinc-950 p-2.5">
      <h3 id={id} className="mb-1 text-ui-sm text-zinc-400">
        {label}
      </h3>
      <p className="text-ui break-words whitespace-pre-wrap text-zinc-200">
        {parts.length === 0 && <span className="text-zinc-500">(empty)</span>}
        {parts.map((part, i) => (
          <WordDiffRun key={i} part={part} />
        ))}
      </p>
    </section>
  )
}
