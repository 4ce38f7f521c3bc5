import { lazy, Suspense, useEffect, useId, useRef, useState, type ComponentType, type KeyboardEvent } from 'react'
import { Button } from '../../components/ui/button'
import { Dialog } from '../../components/ui/dialog'
import { Textarea } from '../../components/ui/input'
import { RequiredMark } from '../../components/ui/segmented'
import { usePromptHistory } from '../../db/prompts'
import { cn } from '../../lib/cn'
import type { TextField } from '../../models'
import { useComposeActions, useParam } from './compose-store'
import type { PromptSuggestionsProps } from './prompt-suggestions'

// The diff view and the `diff` package load only when a designer compares two prompts. The list loads when the
// field is first focused, before a suggestion can be needed, so it costs the first paint nothing.
// A chunk that fails to load (offline, or a new deploy) must not take the Compose panel down with it: the list
// then stays away, and the diff says what to do.
const PromptDiffDialog = lazy(() => import('./prompt-diff-dialog').catch(() => ({ default: DiffUnavailable })))
const loadSuggestions = () => import('./prompt-suggestions')
const PromptSuggestions = lazy<ComponentType<PromptSuggestionsProps>>(() =>
  loadSuggestions().then(
    (m) => ({ default: m.PromptSuggestions }),
    () => ({ default: () => null }),
  ),
)

/**
 * Typing opens the history once the text holds this many non-space characters ("ab", "a b"; not "a " alone), so a
 * first keystroke never throws a list over the form.
 */
const OPEN_FROM = 2
const typedEnough = (text: string) => text.replace(/\s/g, '').length >= OPEN_FROM
const SHOWN = 8

/** How the list was opened: typing filters it by the typed words; asking (History, Alt+↓) lists all, newest first. */
type Opened = 'typing' | 'asked'

/**
 * The Prompt textarea as a combobox over the prompt history (the ARIA pattern for an editable combobox with a
 * list popup). Focus stays in the textarea; arrows move a highlight (aria-activedescendant), Enter picks it.
 * Enter with nothing highlighted is a new line, and Ctrl/⌘+Enter is left to the Generate shortcut.
 */
export function PromptField({ field, labelClass }: { field: TextField; labelClass: string }) {
  const id = useId()
  const helpId = `${id}-help`
  const listId = `${id}-history`
  const optionId = (i: number) => `${id}-option-${i}`
  const value = useParam('prompt')
  const text = typeof value === 'string' ? value : ''
  const { setParam } = useComposeActions()
  const [opened, setOpened] = useState<Opened>()
  const [active, setActive] = useState(-1)
  const [comparing, setComparing] = useState<string>()
  const textarea = useRef<HTMLTextAreaElement>(null)

  const query = opened === 'typing' ? text : ''
  const found = usePromptHistory(query, SHOWN + 1)
  const hasHistory = Boolean(usePromptHistory('', 1)?.length)
  // The prompt already in the field is no suggestion: picking it would change nothing.
  const items = (found ?? []).filter((p) => p.text !== text.trim()).slice(0, SHOWN)
  const expanded = opened !== undefined && items.length > 0
  const highlighted = expanded && active < items.length ? active : -1

  useEffect(() => {
    if (highlighted >= 0) document.getElementById(optionId(highlighted))?.scrollIntoView?.({ block: 'nearest' })
  })

  const close = () => {
    setOpened(undefined)
    setActive(-1)
  }
  const open = (how: Opened) => {
    setOpened(how)
    setActive(-1)
  }
  const pick = (picked: string) => {
    setParam('prompt', picked)
    close()
    textarea.current?.focus()
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'ArrowDown' && e.altKey) {
      e.preventDefault()
      open('asked')
      return
    }
    if (!expanded) return
    const plain = !e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey
    if (e.key === 'ArrowDown' && plain) {
      e.preventDefault()
      setActive((highlighted + 1) % items.length)
    } else if (e.key === 'ArrowUp' && plain) {
      e.preventDefault()
      setActive(highlighted <= 0 ? items.length - 1 : highlighted - 1)
    } else if ((e.key === 'ArrowUp' && e.altKey) || e.key === 'Escape') {
      // preventDefault tells the app's own Escape handlers (toasts, selection) that this press was taken.
      e.preventDefault()
      close()
    } else if (e.key === 'Enter' && plain && highlighted >= 0) {
      e.preventDefault()
      pick(items[highlighted]!.text)
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      close() // and let the press go on to Generate
    }
  }

  const note = opened === 'asked' && found && !items.length ? 'No other prompt in the history yet.' : undefined

  return (
    <div>
      <div className={cn(labelClass, 'flex items-baseline')}>
        <label htmlFor={id}>{field.label}</label>
        {field.required && <RequiredMark />}
        {hasHistory && (
          <button
            type="button"
            className="ml-auto rounded px-1 text-ui-sm text-zinc-400 hover:text-zinc-100"
            title="Past prompts (Alt+↓ in the field)"
            aria-expanded={expanded}
            aria-controls={listId}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => {
              // Open by asking, it closes; open by typing (or with a typed filter still being read), it lists all. Judged
              // by how it was opened, not by what the list holds: a list read for an older query would make it close.
              if (opened === 'asked' && expanded) close()
              else open('asked')
              textarea.current?.focus()
            }}
          >
            History
          </button>
        )}
      </div>
      <div
        className="relative"
        onBlur={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget)) close()
        }}
      >
        <Textarea
          ref={textarea}
          id={id}
          rows={4}
          required={field.required}
          aria-describedby={helpId}
          placeholder={field.help}
          value={text}
          role="combobox"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={highlighted >= 0 ? optionId(highlighted) : undefined}
          aria-keyshortcuts="Alt+ArrowDown"
          onChange={(e) => {
            setParam('prompt', e.target.value)
            setActive(-1)
            if (typedEnough(e.target.value)) setOpened('typing')
            else if (opened === 'typing') setOpened(undefined)
          }}
          onKeyDown={onKeyDown}
          onFocus={() => void loadSuggestions().catch(() => {})}
        />
        {opened !== undefined && (
          <Suspense fallback={null}>
            <PromptSuggestions
              listId={listId}
              optionId={optionId}
              hidden={!expanded}
              items={items}
              query={query}
              active={highlighted}
              onPick={pick}
              onCompare={(other) => {
                close()
                setComparing(other)
              }}
            />
          </Suspense>
        )}
      </div>
      <p id={helpId} className="sr-only">
        {field.help}
      </p>
      {/* Read out when the list opens or its length changes; the list itself is not announced by the textarea. */}
      <p className="sr-only" aria-live="polite">
        {expanded ? `${items.length === 1 ? '1 past prompt' : `${items.length} past prompts`}. Up and down to choose, Enter to use.` : ''}
      </p>
      {note && <p className="mt-0.5 text-ui-sm text-zinc-400">{note}</p>}
      <CharacterCount text={text} />
      {comparing !== undefined && (
        <Suspense fallback={null}>
          <PromptDiffDialog
            current={text}
            fromHistory={comparing}
            onUse={() => pick(comparing)}
            onClose={() => {
              setComparing(undefined)
              textarea.current?.focus()
            }}
          />
        </Suspense>
      )}
    </div>
  )
}

/** From this length on, a prompt shows how long it is. */
const COUNT_FROM = 200

function CharacterCount({ text }: { text: string }) {
  if (text.length < COUNT_FROM) return null
  return <p className="mt-0.5 text-right text-ui-sm tabular text-zinc-400">{`${text.length.toLocaleString('en')} characters`}</p>
}

function DiffUnavailable({ onClose }: { onClose(): void }) {
  return (
    <Dialog label="Prompt diff" onClose={onClose} className="max-w-sm p-4">
      {(close) => (
        <>
          <p className="text-ui">The prompt diff could not load. Reload the page and try again.</p>
          <div className="mt-3 flex justify-end">
            <Button onClick={close}>Close</Button>
          </div>
        </>
      )}
    </Dialog>
  )
}
