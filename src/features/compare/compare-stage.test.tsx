import { act, render, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { db, type VideoRecord } from '../../db/db'
import { useStoredVideos } from '../../db/stored-videos'
import { CompareStage } from './compare-stage'
import { WHOLE_VIEW } from './zoom-pan'

const NOT_KEPT = /not kept on this device/

/** The comparison's path from storage to the stage: the stored copies read by the hook, one tile each. */
function Stage({ samples }: { samples: { id: string; stored: boolean }[] }) {
  const videos = useStoredVideos(samples)
  const tiles = samples.map((s, i) => ({ letter: 'AB'[i]!, video: videos[i]!, aspect: 16 / 9, header: s.id }))
  return <CompareStage tiles={tiles} mode="side" wipe={50} onWipe={() => {}} view={WHOLE_VIEW} onPan={() => {}} videoRef={() => () => {}} />
}

/** Each sample's read of its stored copy, held until the test settles it. */
const reads = new Map<string, (record: VideoRecord | undefined) => void>()

beforeEach(() => {
  URL.createObjectURL = () => 'blob:video'
  URL.revokeObjectURL = () => {}
  vi.spyOn(db.videos, 'get').mockImplementation(((id: string) => new Promise((resolve) => reads.set(id, resolve))) as never)
})
afterEach(() => {
  vi.restoreAllMocks()
  reads.clear()
})

const settle = (id: string, record: VideoRecord | undefined) => act(async () => reads.get(id)!(record))
const tile = (letter: string) => screen.getByRole('group', { name: `Video ${letter}` })

describe('a tile while its stored copy is read', () => {
  it('waits without words, then says the video is not kept when the read finds nothing', async () => {
    const { container } = render(<Stage samples={[{ id: 'a', stored: true }]} />)
    expect(tile('A')).toHaveAttribute('aria-busy', 'true')
    expect(screen.queryByText(NOT_KEPT)).toBeNull()
    expect(container.querySelector('video')).toBeNull()

    await settle('a', undefined)
    expect(tile('A')).toHaveAttribute('aria-busy', 'false')
    expect(within(tile('A')).getByText(NOT_KEPT)).toBeVisible()
  })

  it('waits without words, then plays the stored copy once read', async () => {
    const { container } = render(<Stage samples={[{ id: 'a', stored: true }]} />)
    expect(screen.queryByText(NOT_KEPT)).toBeNull()

    await settle('a', { sampleId: 'a', blob: new Blob(['x']) })
    expect(container.querySelector('video')).toHaveAttribute('src', 'blob:video')
    expect(screen.queryByText(NOT_KEPT)).toBeNull()
    expect(tile('A')).toHaveAttribute('aria-busy', 'false')
  })

  it('a sample never stored is missing at once, beside one still being read', async () => {
    render(
      <Stage
        samples={[
          { id: 'a', stored: true },
          { id: 'b', stored: false },
        ]}
      />,
    )
    expect(within(tile('A')).queryByText(NOT_KEPT)).toBeNull()
    expect(within(tile('B')).getByText(NOT_KEPT)).toBeVisible()
    expect(reads.has('b')).toBe(false)

    await settle('a', { sampleId: 'a', blob: new Blob(['x']) })
    expect(tile('A').querySelector('video')).not.toBeNull()
    expect(within(tile('B')).getByText(NOT_KEPT)).toBeVisible()
  })

  it('a read that fails counts as missing, instead of waiting forever', async () => {
    vi.mocked(db.videos.get).mockImplementation((() => Promise.reject(new Error('gone'))) as never)
    render(<Stage samples={[{ id: 'a', stored: true }]} />)
    expect(await within(tile('A')).findByText(NOT_KEPT)).toBeVisible()
  })
})
