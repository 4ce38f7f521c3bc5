import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { Button } from '../../components/ui/button'
import { ErrorMessage } from '../../components/ui/error-message'
import type { ErrorWords } from '../../api/errors'
import type { StoredRequest } from '../../db/db'
import { aspectValue, findModel, videoShape } from '../../models'
import { plural } from '../../lib/format'
import { currentRequest, toStoredRequest, useComposeActions, useFrames, useModelId, useParams } from './compose-store'
import { FrameDropzone, type FrameZoneHandle } from './frame-dropzone'
import { ModelPicker } from './model-picker'
import { ParamField } from './param-field'
import { blockingReason } from './request-check'
import { RequestPreview } from './request-preview'
import { SweepSwitch, useSweepOn } from './sweep-switch'

interface ComposePanelProps {
  /** Sends the request; resolves to true once the provider has given a task id, false when nothing was sent. */
  onGenerate(request: StoredRequest): Promise<boolean>
  busy: boolean
  /**
   * While busy, where the request is ("Waiting to send", and why when the provider asked for a pause); absent:
   * "Sending…" (it is being handed to the gateway). `shown` counts down; the live region hears only `said`, once per
   * state, so a screen reader is not told every second.
   */
  busyWords?: { shown: string; said: string } | undefined
  /** While busy and the request waits in the gateway's queue: takes it back. */
  onCancel?: (() => void) | undefined
  /** The last submit failure, in plain words. */
  error?: ErrorWords | undefined
  /**
   * The sweep's fields and footer, shown instead of Generate while the Sweep switch is on (the studio passes a lazy
   * part, so Compose never loads experiments code). `draft` holds every frame in Compose, for sweeps across models.
   */
  sweep?: ((draft: StoredRequest) => ReactNode) | undefined
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)

export function ComposePanel({ onGenerate, busy, busyWords, onCancel, error, sweep }: ComposePanelProps) {
  const modelId = useModelId()
  const params = useParams()
  const frames = useFrames()
  // The sweep's base: every frame in Compose. Kept while nothing changes, so the sweep's live summary is not worked
  // out again on each render (the queue's countdown re-renders Compose every second).
  const draft = useMemo(() => ({ modelId, params, frames }), [modelId, params, frames])
  const actions = useComposeActions()
  const model = findModel(modelId)
  const request = toStoredRequest({ modelId, params, frames })
  const reason = blockingReason(request)
  const shape = videoShape(model, params)
  const sweeping = useSweepOn() && sweep !== undefined
  const otherZone = useRef<FrameZoneHandle>(null)
  const [dropNote, setDropNote] = useState<string>()

  /** Files past the first, dropped on the first zone: the next frame takes the second; a one-frame model says so. */
  function moreFiles(files: File[]) {
    const next = model?.frames[1]
    if (files[0] && next) otherZone.current?.take(files[0])
    setDropNote(files.length && !next ? `${model?.shortName ?? 'This model'} uses one frame: the first file is taken.` : undefined)
  }

  // Generate is disabled while its request goes out, and a disabled button drops the focus to the page: once it is
  // free again, the focus comes back to it, so a keyboard user keeps their place.
  const generateButton = useRef<HTMLButtonElement>(null)
  const refocus = useRef(false)
  useEffect(() => {
    if (busy || !refocus.current) return
    refocus.current = false
    if (document.activeElement === document.body || document.activeElement === null) generateButton.current?.focus()
  }, [busy])

  async function generate() {
    if (sweeping || busy || blockingReason(currentRequest())) return
    refocus.current = document.activeElement === generateButton.current
    // An unlocked seed is cleared only once a task exists, so a failed send keeps the designer's seed.
    if (await onGenerate(currentRequest())) actions.afterGenerate()
  }

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter' && (e.metaKey || e.ctrlKey) && !document.querySelector('dialog[open]')) {
        e.preventDefault()
        void generate()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  })

  if (!model) return null

  return (
    <form
      aria-label="Compose"
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault()
        void generate()
      }}
    >
      <ModelPicker />
      <div className="flex items-start gap-2">
        {model.frames.map((spec, i) => (
          <FrameSlotWithSwap key={spec.slot} showSwap={i === 1} onSwap={actions.swapFrames}>
            <FrameDropzone
              spec={spec}
              frame={frames[spec.slot]}
              aspect={aspectValue(shape.aspectRatio)}
              aspectLabel={shape.aspectRatio}
              onChange={(f) => actions.setFrame(spec.slot, f)}
              {...(i === 0 ? { onMoreFiles: moreFiles, note: dropNote } : { ref: otherZone })}
            />
          </FrameSlotWithSwap>
        ))}
      </div>
      {model.fields.map((field) => (
        <ParamField key={field.key} field={field} />
      ))}
      <RequestPreview model={model} request={request} />
      {sweep && <SweepSwitch />}
      {sweeping ? (
        sweep(draft)
      ) : (
        <div className="sticky bottom-0 -mx-4 border-t border-line bg-panel px-4 pt-3 pb-1">
          <Button
            type="submit"
            variant="primary"
            size="lg"
            className="w-full"
            ref={generateButton}
            disabled={Boolean(reason) || busy}
            aria-busy={busy}
            aria-keyshortcuts={isMac ? 'Meta+Enter' : 'Control+Enter'}
            aria-describedby="generate-status"
          >
            Generate
            {/* The shortcut hint shows only when the shortcut would work. */}
            {!reason && !busy && (
              <kbd aria-hidden="true" className="ml-2 rounded border border-black/25 px-1 text-ui-xs font-normal">
                {isMac ? '⌘↵' : 'Ctrl ↵'}
              </kbd>
            )}
          </Button>
          <div className="flex items-start gap-2">
            <div id="generate-status" className="mt-1.5 min-h-4 min-w-0 flex-1 text-ui-sm tabular text-zinc-400" aria-live="polite">
              {busy ? (
                busyWords ? (
                  <>
                    <span aria-hidden="true">{busyWords.shown}</span>
                    <span className="sr-only">{busyWords.said}</span>
                  </>
                ) : (
                  'Sending…'
                )
              ) : error ? (
                <ErrorMessage size="sm" {...error} />
              ) : reason ? (
                <span className="text-amber-300">{reason}</span>
              ) : (
                `${plural(shape.sampleCount, 'video')} · ${shape.durationSeconds} s each`
              )}
            </div>
            {busy && onCancel && (
              <Button size="sm" variant="ghost" className="mt-0.5 shrink-0" onClick={onCancel}>
                Cancel
              </Button>
            )}
          </div>
        </div>
      )}
    </form>
  )
}

function FrameSlotWithSwap({ children, showSwap, onSwap }: { children: React.ReactNode; showSwap: boolean; onSwap(): void }) {
  return (
    <>
      {showSwap && (
        <Button
          size="bare"
          variant="ghost"
          className="mt-14 flex-col self-start px-1 py-1 text-ui-xs"
          onClick={onSwap}
          aria-label="Swap first and last frames"
          title="Swap first and last frames"
        >
          <span aria-hidden="true">⇄</span>
          Swap
        </Button>
      )}
      {children}
    </>
  )
}
