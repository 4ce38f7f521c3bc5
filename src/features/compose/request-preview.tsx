import { useState } from 'react'
import { Button } from '../../components/ui/button'
import type { StoredRequest } from '../../db/db'
import type { ModelSpec } from '../../models'
import { previewBody, toCurl } from './request-check'

/** The exact JSON that Generate sends (base64 elided), and the same request as curl without the key. */
export function RequestPreview({ model, request }: { model: ModelSpec; request: StoredRequest }) {
  const [copied, setCopied] = useState(false)
  const body = previewBody(model, request)
  async function copy() {
    await navigator.clipboard.writeText(toCurl(model, body))
    setCopied(true)
    setTimeout(() => setCopied(false), 1500)
  }
  return (
    <details className="group rounded-control border border-line">
      <summary className="cursor-pointer list-none px-2.5 py-1.5 text-ui text-zinc-400 hover:text-zinc-200">
        <span className="inline-block transition-transform group-open:rotate-90" aria-hidden="true">
          ▸
        </span>{' '}
        Request preview
      </summary>
      <div className="border-t border-line p-2">
        <p className="mb-1 text-ui-sm text-zinc-400">
          POST <code className="text-zinc-300">{model.path}</code>
        </p>
        {/* Focusable so keyboard users can scroll it (WCAG scrollable-region-focusable). */}
        <pre
          aria-label="Request JSON"
          // oxlint-disable-next-line jsx-a11y/no-noninteractive-tabindex
          tabIndex={0}
          className="max-h-64 overflow-auto rounded bg-zinc-950 p-2 text-ui-xs leading-4 text-zinc-300"
        >
          {JSON.stringify(body, null, 2)}
        </pre>
        <Button size="sm" className="mt-2" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy as curl'}
        </Button>
      </div>
    </details>
  )
}
