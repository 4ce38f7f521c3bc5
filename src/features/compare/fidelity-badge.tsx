import { cn } from '../../lib/cn'
import { fidelityLine, type SampleFidelity } from './fidelity-plan'

/** One line each, as a designer reads them: what the number says, and which way is better. */
export const FIDELITY_TIP = [
  'How closely the video lands on the frames it was given (the uploaded frame, cropped as the provider saw it).',
  'PSNR: how close the pixels are, in dB; higher is closer, ∞ is identical.',
  'SSIM: how close the structure looks, up to 1; higher is closer.',
].join('\n')

/**
 * A sample's frame fidelity, compact, under its tile: "First 38.2 dB · SSIM 0.981" (and "Last …" for first/last
 * samples), or why there is none.
 */
export function FidelityBadge({ fidelity, letter, className }: { fidelity: SampleFidelity; letter: string; className?: string }) {
  return (
    <div
      role="group"
      aria-label={`Fidelity ${letter}`}
      title={FIDELITY_TIP}
      aria-busy={fidelity.state === 'measuring'}
      className={cn('flex flex-col text-ui-xs tabular text-zinc-300', className)}
    >
      {fidelity.state === 'measuring' && <span className="text-zinc-400">Measuring fidelity…</span>}
      {fidelity.state === 'done' && (
        <>
          {fidelity.first && <span>{fidelityLine('first', fidelity.first)}</span>}
          {fidelity.last && <span>{fidelityLine('last', fidelity.last)}</span>}
        </>
      )}
      {fidelity.state === 'unavailable' && <span className="text-zinc-400">{fidelity.reason}</span>}
      {fidelity.state === 'failed' && <span className="text-red-300">Fidelity not measured. {fidelity.message}</span>}
    </div>
  )
}
