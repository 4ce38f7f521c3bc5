import type { PromptRecord } from '../../db/db'
import { Button } from '../../components/ui/button'
import { highlightParts } from './prompt-highlight'

export interface PromptSuggestionsProps {
  listId: string
  optionId(index: number): string
  hidden: boolean
  items: readonly PromptRecord[]
  /** The typed words, marked in each suggestion; empty when the whole history is listed. */
  query: string
  active: number
  onPick(text: string): void
  onCompare(text: string): void
}

/**
 * The Prompt field's popup: a listbox of past prompts, and beside each one its Compare button. An option may not
 * hold a button, so the buttons sit outside the listbox; the listbox is `display: contents`, which lets options
 * and buttons share one grid and stay on the same row whatever the height of a prompt.
 */
export function PromptSuggestions({ listId, optionId, hidden, items, query, active, onPick, onCompare }: PromptSuggestionsProps) {
  return (
    <div
      role="presentation"
      hidden={hidden}
      // The textarea keeps the focus while the list is clicked: picking a prompt must not close the list by a blur first.
      onMouseDown={(e) => e.preventDefault()}
      // Solid and above what lies below it (the Negative prompt's label and field), with a deep shadow under its bottom
      // edge: the borders it half covers fade into the shadow instead of peeking out as a second edge.
      className="absolute inset-x-0 top-full z-30 mt-1 max-h-72 overflow-y-auto rounded-control border border-zinc-700 bg-zinc-950 py-1 shadow-[0_20px_24px_16px_rgb(9_9_11/0.92)]"
    >
      <div className="grid grid-cols-[minmax(0,1fr)_auto]">
        <div id={listId} role="listbox" aria-label="Prompt history" className="contents">
          {items.map((item, i) => (
            // Keys reach the options through the textarea (aria-activedescendant), so the option itself only takes clicks.
            // oxlint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/interactive-supports-focus
            <div
              key={item.text}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              style={{ gridRow: i + 1 }}
              className="col-start-1 cursor-pointer px-2.5 py-1.5 text-ui text-zinc-200 hover:bg-zinc-900 aria-selected:bg-accent-soft"
              onClick={() => onPick(item.text)}
            >
              <span className="line-clamp-2 break-words">
                {highlightParts(item.text, query).map((part, k) =>
                  part.match ? (
                    <mark key={k} className="bg-transparent font-semibold text-accent">
                      {part.text}
                    </mark>
                  ) : (
                    part.text
                  ),
                )}
              </span>
              <span className="block text-ui-xs tabular text-zinc-500">{usage(item)}</span>
            </div>
          ))}
        </div>
        {items.map((item, i) => (
          <div
            key={item.text}
            style={{ gridRow: i + 1 }}
            className={`col-start-2 flex items-start py-1 pr-1.5 ${i === active ? 'bg-accent-soft' : ''}`}
          >
            <Button
              size="xs"
              variant="ghost"
              tone="quiet"
              aria-label="Compare with current prompt"
              aria-describedby={optionId(i)}
              title="Compare with current prompt"
              // Only the highlighted prompt's button is on the Tab path: Tab from the field reaches it, not all eight.
              tabIndex={i === active ? 0 : -1}
              onClick={() => onCompare(item.text)}
            >
              Compare
            </Button>
          </div>
        ))}
      </div>
    </div>
  )
}

/** "Sent 3 times · 2 h ago": enough to tell a habit from a one-off. */
function usage({ uses, lastUsedAt }: PromptRecord, now = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - lastUsedAt) / 60_000))
  const when =
    minutes < 1
      ? 'just now'
      : minutes < 60
        ? `${minutes} min ago`
        : minutes < 60 * 24
          ? `${Math.round(minutes / 60)} h ago`
          : `${Math.round(minutes / (60 * 24))} d ago`
  return `${uses === 1 ? 'Sent once' : `Sent ${uses} times`} · ${when}`
}
