import { useId, useImperativeHandle, useRef, useState, type ClipboardEvent, type Ref } from 'react'
import { useDropzone } from 'react-dropzone'
import { checkFrameUrl } from '../../api/frame-check'
import { Button } from '../../components/ui/button'
import { Input } from '../../components/ui/input'
import type { FrameRef } from '../../db/db'
import { keepFrame } from '../../db/frames'
import { cn } from '../../lib/cn'
import { cropFor } from '../../lib/crop'
import { formatBytes } from '../../lib/format'
import { isHttpUrl, type AspectRatio, type FrameSpec } from '../../models'
import { FramePreview } from './frame-preview'

/** What the panel may ask of a zone: take a file handed from another zone (the second of a two-file drop). */
export interface FrameZoneHandle {
  take(file: Blob): void
}

interface FrameDropzoneProps {
  spec: FrameSpec
  frame: FrameRef | undefined
  /** Output aspect (width / height): the zone takes this shape, and the crop is drawn for it. */
  aspect: number
  aspectLabel: AspectRatio
  onChange(frame: FrameRef | undefined): void
  /** When given, the zone takes several files at once and hands on every file after the first. */
  onMoreFiles?: ((files: File[]) => void) | undefined
  ref?: Ref<FrameZoneHandle> | undefined
  /** A plain note under the zone (e.g. that only one frame is used). */
  note?: string | undefined
}

/** "This address can't be reached. …" → "Last frame: this address can't be reached. …" */
const namedFor = (label: string, sentence: string) => `${label}: ${sentence.charAt(0).toLowerCase()}${sentence.slice(1)}`

/** A frame slot: drop, click to browse, paste, or an image URL. Judges files by their bytes. */
export function FrameDropzone({ spec, frame, aspect, aspectLabel, onChange, onMoreFiles, ref, note }: FrameDropzoneProps) {
  const id = useId()
  const [problem, setProblem] = useState<string>()
  const [busy, setBusy] = useState(false)
  const [urlOpen, setUrlOpen] = useState(false)
  const [urlText, setUrlText] = useState('')
  // Only the latest file or address counts: an older check that ends later is ignored.
  const latest = useRef(0)

  async function take(file: Blob | undefined) {
    if (!file) return
    const mine = ++latest.current
    setBusy(true)
    try {
      const kept = await keepFrame(file, spec.label)
      if (mine !== latest.current) return
      onChange(kept)
      setProblem(undefined)
    } catch (e) {
      if (mine === latest.current) setProblem(e instanceof Error ? e.message : String(e))
    } finally {
      if (mine === latest.current) setBusy(false)
    }
  }

  // The panel hands this zone the second file of a two-file drop.
  useImperativeHandle(ref, () => ({ take: (file: Blob) => void take(file) }))

  const { getRootProps, getInputProps, isDragActive, open } = useDropzone({
    multiple: Boolean(onMoreFiles),
    noClick: Boolean(frame),
    noKeyboard: Boolean(frame),
    // Every file is let through: we judge type by bytes and say what is wrong, rather than silently refuse.
    onDrop: (accepted, rejected) => {
      const files = [...accepted, ...rejected.map((r) => r.file)]
      onMoreFiles?.(files.slice(1))
      void take(files[0])
    },
  })

  function onPaste(e: ClipboardEvent) {
    const file = Array.from(e.clipboardData.files)[0]
    if (file) {
      e.preventDefault()
      void take(file)
      return
    }
    const text = e.clipboardData.getData('text')
    if (isHttpUrl(text.trim())) {
      e.preventDefault()
      void takeUrl(text)
    }
  }

  /** An address is checked through the gateway at once: one that cannot be fetched is not taken. */
  async function takeUrl(text: string) {
    const url = text.trim()
    if (!isHttpUrl(url)) {
      setProblem(`${spec.label} URL must start with http:// or https://.`)
      return
    }
    const mine = ++latest.current
    setProblem(undefined)
    setBusy(true)
    const checked = await checkFrameUrl(url)
    if (mine !== latest.current) return
    setBusy(false)
    if (!checked.ok) {
      setProblem(namedFor(spec.label, checked.message))
      return
    }
    setUrlOpen(false)
    setUrlText('')
    onChange({ kind: 'url', url, width: checked.frame.width, height: checked.frame.height })
  }

  return (
    <div className="min-w-0 flex-1">
      <div className="mb-1 flex items-center justify-between gap-1 text-ui text-zinc-400">
        <span id={`${id}-label`} className="whitespace-nowrap">
          {spec.label}
          {spec.required && (
            <span className="ml-0.5 text-accent" aria-hidden="true">
              *
            </span>
          )}
        </span>
        {frame && (
          <Button size="sm" variant="ghost" onClick={() => onChange(undefined)} aria-label={`Clear ${spec.label.toLowerCase()}`}>
            Clear
          </Button>
        )}
      </div>
      {/* Beside the zone, not inside it: a control inside a control confuses screen readers. */}
      <input {...getInputProps({ 'aria-label': spec.label })} />
      <div
        {...getRootProps({
          role: frame ? 'group' : 'button',
          // Focusable even when loaded, so a paste can replace the frame.
          tabIndex: 0,
          'aria-labelledby': `${id}-label`,
          'aria-describedby': problem ? `${id}-problem` : undefined,
        })}
        onPaste={onPaste}
        data-aspect={aspectLabel}
        className={cn(
          'relative flex w-full items-center justify-center overflow-hidden rounded-card border text-center transition-colors',
          aspectLabel === '9:16' ? 'aspect-9/16' : 'aspect-video',
          !frame && 'cursor-pointer hover:border-zinc-500',
          // One of each: the border's line, its colour, the ground (a problem's red outranks the drag's accent).
          isDragActive ? 'border-solid' : !frame && 'border-dashed',
          problem ? 'border-red-500' : isDragActive ? 'border-accent' : frame ? 'border-line' : 'border-zinc-700',
          isDragActive ? 'bg-accent-soft' : frame ? 'bg-zinc-950' : 'bg-zinc-950/60',
        )}
      >
        {frame ? (
          <FramePreview
            frame={frame}
            label={spec.label}
            aspect={aspect}
            onMeasured={(width, height) => frame.kind === 'url' && onChange({ ...frame, width, height })}
            onCrop={(crop) => frame.kind === 'stored' && onChange({ ...frame, crop })}
          />
        ) : (
          <p className="px-3 text-ui-sm leading-5 text-zinc-400">
            {busy ? 'Checking…' : isDragActive ? 'Drop to use this frame' : 'Drop a JPEG or PNG · paste · browse · URL'}
          </p>
        )}
      </div>
      {frame && <FrameFacts frame={frame} aspect={aspect} aspectLabel={aspectLabel} />}
      <div className="mt-1 flex flex-wrap gap-1">
        {frame && (
          <Button size="sm" variant="ghost" onClick={open}>
            Replace
          </Button>
        )}
        <Button size="sm" variant="ghost" aria-expanded={urlOpen} onClick={() => setUrlOpen((v) => !v)}>
          Image URL
        </Button>
      </div>
      {urlOpen && (
        // Not a <form>: this sits inside the compose form, and forms do not nest.
        <div className="mt-1 flex gap-1">
          <label className="sr-only" htmlFor={`${id}-url`}>
            {`${spec.label} URL`}
          </label>
          <Input
            size="sm"
            id={`${id}-url`}
            type="url"
            placeholder="https://…/frame.png"
            className="min-w-0 flex-1"
            value={urlText}
            onChange={(e) => setUrlText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.metaKey && !e.ctrlKey) {
                e.preventDefault()
                void takeUrl(urlText)
              }
            }}
          />
          <Button size="sm" disabled={busy} onClick={() => void takeUrl(urlText)}>
            Use
          </Button>
        </div>
      )}
      {busy && frame && (
        <p role="status" className="mt-1 text-ui-sm text-zinc-400">
          Checking…
        </p>
      )}
      {note && <p className="mt-1 text-ui-sm leading-4 text-zinc-400">{note}</p>}
      {problem && (
        <p id={`${id}-problem`} role="alert" className="mt-1 text-ui-sm leading-4 text-red-400">
          {problem}
        </p>
      )}
    </div>
  )
}

function FrameFacts({ frame, aspect, aspectLabel }: { frame: FrameRef; aspect: number; aspectLabel: string }) {
  const w = frame.width
  const h = frame.height
  const cropped = w && h ? cropFor(w, h, aspect).cropped : false
  return (
    <div className="mt-1 flex flex-wrap items-center gap-1.5 text-ui-sm tabular text-zinc-400">
      {frame.kind === 'url' ? (
        <span className="truncate" title={frame.url}>
          URL
        </span>
      ) : null}
      {w && h ? <span>{`${w}×${h}`}</span> : null}
      {frame.kind === 'stored' && <span>{formatBytes(frame.bytes)}</span>}
      {cropped && (
        <span className="rounded-full border border-amber-500/50 px-1.5 text-amber-300" role="status">
          {`Cropped to ${aspectLabel}`}
        </span>
      )}
    </div>
  )
}
