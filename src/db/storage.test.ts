// @vitest-environment node
import Dexie from 'dexie'
import { afterEach, describe, expect, it } from 'vitest'
import { sampleRecord } from '../../testing/sample-record'
import { db } from './db'
import { droppable, dropStoredCopies } from './space'
import { STORE_FULL, clock, isQuotaError, refetchAt, storeNote } from './storage'

afterEach(async () => {
  await db.delete()
  await db.open()
})

const HOUR = 3_600_000
const video = (sampleId: string, size = 100) => ({
  sampleId,
  blob: new Blob([new Uint8Array(size)]),
  poster: new Blob([new Uint8Array(10)]),
})

describe('isQuotaError', () => {
  it.each([
    ['the browser’s own error', new DOMException('full', 'QuotaExceededError'), true],
    ['Dexie’s wrap of it', new Dexie.AbortError('Transaction aborted', new DOMException('full', 'QuotaExceededError')), true],
    ['Dexie’s named error', new Dexie.QuotaExceededError('full'), true],
    ['an old browser’s code 22', Object.assign(new Error('full'), { code: 22 }), true],
    ['a cause chain', new Error('write failed', { cause: new DOMException('full', 'QuotaExceededError') }), true],
    ['an abort for another reason', new Dexie.AbortError('aborted', new Error('constraint')), false],
    ['a network error', new TypeError('Failed to fetch'), false],
    ['nothing', undefined, false],
  ])('%s: %s', (_, error, expected) => {
    expect(isQuotaError(error)).toBe(expected)
  })
})

describe('Drop stored copies', () => {
  const now = 10 * HOUR
  // Made at `made`, its link lives 4 hours: half-way is 2 hours in.
  const s = (id: string, made: number, more = {}) =>
    sampleRecord({ id, taskRecordId: `local:${id}`, createdAt: made, urlExpiresAt: made + 4 * HOUR, stored: true, ...more })

  it('drops only copies that can be fetched again in time: not a favourite, not deleted, link in its first half', async () => {
    await db.samples.bulkPut([
      s('young', now - HOUR),
      s('old', now - 3 * HOUR),
      s('favourite', now - HOUR, { favourite: 1 }),
      s('deleted', now - HOUR, { deletedAt: now - 1000 }),
      s('expired', now - 5 * HOUR),
    ])
    await db.videos.bulkPut(['young', 'old', 'favourite', 'deleted', 'expired'].map((id) => video(id)))
    expect(await dropStoredCopies(now)).toEqual({ count: 1, bytes: 110 })
    expect(await db.videos.get('young')).toBeUndefined()
    expect(await db.samples.get('young')).toMatchObject({ stored: false, offloadedAt: now })
    expect((await db.videos.toCollection().primaryKeys()).sort()).toEqual(['deleted', 'expired', 'favourite', 'old'])
    expect(await db.samples.get('old')).toMatchObject({ stored: true })
  })

  it('is all or nothing: a write that fails inside leaves every copy and every sample as it was', async () => {
    await db.samples.bulkPut([s('a', now - HOUR), s('b', now - HOUR)])
    await db.videos.bulkPut([video('a'), video('b')])
    const fail = () => {
      throw new DOMException('disk gone', 'UnknownError')
    }
    db.samples.hook('updating', fail)
    try {
      await expect(dropStoredCopies(now)).rejects.toThrow('disk gone')
    } finally {
      db.samples.hook('updating').unsubscribe(fail)
    }
    expect(await db.videos.count()).toBe(2)
    expect((await db.samples.toArray()).map((x) => [x.stored, x.offloadedAt])).toEqual([
      [true, undefined],
      [true, undefined],
    ])
  })

  it('judges the rule on its own: half-way through the link is the last moment', () => {
    const x = s('x', 0)
    expect(refetchAt(x)).toBe(2 * HOUR)
    expect(droppable(x, 2 * HOUR - 1)).toBe(true)
    expect(droppable(x, 2 * HOUR)).toBe(false)
  })
})

describe('storeNote', () => {
  it('says why a copy is not on this device, and nothing once it is', () => {
    const base = { createdAt: 0, urlExpiresAt: 4 * HOUR }
    expect(storeNote({ ...base, stored: false, storeError: STORE_FULL })).toBe('Storage full: not kept yet')
    expect(storeNote({ ...base, stored: false, offloadedAt: 1 })).toBe(`Not on this device: kept again from ${clock(2 * HOUR)}`)
    expect(storeNote({ ...base, stored: false, storeError: 'the video URL answered 500' })).toBeUndefined()
    expect(storeNote({ ...base, stored: true, offloadedAt: 1 })).toBeUndefined()
  })
})
