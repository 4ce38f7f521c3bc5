import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useId, useRef, useState } from 'react'
import { useLocation } from 'wouter'
import { currentProvider } from '../../api/connection-store'
import { useConfirmSweepAbove, usePrices, useRequestsPerMinute } from '../../api/studio-settings'
import { Button } from '../../components/ui/button'
import { Dialog } from '../../components/ui/dialog'
import type { StoredRequest } from '../../db/db'
import { createExperiment } from '../../db/experiments'
import { libraryWords } from '../../db/submit'
import { randomSeeds, type SweepSummary } from './sweep'
import { SeedsField, VariantsField, VaryField } from './sweep-fields'
import { sendingTime, summaryParts, useLiveSweep } from './sweep-live'
import { useSeedsText, useVariantsText, useVaryKey, useVaryValues } from './sweep-store'
import { truncate } from '../../lib/format'

export interface SweepControlsProps {
  /** Compose's draft, with every frame it holds (a sweep that varies the model may need both). */
  draft: StoredRequest
  /** Generate's own checks, for one request: the reason it cannot be sent, or undefined. */
  check(request: StoredRequest): string | undefined
  /** A board's address: the studio owns its URLs (app/routes). */
  hrefOf(experimentId: string): string
}

const NAME_MAX = 60

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)

/**
 * Compose's sweep: the fields, the live summary, and Run sweep in the footer where Generate sits. Run hands the
 * experiment and its requests to the gateway (its queue sends them, with no tab open), then opens its board.
 */
export default function SweepControls({ draft, check, hrefOf }: SweepControlsProps) {
  const id = useId()
  const text = { variantsText: useVariantsText(), seedsText: useSeedsText(), varyKey: useVaryKey(), varyValues: useVaryValues() }
  const sweep = useLiveSweep(draft, text, usePrices(), check)
  const confirmAbove = useConfirmSweepAbove()
  const perMinute = useRequestsPerMinute()
  const [, navigate] = useLocation()
  const client = useQueryClient()
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  // The guard against a second press is a ref, set at once: state would still read false to a press that comes
  // before the next render (a double-click), and the sweep would be written twice.
  const running = useRef(false)
  const [failure, setFailure] = useState<string>()

  async function run() {
    if (running.current || sweep.problem) return
    running.current = true
    setBusy(true)
    setFailure(undefined)
    try {
      const { min, max } = sweep.seedRange
      const plan = sweep.plan(() => randomSeeds(1, min, max)[0] ?? min)
      const first = plan.rows[0] ?? 'Sweep'
      const experiment = await createExperiment(client, {
        name: truncate(first, NAME_MAX),
        provider: currentProvider(),
        base: draft,
        ...plan,
      })
      navigate(hrefOf(experiment.id))
    } catch (e) {
      setFailure(`The sweep was not saved, so nothing was sent. ${libraryWords(e).message}`)
    } finally {
      running.current = false
      setBusy(false)
    }
  }

  const blocked = Boolean(sweep.problem) || busy
  // Run sweep as pressed: above the threshold it asks first.
  function press() {
    if (blocked) return
    if (sweep.summary.tasks > confirmAbove) setConfirming(true)
    else void run()
  }

  // Ctrl/⌘+Enter runs the sweep while the switch is on. Compose's own handler does nothing then (it sends single
  // requests only), so this one listens beside it; an open dialog (this one's confirm included) keeps the keys.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Enter' || !(e.metaKey || e.ctrlKey) || document.querySelector('dialog[open]')) return
      e.preventDefault()
      press()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  })

  const sending = sendingTime(sweep.summary.tasks, perMinute)

  return (
    <>
      <div className="flex flex-col gap-4">
        <VariantsField variants={sweep.variants} />
        <SeedsField error={sweep.seedsError} range={sweep.seedRange} />
        <VaryField modelId={draft.modelId} vary={sweep.vary} />
      </div>
      <div className="sticky bottom-0 -mx-4 border-t border-line bg-panel px-4 pt-3 pb-1">
        <Button
          variant="primary"
          size="lg"
          className="w-full"
          disabled={blocked}
          aria-busy={busy}
          aria-keyshortcuts={isMac ? 'Meta+Enter' : 'Control+Enter'}
          aria-describedby={`${id}-summary ${id}-notes ${id}-status`}
          onClick={press}
        >
          Run sweep
          {/* The shortcut hint shows only when the shortcut would work, as on Generate. */}
          {!blocked && (
            <kbd aria-hidden="true" className="ml-2 rounded border border-black/25 px-1 text-ui-xs font-normal">
              {isMac ? '⌘↵' : 'Ctrl ↵'}
            </kbd>
          )}
        </Button>
        <p id={`${id}-summary`} className="mt-1.5 text-ui-sm tabular text-zinc-400" aria-live="polite">
          <SummaryLine summary={sweep.summary} />
        </p>
        <div id={`${id}-notes`}>
          {sweep.notes.map((note) => (
            <p key={note} className="text-ui-sm text-zinc-400">
              {note}
            </p>
          ))}
        </div>
        <div id={`${id}-status`} className="min-h-4 text-ui-sm" aria-live="polite">
          {busy ? (
            <span className="text-zinc-400">Saving the sweep…</span>
          ) : failure ? (
            <span className="text-red-400">{failure}</span>
          ) : sweep.problem ? (
            <span className="text-amber-300">{sweep.problem}</span>
          ) : null}
        </div>
      </div>
      {confirming && (
        <Dialog labelledBy={`${id}-confirm`} onClose={() => setConfirming(false)} className="w-[min(420px,92vw)] p-5">
          {(close) => (
            <>
              <h2 id={`${id}-confirm`} className="mb-2 text-ui-lg font-semibold">
                Run this sweep?
              </h2>
              <p className="text-ui tabular text-zinc-300">
                <SummaryLine summary={sweep.summary} />
              </p>
              <p className="mt-1 text-ui-sm text-zinc-400">{`Larger than ${confirmAbove} tasks: Settings asks before these.`}</p>
              {sending && <p className="mt-1 text-ui-sm text-zinc-400">{sending}</p>}
              <div className="mt-5 flex justify-end gap-2">
                <Button onClick={close}>Cancel</Button>
                <Button variant="primary" onClick={(e) => (close(e), void run())}>
                  Run
                </Button>
              </div>
            </>
          )}
        </Dialog>
      )}
    </>
  )
}

function SummaryLine({ summary }: { summary: SweepSummary }) {
  const { tasks, rest } = summaryParts(summary)
  return (
    <>
      <strong className="font-semibold text-zinc-200">{tasks}</strong>
      {` · ${rest}`}
    </>
  )
}
