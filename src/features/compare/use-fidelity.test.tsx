import { renderHook, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { sampleRecord } from '../../../testing/sample-record'
import type { FrameRef, SampleRecord } from '../../db/db'
import type { SampleFidelity } from './fidelity-plan'
import { measureSample } from './fidelity-run'
import { forgetFidelity, useFidelity } from './use-fidelity'

// The browser glue (hidden video, worker) is what jsdom lacks; its contract is measureSample's.
vi.mock('./fidelity-run', () => ({ measureSample: vi.fn<typeof measureSample>() }))
const measure = vi.mocked(measureSample)

const stored: FrameRef = { kind: 'stored', hash: 'h1', mime: 'image/png', width: 1280, height: 720, bytes: 1, name: 'f.png' }
const make = (id: string, frames: SampleRecord['request']['frames']) =>
  sampleRecord({ taskRecordId: id, stored: true, request: { modelId: 'veo-3.1-generate-firstlastframe', params: {}, frames } })
const done = (psnr: number): SampleFidelity => ({ state: 'done', first: { psnr, ssim: 0.9, heatUrl: `blob:${psnr}` }, ms: 5 })

beforeEach(() => {
  measure.mockReset()
  forgetFidelity()
})
afterEach(() => forgetFidelity())

describe('useFidelity', () => {
  it('says why a sample cannot be measured, without measuring', () => {
    const { result } = renderHook(() => useFidelity([make('a', { first: { kind: 'url', url: 'https://x/f.png' } })]))
    expect(result.current).toEqual([{ state: 'unavailable', reason: 'The first frame was a link, not kept in the library.' }])
    expect(measure).not.toHaveBeenCalled()
  })

  it('measures a stored sample, then keeps the numbers for the next opening', async () => {
    measure.mockResolvedValue(done(31))
    const a = make('a', { first: stored })
    const first = renderHook(() => useFidelity([a]))
    expect(first.result.current).toEqual([{ state: 'measuring' }])
    await waitFor(() => expect(first.result.current).toEqual([done(31)]))
    expect(measure).toHaveBeenCalledWith(a, { kind: 'measure', first: stored })
    first.unmount()

    // Reopened: the numbers are there on the first render, and nothing is measured again.
    const again = renderHook(() => useFidelity([a]))
    expect(again.result.current).toEqual([done(31)])
    expect(measure).toHaveBeenCalledTimes(1)
  })

  it('keeps the order given, one result a sample', async () => {
    measure.mockImplementation(async (sample) => done(sample.id.startsWith('a') ? 30 : 40))
    const { result } = renderHook(() => useFidelity([make('b', { first: stored }), make('a', { first: stored })]))
    await waitFor(() => expect(result.current).toEqual([done(40), done(30)]))
  })

  it('a failure is shown, and tried again on the next opening', async () => {
    measure.mockRejectedValueOnce(new Error('This video could not be decoded in this browser.'))
    const a = make('a', { first: stored })
    const first = renderHook(() => useFidelity([a]))
    await waitFor(() =>
      expect(first.result.current).toEqual([{ state: 'failed', message: 'This video could not be decoded in this browser.' }]),
    )
    first.unmount()
    measure.mockResolvedValue(done(33))
    const again = renderHook(() => useFidelity([a]))
    await waitFor(() => expect(again.result.current).toEqual([done(33)]))
    expect(measure).toHaveBeenCalledTimes(2)
  })
})
