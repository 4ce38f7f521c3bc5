import { Button } from '../components/ui/button'
import { Dialog } from '../components/ui/dialog'

const SHORTCUTS: [string, string][] = [
  ['Ctrl/⌘ + Enter', 'Generate, or Run sweep when Sweep is on'],
  ['/', 'Search the gallery'],
  ['Esc', 'Close a dialog, the player or a comparison; clear the selection'],
  ['?', 'Show these shortcuts'],
  ['Space', 'Play or pause, in the player and a comparison'],
  ['← / →', 'One frame back or on, in a comparison'],
  ['1–4', 'Hear that sample alone (again: all muted), in a comparison'],
  ['W', 'Wipe on or off, comparing two samples'],
  ['Shift + arrows', 'Pan a zoomed comparison'],
]

/** The list of keyboard shortcuts, behind Shortcuts and `?`: loaded on the first open. */
export default function ShortcutsDialog({ onClose }: { onClose(): void }) {
  return (
    <Dialog label="Keyboard shortcuts" onClose={onClose} className="w-[min(420px,92vw)] p-5">
      {(close) => (
        <>
          <h2 className="mb-3 text-ui-lg font-semibold">Keyboard shortcuts</h2>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-ui">
            {SHORTCUTS.map(([key, what]) => (
              <div key={key} className="contents">
                <dt>
                  <kbd className="rounded border border-line px-1.5 py-0.5 text-ui-sm text-zinc-300">{key}</kbd>
                </dt>
                <dd className="text-zinc-400">{what}</dd>
              </div>
            ))}
          </dl>
          <div className="mt-5 flex justify-end">
            <Button onClick={close}>Close</Button>
          </div>
        </>
      )}
    </Dialog>
  )
}
