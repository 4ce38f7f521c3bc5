import { useRef, useState } from 'react'
import { Textarea } from '../../components/ui/input'

/** How long typing may pause before the note is kept: a closed tab loses at most this much. */
export const NOTE_SAVE_DELAY_MS = 600

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
  const save = (note: string) => {
    clearTimeout(timer.current)
    if (note === saved) return
    setWritten({ note, over: saved })
    onSave(note)
  }

  return (
    <label className="flex items-start gap-2 text-ui-sm text-zinc-400">
      <span className="pt-1">Note</span>
      <Textarea
        rows={1}
        value={shown}
        placeholder="What stands out?"
        // Grows with what is written (up to five lines), so a note is read whole on the board.
        className="max-h-28 min-h-7 py-1 text-ui-sm field-sizing-content"
        onFocus={() => setDraft(shown)}
        onChange={(e) => {
          const note = e.target.value
          setDraft(note)
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
