import { QueryClient } from '@tanstack/react-query'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { libraryKeys, libraryQueries, type Board } from '../api/library-queries'
import { answerWith, withFakeLibrary } from '../test/fake-library'
import type { ExperimentRecord, StoredRequest } from './db'
import { cancelWaiting, rerunCell, restoreWaiting } from './experiment-requests'
import { createExperiment, markCell, renameExperiment, toggleWinner } from './experiments'

const library = withFakeLibrary()

const request = (seed: number): StoredRequest => ({
  modelId: 'veo-3.1-generate-firstlastframe',
  params: { prompt: 'a kite', seed, duration_seconds: 4 },
  frames: { first: { kind: 'url', url: 'https://example.com/first.png' }, last: { kind: 'url', url: 'https://example.com/last.png' } },
})

/** A 1 × 4 sweep as Run sweep hands it to the gateway. */
const sweep = (client: QueryClient) =>
  createExperiment(client, {
    name: 'kites',
    provider: 'local',
    base: request(0),
    rows: ['a kite'],
    columns: [{ seed: 1 }, { seed: 2 }, { seed: 3 }, { seed: 4 }],
    cells: [0, 1, 2, 3].map((col) => ({ cell: { row: 0, col }, request: request(col + 1) })),
  })

const writes = () => library.calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`)
const queued = () => [...library.requests.values()].sort((a, b) => a.createdAt - b.createdAt)
/** A client with the queue read, as a board has it. */
async function readyClient() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  await client.fetchQuery(libraryQueries.queue())
  return client
}

describe('createExperiment', () => {
  it('hands the gateway the experiment, then every cell’s request in order, and the board is in the cache at once', async () => {
    const client = await readyClient()
    const experiment = await sweep(client)
    expect(writes()).toEqual(['POST /experiments', 'POST /requests'])
    expect(library.experiments.get(experiment.id)).toMatchObject({
      name: 'kites',
      rows: ['a kite'],
      columns: [{ seed: 1 }, { seed: 2 }, { seed: 3 }, { seed: 4 }],
    })
    expect(queued().map((r) => [r.priority, r.experimentId, r.cell, r.request.params])).toEqual(
      [0, 1, 2, 3].map((col) => ['sweep', experiment.id, { row: 0, col }, request(col + 1).params]),
    )
    expect(queued()[0]).toMatchObject({ provider: 'local', modelPath: '/v3/async/veo-3.1-generate-firstlastframe' })
    expect(client.getQueryData<Board>(libraryKeys.board(experiment.id))?.experiment.name).toBe('kites')
    expect(client.getQueryData<unknown[]>(libraryKeys.queue())).toHaveLength(4)
  })

  it('takes the experiment back when the gateway refuses its requests, and says why', async () => {
    answerWith(
      http.post('*/api/library/requests', () =>
        HttpResponse.json(
          { code: 503, reason: 'SERVICE_NOT_AVAILABLE', message: 'The gateway is starting its runner.', metadata: {} },
          { status: 503 },
        ),
      ),
    )
    const client = await readyClient()
    await expect(sweep(client)).rejects.toThrow('The gateway is starting its runner.')
    expect(writes().at(-1)).toMatch(/^DELETE \/experiments\//)
    expect(library.requests.size).toBe(0)
    expect([...library.experiments.values()].every((e) => e.deletedAt !== undefined)).toBe(true)
  })
})

describe('names and marks', () => {
  it('Winner pressed twice before an answer ends where it began, and the note stays', async () => {
    const client = await readyClient()
    const experiment = await sweep(client)
    await markCell(client, experiment.id, { row: 0, col: 1 }, { note: 'sky' })
    await Promise.all([toggleWinner(client, experiment.id, { row: 0, col: 1 }), toggleWinner(client, experiment.id, { row: 0, col: 1 })])
    expect(library.experiments.get(experiment.id)?.marks['0:1']).toEqual({ note: 'sky', winner: false })
    expect(library.calls.filter((c) => c.method === 'PATCH').map((c) => c.body)).toEqual([
      { marks: { '0:1': { note: 'sky' } } },
      { marks: { '0:1': { winner: true } } },
      { marks: { '0:1': { winner: false } } },
    ])
    const cached = client.getQueryData<Board>(libraryKeys.board(experiment.id))?.experiment
    expect(cached?.marks['0:1']).toEqual({ note: 'sky', winner: false })
  })

  it('renames with the name trimmed, and an empty name changes nothing', async () => {
    const client = await readyClient()
    const experiment = await sweep(client)
    await renameExperiment(client, experiment.id, '  Kites  ')
    await renameExperiment(client, experiment.id, '   ')
    expect(library.experiments.get(experiment.id)?.name).toBe('Kites')
    expect(library.calls.filter((c) => c.method === 'PATCH')).toHaveLength(1)
    expect(client.getQueryData<Board>(libraryKeys.board(experiment.id))?.experiment.name).toBe('Kites')
  })

  it('shows a mark at once, and reads the gateway again when it refuses it', async () => {
    const client = await readyClient()
    const experiment: ExperimentRecord = await sweep(client)
    // The board is open.
    await client.fetchQuery(libraryQueries.board(experiment.id))
    answerWith(
      http.patch('*/api/library/experiments/:id', () =>
        HttpResponse.json(
          { code: 400, reason: 'INVALID_REQUEST_BODY', message: 'A note is longer than 10,000 characters: shorten it.', metadata: {} },
          { status: 400 },
        ),
      ),
    )
    const saving = markCell(client, experiment.id, { row: 0, col: 0 }, { note: 'x' })
    expect(client.getQueryData<Board>(libraryKeys.board(experiment.id))?.experiment.marks['0:0']).toEqual({ note: 'x' })
    await expect(saving).rejects.toThrow('A note is longer than 10,000 characters')
    await expect.poll(() => client.getQueryData<Board>(libraryKeys.board(experiment.id))?.experiment.marks['0:0']).toBeUndefined()
  })
})

describe('rerunCell', () => {
  const entry = (experimentId: string, col: number) => ({
    provider: 'local' as const,
    request: request(col + 1),
    experimentId,
    cell: { row: 0, col },
  })

  it('sends one request for two presses, as a single run that retries the cell’s last task', async () => {
    const client = await readyClient()
    const experiment = await sweep(client)
    library.requests.get(queued()[2]!.id)!.state = 'sent'
    await client.refetchQueries({ queryKey: libraryKeys.queue() })
    const [a, b] = await Promise.all([
      rerunCell(client, entry(experiment.id, 2), 'local:t2'),
      rerunCell(client, entry(experiment.id, 2), 'local:t2'),
    ])
    expect([a, b].filter(Boolean)).toHaveLength(1)
    expect(queued().at(-1)).toMatchObject({
      priority: 'single',
      retryOf: 'local:t2',
      cell: { row: 0, col: 2 },
      experimentId: experiment.id,
    })
    // Still waiting: a third press adds nothing.
    expect(await rerunCell(client, entry(experiment.id, 2))).toBeUndefined()
    expect(library.requests.size).toBe(5)
  })
})

describe('cancelWaiting and restoreWaiting', () => {
  it('takes back what waits and what is going out, leaves a failed one, and Undo puts them back', async () => {
    const client = await readyClient()
    const experiment = await sweep(client)
    const [sending, failed, a, b] = queued()
    sending!.state = 'sending'
    failed!.state = 'failed'
    await client.refetchQueries({ queryKey: libraryKeys.queue() })

    const cancelled = await cancelWaiting(client, experiment.id)
    expect(cancelled.removed.map((i) => i.id)).toEqual([a!.id, b!.id])
    expect(cancelled.flagged.map((i) => i.id)).toEqual([sending!.id])
    expect(queued().map((r) => r.state)).toEqual(['cancelled', 'failed', 'cancelled', 'cancelled'])
    // Gone from the queue at once; the one going out stays until its task (or its refusal) is read.
    expect(client.getQueryData<{ id: string }[]>(libraryKeys.queue())?.map((i) => i.id)).toEqual([sending!.id, failed!.id])

    await restoreWaiting(client, cancelled)
    expect(queued().map((r) => r.state)).toEqual(['queued', 'failed', 'queued', 'queued'])
    await expect.poll(() => client.getQueryData<unknown[]>(libraryKeys.queue())?.length).toBe(4)
  })

  it('Undo leaves out a cell re-run since: no twin comes back', async () => {
    const client = await readyClient()
    const experiment = await sweep(client)
    const cancelled = await cancelWaiting(client, experiment.id)
    await new Promise((r) => setTimeout(r, 2))
    const rerun = await rerunCell(client, { provider: 'local', request: request(4), experimentId: experiment.id, cell: { row: 0, col: 3 } })
    await restoreWaiting(client, cancelled)
    const cell3 = queued().filter((r) => (r.cell as { col: number }).col === 3)
    expect(cell3.map((r) => [r.id, r.state])).toEqual([
      [cancelled.removed[3]!.id, 'cancelled'],
      [rerun!.id, 'queued'],
    ])
    expect(library.calls.find((c) => c.path === '/requests/restore')?.body).toEqual({ ids: cancelled.removed.slice(0, 3).map((i) => i.id) })
  })
})
