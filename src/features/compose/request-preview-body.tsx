import { useEffect, useState } from 'react'
import { Button } from '../../components/ui/button'
import type { StoredRequest } from '../../db/db'
import { buildRequestBody, sendPlan, sentFrame, sentFrameKey } from '../../db/requests'
import type { FrameSlot, ModelSpec } from '../../models'
import { describeSent, previewBody, toCurl, type SentFacts } from './request-check'
import { saveBlob } from '../../lib/download'

type Sent = Partial<Record<FrameSlot, SentFacts & { key: string }>>

/** The key of a frame's sent bytes (db/requests' cache key), for frames that are made rather than sent as stored. */
function sentKey(model: ModelSpec, request: StoredRequest, slot: FrameSlot): string | undefined {
  const ref = request.frames[slot]
  if (ref?.kind !== 'stored') return undefined
  const plan = sendPlan(ref, model, request.params)
  return plan.asStored ? undefined : sentFrameKey(ref, plan)
}

/**
 * The request preview's content, loaded when the preview is first opened: the JSON that Generate sends (base64
 * elided, each frame described as it is sent), the same request as a curl command that reads the body from
 * request.json, and that file, downloaded with the frames in full.
 */
export default function RequestPreviewBody({ model, request }: { model: ModelSpec; request: StoredRequest }) {
  const [copied, setCopied] = useState(false)
  const [problem, setProblem] = useState<string>()
  const [sent, setSent] = useState<Sent>({})
  const keys = model.frames.map((f) => sentKey(model, request, f.slot) ?? '').join('|')

  // The real bytes of a cropped frame are made when the preview is open (and kept: Generate reuses them).
  useEffect(() => {
    let live = true
    for (const spec of model.frames) {
      const ref = request.frames[spec.slot]
      const key = sentKey(model, request, spec.slot)
      if (ref?.kind !== 'stored' || !key) continue
      sentFrame(ref, model, request.params).then(
        (made) => live && setSent((s) => ({ ...s, [spec.slot]: { key, mime: made.mime, bytes: made.blob.size } })),
        (e: unknown) => live && setProblem(e instanceof Error ? e.message : String(e)),
      )
    }
    return () => {
      live = false
    }
    // `keys` names everything the sent bytes depend on.
    // oxlint-disable-next-line react-hooks/exhaustive-deps
  }, [keys])

  const known: Partial<Record<FrameSlot, SentFacts>> = {}
  for (const spec of model.frames) {
    const facts = sent[spec.slot]
    if (facts && facts.key === sentKey(model, request, spec.slot)) known[spec.slot] = facts
  }
  const body = previewBody(model, request, known)

  async function copy() {
    await navigator.clipboard.writeText(toCurl(model))
    setCopied(true)
    setTimeout(() => setCopied(false), 1500)
  }

  async function download() {
    setProblem(undefined)
    const built = await buildRequestBody(model, request).catch((e: unknown) => ({ ok: false as const, message: String(e) }))
    if (!built.ok) {
      setProblem(built.message)
      return
    }
    saveBlob(new Blob([JSON.stringify(built.body, null, 2)], { type: 'application/json' }), 'request.json')
  }

  return (
    <div className="border-t border-line p-2">
      <p className="mb-1 text-ui-sm wrap-anywhere text-zinc-400">
        POST <code className="text-zinc-300">{model.path}</code>
      </p>
      <ul className="mb-1 text-ui-sm tabular text-zinc-400">
        {model.frames.map((spec) => {
          const ref = request.frames[spec.slot]
          return ref ? <li key={spec.slot}>{`${spec.label}: ${describeSent(model, request, ref, known[spec.slot])}`}</li> : null
        })}
      </ul>
      {/* Focusable so keyboard users can scroll it (WCAG scrollable-region-focusable). Long lines wrap inside. */}
      <pre
        aria-label="Request JSON"
        // oxlint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        tabIndex={0}
        className="max-h-64 overflow-auto rounded bg-zinc-950 p-2 text-ui-xs leading-4 wrap-anywhere whitespace-pre-wrap text-zinc-300"
      >
        {JSON.stringify(body, null, 2)}
      </pre>
      <div className="mt-2 flex flex-wrap gap-1.5">
        <Button size="sm" onClick={() => void download()}>
          Download request.json
        </Button>
        <Button size="sm" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy as curl'}
        </Button>
      </div>
      <p className="mt-1 text-ui-sm text-zinc-400">
        The curl command reads its body from request.json (frames in full, no key): download it into the folder you run curl from.
      </p>
      {problem && (
        <p role="alert" className="mt-1 text-ui-sm text-red-400">
          {problem}
        </p>
      )}
    </div>
  )
}
