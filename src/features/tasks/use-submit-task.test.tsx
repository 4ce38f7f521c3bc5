import { onlineManager, QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, renderHook, waitFor } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import type { ReactNode } from 'react'
import { describe, expect, it } from 'vitest'
import { libraryKeys } from '../../api/library-queries'
import type { QueueItemJson } from '../../api/library-schemas'
import type { FrameRef, StoredRequest, TaskRecord } from '../../db/db'
import { sha256Hex } from '../../lib/bytes'
import { findModel } from '../../models'
import { answerWith, seedTasks, withFakeLibrary, type FakeTask } from '../../test/fake-library'
import { OFFLINE_WAIT } from './queue-words'
import { sendRequest, useSubmitTask } from './use-submit-task'

/* Generate through the gateway: the hook hands it the request, the gateway (the test, here) sends it, the hook hears. */

const library = withFakeLibrary()
const v31 = findModel('veo-3.1-generate-firstlastframe')!

/** A frame in the library, already at the output size (720p 16:9), so it is sent as it is stored. */
async function storedFrame(text: string): Promise<FrameRef & { kind: 'stored' }> {
  const blob = new Blob([text], { type: 'image/png' })
  const hash = await sha256Hex(blob)
  library.files.set(hash, blob)
  library.frames.set(hash, { hash, mime: 'image/png', width: 1280, height: 720, bytes: blob.size, name: `${text}.png`, addedAt: 1 })
  return { kind: 'stored', hash, mime: 'image/png', width: 1280, height: 720, bytes: blob.size, name: `${text}.png` }
}

async function generateRequest(): Promise<StoredRequest> {
  const [first, last] = await Promise.all([storedFrame(`first ${Math.random()}`), storedFrame(`last ${Math.random()}`)])
  return {
    modelId: v31.id,
    params: { prompt: 'a kite over the dunes', resolution: '720p', aspect_ratio: '16:9', generate_audio: false },
    frames: { first, last },
  }
}

function setup() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>
  return { client, ...renderHook(() => useSubmitTask(), { wrapper }) }
}

const posted = () => library.calls.filter((c) => c.method === 'POST' && c.path === '/requests')
/** The request the gateway's queue holds (the one the studio handed it). */
const waiting = () => [...library.requests.values()][0]!

const newTask = (id: string, over: Partial<FakeTask> = {}): FakeTask => ({
  id,
  provider: 'local',
  taskId: id.split(':')[1]!,
  request: waiting().request,
  createdAt: Date.now(),
  status: 'TASK_STATUS_QUEUED',
  reason: '',
  dismissed: false,
  ...over,
})

/** What the gateway's runner does when it sends a request: its task is written, and the request names it. */
function gatewaySends(item: QueueItemJson, taskId: string): void {
  seedTasks(newTask(taskId))
  Object.assign(item, { state: 'sent', taskRecordId: taskId, sentAt: Date.now(), attempts: 1 })
}

describe('useSubmitTask', () => {
  it('hands the gateway the exact body, each frame by the hash of its bytes, as a single run; resolves with the task once sent', async () => {
    const request = await generateRequest()
    const { result } = setup()
    let sent!: Promise<TaskRecord | undefined>
    act(() => void (sent = result.current.send(request)))
    await waitFor(() => expect(posted()).toHaveLength(1))
    const first = request.frames.first as FrameRef & { kind: 'stored' }
    const last = request.frames.last as FrameRef & { kind: 'stored' }
    expect(posted()[0]!.body).toEqual({
      requests: [
        {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          provider: 'local',
          modelPath: '/v3/async/veo-3.1-generate-firstlastframe',
          request,
          // The model's own body, with {"$blob"} where the base64 would be: the gateway puts the bytes back to send.
          body: {
            ...v31.toRequestBody({ params: request.params, frames: {} }),
            image: { $blob: first.hash },
            last_image: { $blob: last.hash },
          },
          priority: 'single',
        },
      ],
    })
    // Frames the library holds already are not sent again.
    expect(library.calls.filter((c) => c.method === 'PUT')).toEqual([])
    await waitFor(() => expect(result.current.waitWords).toEqual({ shown: 'Waiting to send', said: 'Waiting to send' }))

    act(() => gatewaySends(waiting(), 'local:t1'))
    await expect(sent).resolves.toMatchObject({ id: 'local:t1', status: 'TASK_STATUS_QUEUED' })
    await waitFor(() => expect(result.current.isPending).toBe(false))
    expect(result.current.errorWords).toBeUndefined()
  })

  it('one press makes one request: a second press while the first is on its way hands over nothing', async () => {
    const request = await generateRequest()
    const { result } = setup()
    let first!: Promise<TaskRecord | undefined>
    await act(async () => {
      first = result.current.send(request)
      await expect(result.current.send(request)).resolves.toBeUndefined()
    })
    await waitFor(() => expect(posted()).toHaveLength(1))
    act(() => gatewaySends(waiting(), 'local:t1'))
    await first
    expect(posted()).toHaveLength(1)
    expect(library.requests.size).toBe(1)
  })

  it('a request the gateway could not send shows its words; one the gateway would not take, the gateway’s', async () => {
    const request = await generateRequest()
    const { result } = setup()
    act(() => void result.current.send(request).catch(() => {}))
    await waitFor(() => expect(posted()).toHaveLength(1))
    const words = { message: 'The provider refused the prompt. Reword it, then try again.', details: 'ILLEGAL_PROMPT (HTTP 400)' }
    act(() => void Object.assign(waiting(), { state: 'failed', attempts: 1, error: { ...words, status: 400 } }))
    await waitFor(() => expect(result.current.errorWords).toEqual(words))

    answerWith(
      http.post('*/api/library/requests', () =>
        HttpResponse.json(
          {
            code: 503,
            reason: 'SERVICE_NOT_AVAILABLE',
            message: 'The gateway is starting its runner. Try again in a few seconds.',
            metadata: {},
          },
          { status: 503 },
        ),
      ),
    )
    await act(() => result.current.send(request).catch(() => {}))
    expect(result.current.errorWords).toEqual({
      message: 'The gateway is starting its runner. Try again in a few seconds.',
      details: 'SERVICE_NOT_AVAILABLE (HTTP 503)',
    })
  })

  it('a key the provider refused keeps its way out (Settings) and its kind, for the words when the gateway holds the key', async () => {
    const request = await generateRequest()
    const { result } = setup()
    act(() => void result.current.send(request).catch(() => {}))
    await waitFor(() => expect(posted()).toHaveLength(1))
    // As the runner writes it (describeError's words, whole).
    const words = {
      message: 'The jiekou.ai key was refused. Check it in Settings.',
      details: 'INVALID_API_KEY (HTTP 403)\ninvalid api-key',
      fix: 'settings',
      account: 'key',
    }
    act(() => void Object.assign(waiting(), { state: 'failed', attempts: 1, error: { ...words, status: 403 } }))
    await waitFor(() => expect(result.current.errorWords).toEqual(words))
  })

  it('says who asked it to wait, and for how long; Cancel takes the waiting request back and the send ends with no task', async () => {
    const request = await generateRequest()
    const { result } = setup()
    let sent!: Promise<TaskRecord | undefined>
    act(() => void (sent = result.current.send(request)))
    await waitFor(() => expect(posted()).toHaveLength(1))
    const busy = { message: 'The provider is busy', details: 'RATE_LIMIT_EXCEEDED (HTTP 429)', status: 429 }
    act(() => void Object.assign(waiting(), { notBefore: Date.now() + 30_000, attempts: 1, error: busy }))
    await waitFor(() => expect(result.current.waitWords?.shown).toMatch(/^Waiting to send · The local engine asked us to wait (30|29) s$/))
    expect(result.current.waitWords?.said).toBe('Waiting to send · paused by the provider')

    act(() => result.current.cancel?.())
    await expect(sent).resolves.toBeUndefined()
    expect(library.calls.find((c) => c.path === '/requests/cancel')?.body).toEqual({ ids: [waiting().id] })
    await waitFor(() => expect(result.current.isPending).toBe(false))
    expect(result.current.errorWords).toBeUndefined()
  })
})

describe('useSubmitTask offline', () => {
  it('holds the press while the studio is offline, says so, and hands it over once back online', async () => {
    const request = await generateRequest()
    const { result } = setup()
    onlineManager.setOnline(false)
    try {
      act(() => void result.current.send(request).catch(() => {}))
      await waitFor(() => expect(result.current.waitWords).toEqual({ shown: OFFLINE_WAIT, said: OFFLINE_WAIT }))
      expect(posted()).toHaveLength(0)
    } finally {
      act(() => onlineManager.setOnline(true))
    }
    await waitFor(() => expect(posted()).toHaveLength(1))
    await waitFor(() => expect(result.current.waitWords?.shown).toBe('Waiting to send'))
  })
})

describe('sendRequest, for Retry', () => {
  it('goes to the provider of the task it retries, names it, and the old task loses its Retry at once', async () => {
    const request = await generateRequest()
    const old: TaskRecord = {
      id: 'jiekou:old',
      provider: 'jiekou',
      taskId: 'old',
      request,
      createdAt: 1,
      status: 'TASK_STATUS_FAILED',
      reason: 'boom',
      finishedAt: 5,
    }
    const client = new QueryClient()
    client.setQueryData<TaskRecord[]>(libraryKeys.tasks(), [old])
    const sent = sendRequest(request, old, { client })
    await waitFor(() => expect(posted()).toHaveLength(1))
    expect(posted()[0]!.body).toMatchObject({ requests: [{ provider: 'jiekou', retryOf: 'jiekou:old', priority: 'single' }] })
    gatewaySends(waiting(), 'jiekou:new')
    await expect(sent).resolves.toMatchObject({ id: 'jiekou:new' })
    expect(client.getQueryData<TaskRecord[]>(libraryKeys.tasks())?.map((t) => [t.id, t.retriedAs])).toEqual([
      ['jiekou:new', undefined],
      ['jiekou:old', 'jiekou:new'],
    ])
  })
})
