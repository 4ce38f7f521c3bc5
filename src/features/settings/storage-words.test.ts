// @vitest-environment node
import { describe, expect, it } from 'vitest'
import type { LibraryStorage } from '../../api/library-queries'
import { DISK_FULL_WORDS, diskFull, size, storageWords } from './storage-words'

const GB = 1024 ** 3
const MB = 1024 ** 2

const storage = (over: Partial<LibraryStorage> = {}): LibraryStorage => ({
  dataDir: '/data',
  engine: 'pglite',
  database: { bytes: 30 * MB },
  files: { videos: { count: 3, bytes: 1.2 * GB }, posters: { count: 3, bytes: 300 * 1024 }, frames: { count: 1, bytes: 2 * MB } },
  disk: { freeBytes: 200 * GB, totalBytes: 500 * GB },
  ...over,
})

describe('size', () => {
  it.each([
    [512, '512 B'],
    [300 * 1024, '300 KB'],
    [30 * MB, '30.0 MB'],
    [1.2 * GB, '1.2 GB'],
    [2048 * GB, '2.0 TB'],
  ])('%d bytes read "%s"', (bytes, words) => expect(size(bytes)).toBe(words))
})

describe('storageWords', () => {
  it('says how much the library takes, what takes it, and what is left on the disk', () => {
    const words = storageWords(storage())
    expect(words.usage).toBe("The library takes 1.2 GB. The gateway's disk has 200.0 GB free of 500.0 GB.")
    expect(words.percent).toBe(60)
    expect(words.parts).toEqual([
      { label: 'Database', value: '30.0 MB' },
      { label: 'Videos', value: '3 videos · 1.2 GB' },
      { label: 'Posters', value: '3 posters · 300 KB' },
      { label: 'Frames', value: '1 frame · 2.0 MB' },
    ])
    expect(words.warning).toBeUndefined()
    expect(words.paused).toBeUndefined()
  })

  it.each([
    [{ freeBytes: 51 * GB, totalBytes: 500 * GB }, undefined],
    [
      { freeBytes: 50 * GB, totalBytes: 500 * GB },
      "The gateway's disk is 90 % full. When it fills up, archiving pauses until there is room: free space on it before then.",
    ],
    [{ freeBytes: 0, totalBytes: 0 }, undefined],
  ])('a disk of %j warns: %s', (disk, warning) => {
    expect(storageWords(storage({ disk })).warning).toBe(warning)
  })

  it('a full disk pauses the archive: said with the way out, instead of the warning', () => {
    const full = storage({ disk: { freeBytes: 0, totalBytes: 500 * GB }, paused: { reason: 'disk-full' } })
    expect(diskFull(full)).toBe(true)
    expect(storageWords(full)).toMatchObject({ paused: DISK_FULL_WORDS, warning: undefined, percent: 100 })
    expect(DISK_FULL_WORDS).toMatch(
      /^The gateway's disk is full: archiving is paused.+ Free space on the gateway's disk: .+goes on by itself/,
    )
    expect(diskFull(storage({ paused: null }))).toBe(false)
    expect(diskFull(undefined)).toBe(false)
  })

  it('names PostgreSQL when the database is not in the data folder', () => {
    expect(storageWords(storage({ engine: 'postgres' })).parts[0]).toEqual({ label: 'Database (PostgreSQL)', value: '30.0 MB' })
  })
})
