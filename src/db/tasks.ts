import { useLiveQuery } from 'dexie-react-hooks'
import type { ProviderId } from '../api/gateway-urls'
import type { TaskResult } from '../api/schemas'
import { db, type CellRef, type QueueItem, type SampleRecord, type StoredRequest, type TaskRecord } from './db'
import { recordPrompt } from './prompts'
import { isQuotaError, noteHeldTasks } from './storage'

/** Final results the quota refused, by task record id: written again with the held task ids (see writeHeldTasks). */
const heldResults = new Map<string, { result: TaskResult; at: number }>()
const noteHeld = (ids: number) => noteHeldTasks(ids + heldResults.size)

export const taskRecordId = (provider: ProviderId, taskId: string) => `${provider}:${taskId}`

type TaskOptions = {
  retryOf?: string | undefined
  sentAt?: number | undefined
  experimentId?: string | undefined
  cell?: CellRef | undefined
}

function newTaskRecord(
  provider: ProviderId,
  taskId: string,
  request: StoredRequest,
  { sentAt, experimentId, cell }: TaskOptions,
  now: number,
): TaskRecord {
  return {
    id: taskRecordId(provider, taskId),
    provider,
    taskId,
    request,
    createdAt: now,
    status: 'TASK_STATUS_QUEUED',
    reason: '',
    sentAt: sentAt ?? now,
    ...(experimentId ? { experimentId, cell } : {}),
  }
}

/**
 * Written the moment the provider gives a task id, so a reload right after Generate loses nothing. A retry also
 * marks the task it retries, in the same transaction, so no card offers Retry for a task already sent again; the
 * prompt joins the history in it too.
 */
export async function addTask(
  provider: ProviderId,
  taskId: string,
  request: StoredRequest,
  options: TaskOptions = {},
): Promise<TaskRecord> {
  const now = Date.now()
  const record = newTaskRecord(provider, taskId, request, options, now)
  await db.transaction('rw', db.tasks, db.prompts, async () => {
    await db.tasks.put(record)
    if (options.retryOf) await db.tasks.update(options.retryOf, { retriedAs: record.id })
    // Every prompt that was sent is kept, for the Prompt field's history.
    if (typeof request.params.prompt === 'string') await recordPrompt(request.params.prompt, now)
  })
  return record
}

/*
 * A task id the provider gave must never be lost, also when IndexedDB is full: the sent queue item and its task id
 * are then held in localStorage (a store apart from IndexedDB's quota), read back at start and written as soon as
 * there is space. Held in memory too, for a browser that refuses localStorage as well.
 */
const HELD_KEY = 'veo-studio.held-tasks'
interface HeldTask {
  item: QueueItem
  taskId: string
}
let heldInMemory: HeldTask[] = []

function readHeld(): HeldTask[] {
  try {
    const held = JSON.parse(globalThis.localStorage?.getItem(HELD_KEY) ?? '[]') as HeldTask[]
    const ids = new Set(held.map((h) => h.item.id))
    return [...held, ...heldInMemory.filter((h) => !ids.has(h.item.id))]
  } catch {
    return heldInMemory
  }
}

function writeHeld(held: HeldTask[]): void {
  heldInMemory = held
  noteHeld(held.length)
  try {
    if (held.length) globalThis.localStorage?.setItem(HELD_KEY, JSON.stringify(held))
    else globalThis.localStorage?.removeItem(HELD_KEY)
  } catch {
    // localStorage refused too: the copy in memory lasts this session, and each retry tries again.
  }
}

/** Task ids held outside IndexedDB, waiting for space. */
export const heldTaskCount = () => readHeld().length

/**
 * A sent queue item becomes its task (the runner's completeQueueItem does the write). When the quota refuses it, the
 * task id is held aside (see above), the queue item leaves so it is never sent again, and the record is returned as
 * if written: the provider has the work, and the task appears once there is space.
 */
export async function holdIfFull(item: QueueItem, taskId: string, write: () => Promise<TaskRecord>): Promise<TaskRecord> {
  try {
    return await write()
  } catch (e) {
    if (!isQuotaError(e)) throw e
    writeHeld([...readHeld().filter((h) => h.item.id !== item.id), { item, taskId }])
    // A delete frees space rather than taking it; should it fail all the same, the item's next turn looks the send up
    // and finds the same task (its id is the Idempotency-Key).
    await db.queue.delete(item.id).catch(() => {})
    return newTaskRecord(item.provider, taskId, item.request, item, Date.now())
  }
}

/** Writes the held task ids, each with its queue item's leaving, in one transaction; returns how many are still held. */
export async function writeHeldTasks(): Promise<number> {
  // A snapshot: one refused again is held again, for the next try, not for this loop.
  for (const [recordId, { result, at }] of Array.from(heldResults)) {
    heldResults.delete(recordId)
    await recordFinalResult(recordId, result, at)
  }
  const held = readHeld()
  noteHeld(held.length)
  if (!held.length) return heldResults.size
  const left: HeldTask[] = []
  for (const h of held) {
    try {
      await db.transaction('rw', db.tasks, db.prompts, db.queue, async () => {
        const id = taskRecordId(h.item.provider, h.taskId)
        if (!(await db.tasks.get(id))) await addTask(h.item.provider, h.taskId, h.item.request, h.item)
        await db.queue.delete(h.item.id)
      })
    } catch {
      left.push(h)
    }
  }
  // One held meanwhile (another send while these were written) is kept too.
  const leftIds = new Set(left.map((h) => h.item.id))
  const tried = new Set(held.map((h) => h.item.id))
  const still = readHeld().filter((h) => leftIds.has(h.item.id) || !tried.has(h.item.id))
  writeHeld(still)
  return still.length + heldResults.size
}

/** When a result's video link stops working: the provider gives its life in seconds from the answer. */
export const linkExpiresAt = (video: Pick<TaskResult['videos'][number], 'video_url_ttl'>, now: number) => now + video.video_url_ttl * 1000

/**
 * Records a final result once: the task's outcome and one sample per video, each with the time its URL
 * expires. Returns the samples whose videos still need copying into storage.
 */
export async function recordFinalResult(recordId: string, result: TaskResult, now = Date.now()): Promise<SampleRecord[]> {
  try {
    return await writeFinalResult(recordId, result, now)
  } catch (e) {
    if (!isQuotaError(e)) throw e
    // Storage full: the result waits in memory and is written with the held task ids once there is space (a reload
    // meanwhile polls the task again, which is still unfinished here). The copies follow (keepPendingVideos).
    heldResults.set(recordId, { result, at: now })
    noteHeld(readHeld().length)
    return []
  }
}

function writeFinalResult(recordId: string, result: TaskResult, now: number): Promise<SampleRecord[]> {
  return db.transaction('rw', db.tasks, db.samples, db.experiments, async () => {
    const task = await db.tasks.get(recordId)
    if (!task || task.finishedAt) return []
    // A task of an experiment deleted while it ran: its videos are deleted with it (Undo brings them back too).
    const deletedAt = task.experimentId ? (await db.experiments.get(task.experimentId))?.deletedAt : undefined
    const samples: SampleRecord[] =
      result.task.status === 'TASK_STATUS_SUCCEED'
        ? result.videos.map((video, index) => ({
            id: `${recordId}#${index}`,
            taskRecordId: recordId,
            provider: task.provider,
            index,
            request: task.request,
            seed: result.extra.seed ?? (task.request.params.seed === undefined ? undefined : String(task.request.params.seed)),
            createdAt: now,
            videoUrl: video.video_url,
            urlExpiresAt: linkExpiresAt(video, now),
            stored: false,
            favourite: 0 as const,
            ...(deletedAt === undefined ? {} : { deletedAt }),
          }))
        : []
    await db.tasks.update(recordId, {
      status: result.task.status,
      reason: result.task.reason,
      finishedAt: now,
      seed: result.extra.seed,
      videoCount: samples.length,
    })
    await db.samples.bulkPut(samples)
    return samples
  })
}

/** A task the studio cannot follow any more (e.g. the provider forgot it): final, with the reason. */
export async function markTaskLost(recordId: string, reason: string): Promise<void> {
  await db.tasks.update(recordId, {
    status: 'TASK_STATUS_FAILED',
    reason,
    finishedAt: Date.now(),
    videoCount: 0,
    lost: true,
    stalled: undefined,
  })
}

/** Hides a task from the task strip; its samples stay in the gallery. */
export async function dismissTask(recordId: string): Promise<void> {
  await db.tasks.update(recordId, { dismissed: true })
}

/**
 * "Clear finished": hides every finished task from the strip in one transaction; running tasks stay. Returns how
 * many it hid.
 */
export async function dismissFinishedTasks(): Promise<number> {
  return db.transaction('rw', db.tasks, () => db.tasks.filter((t) => Boolean(t.finishedAt) && !t.dismissed).modify({ dismissed: true }))
}

/** Tasks not final yet: the ones that still need a poller. */
const runningTasks = () => db.tasks.filter((t) => !t.finishedAt)

/** The unfinished tasks, live; undefined until the first read. */
export function useRunningTasks(): TaskRecord[] | undefined {
  return useLiveQuery(() => runningTasks().toArray(), [])
}

/** The task strip: newest first, dismissed tasks left out; undefined until the first read. */
export function useVisibleTasks(): TaskRecord[] | undefined {
  return useLiveQuery(
    () =>
      db.tasks
        .orderBy('createdAt')
        .reverse()
        .filter((t) => !t.dismissed)
        .toArray(),
    [],
  )
}

/** A task's samples: their ids are `${task record id}#${index}`, so the primary key finds them without an index. */
/**
 * How many of each task's videos are still in the gallery, live, by task record id (a task with none left is
 * absent): a deleted one stops counting at once, even while its Undo is offered. One read for the whole task strip.
 * Undefined until the first read.
 */
export function useRemainingSampleCounts(): ReadonlyMap<string, number> | undefined {
  return useLiveQuery(async () => {
    const counts = new Map<string, number>()
    await db.samples
      .filter((s) => s.deletedAt === undefined)
      .each((s) => void counts.set(s.taskRecordId, (counts.get(s.taskRecordId) ?? 0) + 1))
    return counts
  }, [])
}
