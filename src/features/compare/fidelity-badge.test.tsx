import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { FidelityBadge } from './fidelity-badge'

describe('FidelityBadge', () => {
  it('shows the first and last frame numbers, named by letter, with the explanation as its title', () => {
    render(
      <FidelityBadge
        letter="B"
        fidelity={{
          state: 'done',
          first: { psnr: 38.21, ssim: 0.9814, heatUrl: 'blob:a' },
          last: { psnr: 36, ssim: 0.9621, heatUrl: 'blob:b' },
          ms: 120,
        }}
      />,
    )
    const badge = screen.getByRole('group', { name: 'Fidelity B' })
    expect(badge).toHaveTextContent('First 38.2 dB · SSIM 0.981')
    expect(badge).toHaveTextContent('Last 36.0 dB · SSIM 0.962')
    expect(badge.title).toMatch(/PSNR.*higher is closer/)
    expect(badge.title).toMatch(/SSIM.*higher is closer/)
  })

  it('reads ∞ dB for identical pixels, and only the frames measured', () => {
    render(<FidelityBadge letter="A" fidelity={{ state: 'done', first: { psnr: Infinity, ssim: 1, heatUrl: 'blob:a' }, ms: 1 }} />)
    const badge = screen.getByRole('group', { name: 'Fidelity A' })
    expect(badge).toHaveTextContent('First ∞ dB · SSIM 1.000')
    expect(badge).not.toHaveTextContent('Last')
  })

  it.each([
    [{ state: 'measuring' } as const, 'Measuring fidelity…'],
    [{ state: 'unavailable', reason: 'The first frame was a link, not kept in the library.' } as const, 'The first frame was a link'],
    [{ state: 'failed', message: 'This video could not be decoded in this browser.' } as const, 'Fidelity not measured. This video'],
  ])('%j', (fidelity, text) => {
    render(<FidelityBadge letter="C" fidelity={fidelity} />)
    expect(screen.getByRole('group', { name: 'Fidelity C' })).toHaveTextContent(text)
  })
})
