import { render, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { db } from '../../db/db'
import { enqueue } from '../../db/queue'
import { TaskList } from './task-list'

const request = { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'x' }, frames: {} }

beforeEach(async () => {
  await Promise.all([db.queue.clear(), db.tasks.clear()])
})

describe('the queue line in the task strip', () => {
  it('says how many wait, and leaves out a single Generate that failed (its error shows under Generate)', async () => {
    const [, , single, swept] = await enqueue([
      { provider: 'local', request },
      { provider: 'local', request },
      { provider: 'local', request },
      { provider: 'local', request, experimentId: 'e', cell: { row: 0, col: 0 } },
    ])
    await db.queue.update(single!.id, { state: 'failed', error: { message: 'no' } })
    await db.queue.update(swept!.id, { state: 'failed', error: { message: 'no' } })
    render(<TaskList onShowSamples={() => {}} />)
    const status = screen.getByRole('status', { name: 'Submit queue' })
    await expect.poll(() => status.textContent).toBe('2 waiting to send · 1 sweep request not sent')
  })

  it('says nothing when the queue is empty', async () => {
    render(<TaskList onShowSamples={() => {}} />)
    await screen.findByText(/No tasks yet/)
    expect(screen.getByRole('status', { name: 'Submit queue' })).toBeEmptyDOMElement()
  })
})
