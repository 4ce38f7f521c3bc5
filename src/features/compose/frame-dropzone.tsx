import { useId, useState, type ClipboardEvent } from 'react'
import { useDropzone } from 'react-dropzone'
import { Button } from '../../components/ui/button'
import { Input } from '../../components/ui/input'
import type { FrameRef } from '../../db/db'
import { keepFrame } from '../../db/frames'
import { useFrameSrc } from '../../db/hooks'
import { cn } from '../../lib/cn'
import { cropFor, cropOutline, type FrameCrop, type Rect } from '../../lib/crop'
import { formatBytes } from '../../lib/format'
import { aspectValue, isHttpUrl, type FrameSpec } from '../../models'

/** The zone's own shape: it is `aspect-video` below, whatever the output aspect. */
const ZONE_ASPECT = aspectValue('16:9')

interface FrameDropzoneProps {
  spec: FrameSpec
  frame: FrameRef | undefined
  /** Output aspect (width / height), to warn about and draw the crop. */
  aspect: number
  aspectLabel: string
  onChange(frame: FrameRef | undefined): void
}

/** A frame slot: drop, click to browse, paste, or an image URL. Judges files by their bytes. */
export function FrameDropzone({ spec, frame, aspect, aspectLabel, onChange }: FrameDropzoneProps) {
  const id = useId()
  const [problem, setProblem] = useState<string>()
  const [busy, setBusy] = useState(false)
  const [urlOpen, setUrlOpen] = useState(false)
  const [urlText, setUrlText] = useState('')

  async function take(file: Blob | undefined) {
    if (!file) return
    setBusy(true)
    try {
      onChange(await keepFrame(file, spec.label))
      setProblem(undefined)
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e))
    } finally {
      setBusy(false)
    }
  }

  const crop = frame?.width && frame.height ? cropFor(frame.width, frame.height, aspect) : undefined

  const { getRootProps, getInputProps, isDragActive, open } = useDropzone({
    multiple: false,
    noClick: Boolean(frame),
    noKeyboard: Boolean(frame),
    // Every file is let through: we judge type by bytes and say what is wrong, rather than silently refuse.
    onDrop: (accepted, rejected) => void take(accepted[0] ?? rejected[0]?.file),
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
      takeUrl(text)
    }
  }

  function takeUrl(text: string) {
    if (!isHttpUrl(text.trim())) {
      setProblem(`${spec.label} URL must start with http:// or https://.`)
      return
    }
    setProblem(undefined)
    setUrlOpen(false)
    setUrlText('')
    onChange({ kind: 'url', url: text.trim() })
  }

  return (
    <div className="min-w-0 flex-1">
      <div className="mb-1 flex items-center justify-between text-ui text-zinc-400">
        <span id={`${id}-label`}>
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
          onPaste,
          role: frame ? 'group' : 'button',
          // Focusable even when loaded, so a paste can replace the frame.
          tabIndex: 0,
          'aria-labelledby': `${id}-label`,
          'aria-describedby': problem ? `${id}-problem` : undefined,
        })}
        className={cn(
          'relative flex aspect-video w-full items-center justify-center overflow-hidden rounded-card border text-center transition-colors',
          frame ? 'border-line bg-zinc-950' : 'cursor-pointer border-dashed border-zinc-700 bg-zinc-950/60 hover:border-zinc-500',
          isDragActive && 'border-solid border-accent bg-accent-soft',
          problem && 'border-red-500',
        )}
      >
        {frame ? (
          <FramePreview
            frame={frame}
            crop={crop}
            boxAspect={ZONE_ASPECT}
            onMeasured={(width, height) => frame.kind === 'url' && onChange({ ...frame, width, height })}
          />
        ) : (
          <p className="px-3 text-ui-sm leading-5 text-zinc-400">
            {busy ? 'Checking…' : isDragActive ? 'Drop to use this frame' : 'Drop a JPEG or PNG · paste · browse · URL'}
          </p>
        )}
      </div>
      {frame && <FrameFacts frame={frame} cropped={crop?.cropped ?? false} aspectLabel={aspectLabel} />}
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
            className="flex-1"
            value={urlText}
            onChange={(e) => setUrlText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.metaKey && !e.ctrlKey) {
                e.preventDefault()
                takeUrl(urlText)
              }
            }}
          />
          <Button size="sm" onClick={() => takeUrl(urlText)}>
            Use
          </Button>
        </div>
      )}
      {problem && (
        <p id={`${id}-problem`} role="alert" className="mt-1 text-ui-sm leading-4 text-red-400">
          {problem}
        </p>
      )}
    </div>
  )
}

interface FramePreviewProps {
  frame: FrameRef
  /** Undefined until the frame's size is known. */
  crop: FrameCrop | undefined
  /** Width / height of the box the frame is shown in (object-contain). */
  boxAspect: number
  onMeasured(width: number, height: number): void
}

function FramePreview({ frame, crop, boxAspect, onMeasured }: FramePreviewProps) {
  const src = useFrameSrc(frame)
  // A URL frame's size is known only once the browser has loaded it.
  const measure = (img: HTMLImageElement) => {
    if (!frame.width && img.naturalWidth) onMeasured(img.naturalWidth, img.naturalHeight)
  }
  return (
    <div className="relative h-full w-full">
      {src && <img src={src} alt="" className="h-full w-full object-contain" draggable={false} onLoad={(e) => measure(e.currentTarget)} />}
      {crop?.cropped && frame.width && frame.height && (
        <CropOutline kept={crop.kept} frameAspect={frame.width / frame.height} boxAspect={boxAspect} />
      )}
    </div>
  )
}

/** Draws the kept rectangle over the frame, which is shown object-contain in a box of `boxAspect`. */
function CropOutline({ kept, frameAspect, boxAspect }: { kept: Rect; frameAspect: number; boxAspect: number }) {
  const at = cropOutline(kept, frameAspect, boxAspect)
  return (
    <div
      aria-hidden="true"
      data-testid="crop-outline"
      className="pointer-events-none absolute border-2 border-amber-400 shadow-[0_0_0_9999px_rgb(0_0_0/0.45)]"
      style={{ left: `${at.x * 100}%`, top: `${at.y * 100}%`, width: `${at.w * 100}%`, height: `${at.h * 100}%` }}
    />
  )
}

function FrameFacts({ frame, cropped, aspectLabel }: { frame: FrameRef; cropped: boolean; aspectLabel: string }) {
  const w = frame.width
  const h = frame.height
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
