import { useEffect, useRef, useState } from 'react'
import { Textarea } from '../../components/ui/input'

/**
 * How long typing may pause before the note is kept. Short, and a page being hidden or left (a reload, a closed tab)
 * saves what is pending at once as well.
 */
export const NOTE_SAVE_DELAY_MS = 300

interface CellNoteProps {
  /** The note as stored. */
  saved: string
  onSave(note: string): void
}

/**
 * A cell's note: free text, kept while typing pauses and when the field loses focus (leaving the board moves the
 * focus first, so a change is never left behind; a pending save still runs after the board has gone). While it has
 * focus the field holds what is typed; otherwise what is stored, so a note written in another tab shows up here.
 */
export function CellNote({ saved, onSave }: CellNoteProps) {
  const [draft, setDraft] = useState<string>()
  // What was just handed to onSave, shown until the stored note changes, so leaving the field never flashes the old one.
  const [written, setWritten] = useState<{ note: string; over: string }>()
  const shown = draft ?? (written?.over === saved ? written.note : saved)
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  // The note typed but not yet saved (its timer still running), for the page-hide flush.
  const pending = useRef<string>(undefined)
  const save = (note: string) => {
    clearTimeout(timer.current)
    pending.current = undefined
    if (note === saved) return
    setWritten({ note, over: saved })
    onSave(note)
  }

  // The listeners live for the component's life; the ref always holds this render's save (and its stored note).
  const flush = useRef<() => void>(undefined)
  useEffect(() => {
    flush.current = () => {
      if (pending.current !== undefined) save(pending.current)
    }
  })
  useEffect(() => {
    const onHide = () => flush.current?.()
    const onVisibility = () => document.visibilityState === 'hidden' && onHide()
    window.addEventListener('pagehide', onHide)
    document.addEventListener('visibilitychange', onVisibility)
    return () => {
      window.removeEventListener('pagehide', onHide)
      document.removeEventListener('visibilitychange', onVisibility)
    }
  }, [])

  return (
    <label className="flex items-start gap-2 text-ui-sm text-zinc-400">
      <span className="pt-1">Note</span>
      <Textarea
        rows={1}
        value={shown}
        placeholder="What stands out?"
        // Grows with what is written (up to five lines), so a note is read whole on the board.
        density="sm"
        className="max-h-28 min-h-7 field-sizing-content"
        onFocus={() => setDraft(shown)}
        onChange={(e) => {
          const note = e.target.value
          setDraft(note)
          pending.current = note
          clearTimeout(timer.current)
          timer.current = setTimeout(() => save(note), NOTE_SAVE_DELAY_MS)
        }}
        onBlur={() => {
          if (draft !== undefined) save(draft)
          setDraft(undefined)
        }}
      />
    </label>
  )
}
