import type { FrameRef, StoredRequest } from '../../db/db'
import { useFrameSrc } from '../../db/hooks'
import { effectiveParams, findModel, type FieldSpec, type ParamValue } from '../../models'

/** A parameter as a designer reads it: option labels, units, On/Off; what was left empty says so. */
export function formatParam(field: FieldSpec, value: ParamValue): string {
  if (value === undefined || value === '') return 'None'
  if (field.kind === 'boolean') return value ? 'On' : 'Off'
  if (field.key === 'duration_seconds') return `${value} s`
  if (field.kind === 'enum') return field.options.find((o) => o.value === value)?.label ?? String(value)
  return String(value)
}

/** The whole request a sample was made with, as it ran: the catalogue's fields with their effective values. */
export function RequestDetails({ request, seed }: { request: StoredRequest; seed: string | undefined }) {
  const model = findModel(request.modelId)
  const values = model ? effectiveParams(model, request.params) : request.params
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1.5 text-ui-sm">
      <Row term="Model">{model?.name ?? request.modelId}</Row>
      {model?.fields.map((field) => (
        <Row key={field.key} term={field.label}>
          {/* The seed the provider used (drawn by it when none was asked for), not the empty field. */}
          {field.key === 'seed' ? (seed ?? formatParam(field, values.seed)) : formatParam(field, values[field.key])}
        </Row>
      ))}
      {(model?.frames ?? []).map((frame) => (
        <Row key={frame.slot} term={frame.label}>
          <FrameThumb frame={request.frames[frame.slot]} label={frame.label} />
        </Row>
      ))}
    </dl>
  )
}

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-zinc-400">{term}</dt>
      <dd className="min-w-0 tabular break-words whitespace-pre-wrap text-zinc-200">{children}</dd>
    </>
  )
}

function FrameThumb({ frame, label }: { frame: FrameRef | undefined; label: string }) {
  const src = useFrameSrc(frame)
  if (!frame) return 'None'
  return src ? <img src={src} alt={label} className="max-h-24 rounded-control border border-line" /> : 'Not on this device'
}
