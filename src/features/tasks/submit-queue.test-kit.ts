import { vi } from 'vitest'
import type { QueueItem, StoredRequest } from '../../db/db'
import { startSubmitQueue, type SubmitQueue, type SubmitQueueDeps } from './submit-queue'

/* What the submit queue's tests share: a request, a fake provider, fake locks, and runners stopped after each test. */

export const request = (prompt: string): StoredRequest => ({ modelId: 'veo-3.1-generate-firstlastframe', params: { prompt }, frames: {} })

/** A fake provider: records each send (item id, prompt, time) and answers with `answer`. */
export function fakeSend(answer: (item: QueueItem, n: number) => Promise<string> = (item) => Promise.resolve(`task-${item.id}`)) {
  const sends: { id: string; prompt: unknown; at: number; sentAt: number | undefined }[] = []
  const send = vi.fn<(item: QueueItem) => Promise<string>>((item) => {
    sends.push({ id: item.id, prompt: item.request.params.prompt, at: Date.now(), sentAt: item.sentAt })
    return answer(item, sends.length)
  })
  return { sends, send }
}

/** One lock per name, granted in request order, as the Web Locks API does across tabs. */
export function fakeLocks(): Pick<LockManager, 'request'> {
  let tail = Promise.resolve()
  return {
    request: ((_name: string, options: LockOptions, callback: () => Promise<void>) => {
      const mine = tail.then(() => {
        if (options.signal?.aborted) throw new DOMException('aborted', 'AbortError')
        return callback()
      })
      tail = mine.catch(() => {})
      return mine
    }) as LockManager['request'],
  }
}

/** A promise settled from outside (a send held open while the test acts). */
export function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (reason: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

const runners: SubmitQueue[] = []

/** A runner with a fast pace, no lock and a lookup that finds nothing, unless told otherwise. */
export const start = (deps: Partial<SubmitQueueDeps>) => {
  const runner = startSubmitQueue({
    limit: () => 100,
    windowMs: 60_000,
    locks: undefined,
    lookup: () => Promise.resolve(undefined),
    ...deps,
  })
  runners.push(runner)
  return runner
}

export const stopRunners = async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()))
}
