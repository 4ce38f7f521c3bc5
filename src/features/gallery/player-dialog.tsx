import { useEffect, useRef } from 'react'
import { Button } from '../../components/ui/button'
import type { SampleRecord } from '../../db/db'
import { useSampleSrc } from './sample-media'

/** The large player: Esc or Close returns to the gallery. */
export function PlayerDialog({ sample, onClose }: { sample: SampleRecord; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const src = useSampleSrc(sample)
  useEffect(() => {
    dialog.current?.showModal()
  }, [])
  const prompt = String(sample.request.params.prompt ?? '')
  return (
    <dialog
      ref={dialog}
      aria-label="Player"
      onClose={onClose}
      className="m-auto max-h-[92vh] w-[min(1200px,92vw)] rounded-card border border-line bg-panel p-3 text-zinc-200 backdrop:bg-black/80"
    >
      <div className="mb-2 flex items-center justify-between gap-3">
        <p className="truncate text-ui-lg">{prompt}</p>
        <Button size="sm" onClick={() => dialog.current?.close()}>
          Close
        </Button>
      </div>
      {src && <video src={src} controls autoPlay className="max-h-[80vh] w-full rounded bg-black" aria-label={`Video: ${prompt}`} />}
      <p className="mt-2 text-[12px] tabular text-zinc-500">Seed {sample.seed ?? 'unknown'}</p>
    </dialog>
  )
}
