import { useEffect, useRef, useState } from 'react'
import { buttonVariants } from '../../components/ui/button'
import { Input } from '../../components/ui/input'

interface ExperimentNameProps {
  name: string
  onRename(name: string): void
}

/** The board's heading, renamed in place: Enter or leaving the field keeps the name, Escape keeps the old one. */
export function ExperimentName({ name, onRename }: ExperimentNameProps) {
  const [draft, setDraft] = useState<string>()
  const [error, setError] = useState<string>()
  // Set once Enter or Escape has settled the edit: the blur that follows the field's removal must not settle it again.
  const settled = useRef(false)
  // Enter or Escape hands the focus back to Rename (the field it was in is gone); a blur went somewhere on purpose.
  const refocus = useRef(false)
  const renameButton = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (draft !== undefined || !refocus.current) return
    refocus.current = false
    renameButton.current?.focus()
  }, [draft])
  const stop = (byKey = false) => {
    refocus.current = byKey
    settled.current = true
    setDraft(undefined)
    setError(undefined)
  }
  const keep = (value: string, byKey = false) => {
    if (!value.trim()) {
      setError('Experiment name is empty. Type a name, or press Escape to keep the old one.')
      return false
    }
    if (value.trim() !== name) onRename(value.trim())
    stop(byKey)
    return true
  }

  if (draft === undefined)
    return (
      <div className="flex min-w-0 items-center gap-2">
        <h2 className="min-w-0 truncate text-ui-lg font-semibold text-zinc-100" title={name}>
          {name}
        </h2>
        <button
          ref={renameButton}
          type="button"
          className={buttonVariants({ size: 'sm', variant: 'ghost' })}
          onClick={() => {
            settled.current = false
            setDraft(name)
          }}
        >
          Rename
        </button>
      </div>
    )

  return (
    <div className="flex min-w-0 flex-col gap-1">
      <label className="flex items-center gap-2 text-ui text-zinc-400">
        Experiment name
        <Input
          // Opened by a press on Rename: the designer means to type here now.
          // eslint-disable-next-line jsx-a11y/no-autofocus
          autoFocus
          value={draft}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'experiment-name-error' : undefined}
          className="w-80"
          onChange={(e) => {
            setDraft(e.target.value)
            setError(undefined)
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              // No keypress after it: the focus is back on Rename by then, and Enter there would open the field again.
              e.preventDefault()
              keep(draft, true)
            }
            if (e.key === 'Escape') {
              // Escape here cancels the rename, and nothing around it (a dialog, the player) closes too.
              e.stopPropagation()
              stop(true)
            }
          }}
          // Leaving an emptied field gives the old name back rather than trapping the focus.
          onBlur={() => {
            if (settled.current) return
            if (draft.trim()) keep(draft)
            else stop()
          }}
        />
      </label>
      {error && (
        <p id="experiment-name-error" role="alert" className="text-ui-sm text-red-400">
          {error}
        </p>
      )}
    </div>
  )
}
