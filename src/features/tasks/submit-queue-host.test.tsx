import { render, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db'
import { enqueue } from '../../db/queue'
import { SENDER_TROUBLE } from './sender-state'
import type { SubmitQueue } from './submit-queue'
import { loadRetryMs, SubmitQueueHost } from './submit-queue-host'
import { TaskList } from './task-list'

/* The runner is a lazy chunk: when it cannot load, the host tries again and the studio says nothing is being sent. */

const request = { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'x' }, frames: {} }

beforeEach(async () => {
  await Promise.all([db.queue.clear(), db.tasks.clear()])
})

describe('SubmitQueueHost', () => {
  it('a runner that fails to load is tried again; meanwhile the queue line says so, and it clears once loaded', async () => {
    const started = vi.fn<() => SubmitQueue>(() => ({ stop: () => Promise.resolve() }))
    let tries = 0
    let reachable = false
    const load = () => {
      tries++
      return reachable
        ? Promise.resolve({ startSubmitQueue: started })
        : Promise.reject(new TypeError('Failed to fetch dynamically imported module'))
    }
    await enqueue([{ provider: 'local', request }])
    const { unmount } = render(
      <>
        <SubmitQueueHost load={load} retryMs={() => 10} />
        <TaskList onShowSamples={() => {}} />
      </>,
    )
    const status = screen.getByRole('status', { name: 'Submit queue' })
    await expect.poll(() => status.textContent).toBe(SENDER_TROUBLE)
    await expect.poll(() => tries).toBeGreaterThanOrEqual(3)
    expect(started).not.toHaveBeenCalled()
    reachable = true
    await expect.poll(() => started.mock.calls.length).toBe(1)
    await expect.poll(() => status.textContent).not.toBe(SENDER_TROUBLE)
    unmount()
  })

  it('waits longer between tries, up to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 9].map(loadRetryMs)).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000])
  })
})
