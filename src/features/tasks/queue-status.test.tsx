import { act, render, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { db } from '../../db/db'
import { enqueue } from '../../db/queue'
import { deliver } from './queue-channel'
import { setSenderTrouble } from './sender-state'
import { TaskList } from './task-list'

/** What the line shows (the countdown included), and what a screen reader hears of it (aria-hidden left out). */
const shown = (status: HTMLElement) => status.querySelector('[aria-hidden="true"]')?.textContent
const said = (status: HTMLElement) =>
  [...status.childNodes]
    .filter((n) => !(n instanceof HTMLElement && n.getAttribute('aria-hidden') === 'true'))
    .map((n) => n.textContent)
    .join('')

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
    await expect.poll(() => shown(status)).toBe('2 waiting to send · 1 sweep request not sent')
    expect(said(status)).toBe('2 waiting to send · 1 sweep request not sent')
  })

  it('shows the countdown, but keeps it out of what a screen reader is told', async () => {
    const [first] = await enqueue([{ provider: 'local', request }])
    render(<TaskList onShowSamples={() => {}} />)
    const status = screen.getByRole('status', { name: 'Submit queue' })
    await expect.poll(() => shown(status)).toBe('1 waiting to send')
    deliver({
      type: 'plan',
      plan: { at: Date.now(), waiting: [{ id: first!.id, sendsAt: Date.now() + 40_000 }], reason: 'window', limit: 10 },
    })
    await expect.poll(() => shown(status)).toMatch(/^1 waiting to send · next in (40|39) s$/)
    expect(said(status)).toBe('1 waiting to send')
  })

  it('says so when the sender cannot load, in place of the queue', async () => {
    await enqueue([{ provider: 'local', request }])
    render(<TaskList onShowSamples={() => {}} />)
    const status = screen.getByRole('status', { name: 'Submit queue' })
    act(() => setSenderTrouble(true))
    expect(status).toHaveTextContent('The studio could not load its sender. Reload the page to keep sending.')
    act(() => setSenderTrouble(false))
    await expect.poll(() => shown(status)).toMatch(/^1 waiting to send/)
  })

  it('says nothing when the queue is empty', async () => {
    render(<TaskList onShowSamples={() => {}} />)
    await screen.findByText(/No tasks yet/)
    expect(screen.getByRole('status', { name: 'Submit queue' })).toBeEmptyDOMElement()
  })
})
