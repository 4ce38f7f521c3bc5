import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useStoredVideos } from '../../db/stored-videos'
import { CompareStage } from './compare-stage'
import { WHOLE_VIEW } from './zoom-pan'

const NOT_KEPT = /not kept in the library/
const SHA = 'e'.repeat(64)

/** The comparison's path from the samples to the stage: the library's copies, one tile each. */
function Stage({ samples }: { samples: { id: string; videoSha256?: string }[] }) {
  const videos = useStoredVideos(samples)
  const tiles = samples.map((s, i) => ({ letter: 'AB'[i]!, video: videos[i]!, aspect: 16 / 9, header: s.id }))
  return <CompareStage tiles={tiles} mode="side" wipe={50} onWipe={() => {}} view={WHOLE_VIEW} onPan={() => {}} videoRef={() => () => {}} />
}

const tile = (letter: string) => screen.getByRole('group', { name: `Video ${letter}` })

describe('a tile of the comparison', () => {
  it("plays the library's copy from the first render, never saying meanwhile that it is missing", () => {
    render(<Stage samples={[{ id: 'a', videoSha256: SHA }]} />)
    expect(tile('A').querySelector('video')).toHaveAttribute('src', `/api/library/files/${SHA}`)
    expect(screen.queryByText(NOT_KEPT)).toBeNull()
  })

  it('a sample the library does not hold says so, beside one that plays', () => {
    render(<Stage samples={[{ id: 'a', videoSha256: SHA }, { id: 'b' }]} />)
    expect(tile('A').querySelector('video')).not.toBeNull()
    expect(within(tile('A')).queryByText(NOT_KEPT)).toBeNull()
    expect(within(tile('B')).getByText(NOT_KEPT)).toBeVisible()
    expect(tile('B').querySelector('video')).toBeNull()
  })
})
