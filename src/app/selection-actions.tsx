import { useEffect, useRef, useState } from 'react'
import { useLocation } from 'wouter'
import { Button } from '../components/ui/button'
import { Dialog } from '../components/ui/dialog'
import { describeError } from '../api/errors'
import { useSampleWrites } from '../db/sample-writes'
import { UNDO_WINDOW_MS, useLiveSamples } from '../db/samples'
import { plural } from '../lib/format'
import { useSelectedIds, useSelectionActions } from '../lib/selection-store'
import { useUndoActions } from '../lib/undo-store'
import { COMPARE_MAX, COMPARE_MIN, comparePath } from '../features/compare/compare-address'
import ExportButton from '../features/transfer/export-button'
import { focusAfterCompare } from './compare-route'
import type { CompareEntryState } from './routes'

/** Esc belongs to what the designer is typing in, and a dialog's Esc to the dialog; a checkbox is not typing. */
const typing = (el: Element | null) =>
  (el instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(el.type)) ||
  el instanceof HTMLTextAreaElement ||
  el instanceof HTMLSelectElement ||
  (el as HTMLElement | null)?.isContentEditable === true

/**
 * What to do with the samples ticked with Select, in the gallery or on a board: Favourite, Download (a zip),
 * Delete (asking first, with one Undo for all, in the studio's toast stack) and Clear selection. It shows while
 * anything is selected. Loaded by `SelectionBar` on the first selection.
 */
export default function SelectionActions() {
  const selected = useSelectedIds()
  const ids = [...selected]
  const samples = useLiveSamples(ids)
  const selection = useSelectionActions()
  const [asking, setAsking] = useState(false)
  const undo = useUndoActions()
  const writes = useSampleWrites()
  const [zipping, setZipping] = useState(false)
  const [location, navigate] = useLocation()
  const compareButton = useRef<HTMLButtonElement>(null)
  // Back from a comparison: the focus returns to the button that opened it, not to the top of the page.
  useEffect(() => {
    if (!focusAfterCompare.pending) return
    focusAfterCompare.pending = false
    compareButton.current?.focus()
  }, [])

  // A selected sample deleted (here, on its card, on a board or in another tab) leaves the selection.
  const present = samples?.map((s) => s.id)
  const missing = present !== undefined && present.length < selected.size
  useEffect(() => {
    if (missing) selection.keepOnly(present)
  })

  // Esc clears the selection, unless the focus is in a field or a dialog is open, or a toast is showing: one Esc
  // does one thing, and the newest toast's Esc comes first.
  useEffect(() => {
    if (selected.size === 0) return
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || typing(document.activeElement)) return
      if (document.querySelector('dialog[open], [data-toast]')) return
      selection.clear()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [selected.size, selection])

  // The note of the last download (or of a write that did not go through) belongs to that selection only.
  const key = ids.join('\n')
  const [noted, setNoted] = useState<{ key: string; text: string }>()
  const note = noted?.key === key ? noted.text : undefined
  const setNote = (text: string | undefined, of = key) => setNoted(text === undefined ? undefined : { key: of, text })

  const count = selected.size
  const canCompare = count >= COMPARE_MIN && count <= COMPARE_MAX
  // The letters follow the order of selection: the first sample ticked is A.
  const compare = () => navigate(comparePath(ids), { state: { from: location } satisfies CompareEntryState })
  const allFavourite = samples !== undefined && samples.length > 0 && samples.every((s) => s.favourite === 1)

  const download = async () => {
    if (!samples) return
    setZipping(true)
    setNote(undefined)
    try {
      // fflate and the zip code load only now: they are not part of the first paint.
      const { downloadSelection } = await import('./selection-download')
      const { fileName, included, skipped } = await downloadSelection(samples)
      setNote(
        skipped === 0
          ? `Saved ${fileName}.`
          : included === 0
            ? `Nothing to save: ${skipped === 1 ? "the video's link" : 'their links'} expired before ${skipped === 1 ? 'it was' : 'they were'} kept in the library.`
            : `Saved ${fileName}. ${plural(skipped, 'video')} left out: ${skipped === 1 ? 'its link' : 'their links'} expired before ${skipped === 1 ? 'it was' : 'they were'} kept in the library.`,
      )
    } catch (e) {
      setNote(`The zip could not be made: ${e instanceof Error ? e.message : String(e)}. Try again.`)
    } finally {
      setZipping(false)
    }
  }

  const favourite = async () => {
    try {
      await writes.setFavourite(ids, !allFavourite)
    } catch (e) {
      setNote(`${allFavourite ? 'Unfavourite' : 'Favourite'} did not go through: ${describeError(e).message}`)
    }
  }

  // One stamp for all of them, so one Undo (in the studio's toast stack) brings them all back. Confirmed from the
  // keyboard, the focus moves to Undo: the bar is gone. Refused, they come back, still selected, and the bar says why.
  const remove = async (byKeyboard: boolean) => {
    const gone = ids
    selection.clear()
    try {
      const deletion = await writes.deleteSamples(gone, `${plural(gone.length, 'video')} deleted`)
      if (deletion.ids.length) undo.offer(writes.undoable(deletion, byKeyboard))
    } catch (e) {
      for (const id of gone) selection.toggle(id, true)
      setNote(`${plural(gone.length, 'video')} not deleted: ${describeError(e).message}`, gone.join('\n'))
    }
  }

  return (
    <>
      {count > 0 && (
        <div
          role="toolbar"
          aria-label="Selection"
          className="flex shrink-0 flex-wrap items-center gap-1.5 rounded-control border border-accent/50 bg-panel px-3 py-1.5"
        >
          <span className="mr-2 text-ui tabular text-zinc-200">{`${count} selected`}</span>
          <Button
            ref={compareButton}
            size="sm"
            variant="primary"
            disabled={!canCompare}
            aria-describedby={canCompare ? undefined : 'compare-hint'}
            onClick={compare}
          >
            {`Compare ${count}`}
          </Button>
          {!canCompare && (
            <span id="compare-hint" className="text-ui-sm text-zinc-400">
              {count < COMPARE_MIN ? 'Select one more to compare.' : `Compare takes up to ${COMPARE_MAX}.`}
            </span>
          )}
          <Button size="sm" disabled={!samples} onClick={() => void favourite()}>
            <span aria-hidden="true">{allFavourite ? '☆' : '★'}</span> {allFavourite ? 'Unfavourite' : 'Favourite'}
          </Button>
          <Button size="sm" disabled={!samples || zipping} aria-busy={zipping} onClick={() => void download()}>
            Download
          </Button>
          {/* Export: the same samples with their tasks, experiments and frames, for Import in another studio. */}
          <ExportButton scope={{ kind: 'selection', sampleIds: ids }} label="Export" />
          <Button size="sm" variant="danger" onClick={() => setAsking(true)}>
            Delete
          </Button>
          <Button size="sm" variant="ghost" onClick={selection.clear}>
            Clear selection
          </Button>
          <span aria-live="polite" className="ml-2 min-w-0 text-ui-sm text-zinc-400">
            {zipping ? `Making a zip of ${plural(count, 'video')}…` : note}
          </span>
        </div>
      )}
      {asking && (
        <Dialog labelledBy="bulk-delete-title" onClose={() => setAsking(false)} className="w-[min(440px,92vw)] p-5">
          {(close) => (
            <>
              <h2 id="bulk-delete-title" className="mb-2 text-ui-lg font-semibold">
                {`Delete ${plural(count, 'video')}?`}
              </h2>
              <p className="text-ui text-zinc-300">
                {count === 1 ? 'It leaves' : 'They leave'} the gallery and every board. You can undo for {UNDO_WINDOW_MS / 1000} seconds;
                after that {count === 1 ? 'the video is' : 'the videos are'} removed from the library for good.
              </p>
              <div className="mt-5 flex justify-end gap-2">
                <Button onClick={close}>Cancel</Button>
                <Button
                  variant="danger"
                  onClick={(e) => {
                    close(e)
                    void remove(e.detail === 0)
                  }}
                >
                  Delete
                </Button>
              </div>
            </>
          )}
        </Dialog>
      )}
    </>
  )
}
