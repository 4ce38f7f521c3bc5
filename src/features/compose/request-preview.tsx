import { Suspense, lazy, useState } from 'react'
import type { StoredRequest } from '../../db/db'
import type { ModelSpec } from '../../models'

const RequestPreviewBody = lazy(() => import('./request-preview-body'))

/**
 * Request preview, folded: what Generate would send. Its content (the JSON, curl, request.json) loads on the first
 * open, not with the studio.
 */
export function RequestPreview({ model, request }: { model: ModelSpec; request: StoredRequest }) {
  const [open, setOpen] = useState(false)
  return (
    <details className="group min-w-0 rounded-control border border-line" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="cursor-pointer list-none px-2.5 py-1.5 text-ui text-zinc-400 hover:text-zinc-200">
        <span className="inline-block transition-transform group-open:rotate-90" aria-hidden="true">
          ▸
        </span>{' '}
        Request preview
      </summary>
      {open && (
        <Suspense fallback={<p className="border-t border-line p-2 text-ui-sm text-zinc-400">Loading the request…</p>}>
          <RequestPreviewBody model={model} request={request} />
        </Suspense>
      )}
    </details>
  )
}
