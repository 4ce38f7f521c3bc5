// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { storageWords } from './storage-words'

describe('storageWords', () => {
  it.each([
    [{ usage: 0, quota: 0, persisted: false }, 'Using 0 B of 0 B (0 %)', 0],
    [{ usage: 512 * 1024, quota: 10 * 1024 ** 3, persisted: true }, 'Using 512 KB of 10.0 GB (0 %)', 0],
    [{ usage: 1.2 * 1024 ** 3, quota: 10 * 1024 ** 3, persisted: false }, 'Using 1.2 GB of 10.0 GB (12 %)', 12],
    [{ usage: 300 * 1024 ** 2, quota: 200 * 1024 ** 2, persisted: false }, 'Using 300.0 MB of 200.0 MB (100 %)', 100],
  ])('%j reads "%s"', (state, usage, percent) => {
    const words = storageWords(state)
    expect(words.usage).toBe(usage)
    expect(words.percent).toBe(percent)
  })

  it('says whether the browser may clear the videos', () => {
    expect(storageWords({ usage: 1, quota: 100, persisted: true }).persistence).toMatch(/^Kept:/)
    expect(storageWords({ usage: 1, quota: 100, persisted: false }).persistence).toMatch(/^Best effort:/)
  })

  it('warns from 80 % full, with the way out', () => {
    expect(storageWords({ usage: 79, quota: 100, persisted: true }).warning).toBeUndefined()
    expect(storageWords({ usage: 80, quota: 100, persisted: true }).warning).toBe(
      'Storage is 80 % full. Free space by deleting samples you no longer need, or download them first.',
    )
  })
})
