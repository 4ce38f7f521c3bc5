import { Button } from '../../components/ui/button'
import { Dialog } from '../../components/ui/dialog'
import type { SampleRecord } from '../../db/db'
import { useSampleSrc } from './sample-media'

/** The large player: Esc or Close returns to the gallery. */
export function PlayerDialog({ sample, onClose }: { sample: SampleRecord; onClose(): void }) {
  const src = useSampleSrc(sample)
  const prompt = String(sample.request.params.prompt ?? '')
  return (
    <Dialog label="Player" onClose={onClose} className="max-h-[92vh] w-[min(1200px,92vw)] p-3">
      {(close) => (
        <>
          <div className="mb-2 flex items-center justify-between gap-3">
            <p className="truncate text-ui-lg">{prompt}</p>
            <Button size="sm" onClick={close}>
              Close
            </Button>
          </div>
          {src && <video src={src} controls autoPlay className="max-h-[80vh] w-full rounded bg-black" aria-label={`Video: ${prompt}`} />}
          <p className="mt-2 text-ui-sm tabular text-zinc-400">Seed {sample.seed ?? 'unknown'}</p>
        </>
      )}
    </Dialog>
  )
}
