import { randomUUID } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { TaskResultWire } from '../../src/api/schemas.ts'
import type { EngineConfig } from '../config.ts'
import type { Logger } from '../logger.ts'
import type { RenderRequest, RenderResult } from './render.ts'
import type { Job } from './validate.ts'

/*
 * The task queue: records on disk (dataDir/tasks/<id>/task.json, videos beside them), a bounded worker pool,
 * pacing so a demo feels like a real queue, and a TTL sweep. Renders run in ffmpeg child processes (render.ts);
 * nothing here blocks the event loop.
 */

export type Status = 'TASK_STATUS_QUEUED' | 'TASK_STATUS_PROCESSING' | 'TASK_STATUS_SUCCEED' | 'TASK_STATUS_FAILED'

export const ENGINE_NAME = 'local-preview'
export const ENGINE_NOTE = 'Local preview: motion from your frames, not AI.'
export const FAIL_MARKER = '[engine:fail]'
export const EMPTY_MARKER = '[engine:empty]'
export const FAIL_REASON = 'Local engine: failure requested by [engine:fail] in the prompt.'
export const RESTART_REASON = 'The gateway restarted while this task was rendering; retry it.'
export const RESTART_QUEUED_REASON = 'The gateway restarted before this task started rendering; retry it.'

export interface TaskRecord {
  version: 1
  id: string
  status: Status
  reason: string
  job: Job
  submittedAt: number
  startedAt?: number
  finishedAt?: number
  /** Epoch ms after which the videos (and the record) are gone. Set when the task ends. */
  expiresAt?: number
  /** File names inside the task's folder, one per sample. */
  videos: string[]
  /** The renderer's one-line description of each sample's motion. */
  motion: string[]
}

interface Live {
  fraction: number
  renderStartedAt: number
  percent: number
  controller: AbortController
}

export type RenderFn = (req: RenderRequest) => Promise<RenderResult>

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

export const isTaskId = (v: string) => ID.test(v)

export class TaskStore {
  private readonly tasks = new Map<string, TaskRecord>()
  private readonly live = new Map<string, Live>()
  private readonly queue: string[] = []
  private readonly running = new Map<string, Promise<void>>()
  private readonly writes = new Map<string, Promise<void>>()
  /** Ids swept after their TTL, so a late poll still hears "expired" rather than "never existed". */
  private readonly swept = new Set<string>()
  private pumpTimer: NodeJS.Timeout | undefined
  private sweepTimer: NodeJS.Timeout | undefined
  private closing = false
  /** Milliseconds of render per "unit" (megapixel × output second), learned from finished renders. */
  private msPerUnit = 600
  readonly ready: Promise<void>
  readonly root: string

  constructor(
    private readonly config: EngineConfig,
    private readonly logger: Logger,
    private readonly render: RenderFn,
  ) {
    this.root = join(config.dataDir, 'tasks')
    this.ready = this.load()
    // Requests await `ready` and see the error; this keeps an unreadable data folder from crashing the process.
    this.ready.catch((err: unknown) =>
      logger.error('engine.tasks.load_failed', { dataDir: config.dataDir, detail: (err as Error).message }),
    )
    const every = Math.min(60_000, Math.max(1000, (config.ttlSeconds * 1000) / 4))
    this.sweepTimer = setInterval(() => void this.sweep(), every)
    this.sweepTimer.unref()
  }

  /** A fresh id and its (empty) folder; the id is only handed out once `add` accepts the task. */
  async reserve(): Promise<{ id: string; dir: string }> {
    const id = randomUUID()
    const dir = this.dirOf(id)
    await mkdir(dir, { recursive: true })
    return { id, dir }
  }

  async discard(id: string): Promise<void> {
    await rm(this.dirOf(id), { recursive: true, force: true })
  }

  dirOf(id: string): string {
    return join(this.root, id)
  }

  async add(id: string, job: Job): Promise<TaskRecord> {
    const record: TaskRecord = {
      version: 1,
      id,
      status: 'TASK_STATUS_QUEUED',
      reason: '',
      job,
      submittedAt: Date.now(),
      videos: [],
      motion: [],
    }
    this.tasks.set(id, record)
    await this.persist(record)
    // Pacing counts from the moment the id is handed out.
    record.submittedAt = Date.now()
    this.queue.push(id)
    this.logger.info('engine.task.queued', {
      task_id: id,
      model: job.model,
      samples: job.sampleCount,
      size: `${job.width}x${job.height}`,
      seconds: job.durationSeconds,
    })
    this.pump()
    return record
  }

  /** The record while it is alive; an expired task is gone even before the sweep removes its files. */
  get(id: string): TaskRecord | undefined {
    const record = this.tasks.get(id)
    if (!record) return undefined
    if (record.expiresAt !== undefined && Date.now() >= record.expiresAt) return undefined
    return record
  }

  /** Whether a task id was known but its TTL has passed (for a clearer 404). */
  expired(id: string): boolean {
    if (this.swept.has(id)) return true
    const record = this.tasks.get(id)
    return record?.expiresAt !== undefined && Date.now() >= record.expiresAt
  }

  /** The contract's task-result JSON; `videoUrl(n)` builds the absolute URL of sample n. */
  result(record: TaskRecord, videoUrl: (n: number, expiresUnix: number) => string): TaskResultWire {
    const now = Date.now()
    const live = this.live.get(record.id)
    let percent = 0
    let eta: number | undefined
    switch (record.status) {
      case 'TASK_STATUS_QUEUED': {
        const position = this.queue.indexOf(record.id)
        const ahead = Math.max(0, position) + this.running.size
        const waitPace = Math.max(0, record.submittedAt + this.config.paceMs - now)
        const own = this.estimateMs(record.job)
        eta = Math.ceil((waitPace + (ahead / this.config.workers) * own + own) / 1000)
        break
      }
      case 'TASK_STATUS_PROCESSING': {
        percent = live?.percent ?? 0
        const f = live?.fraction ?? 0
        const elapsed = live ? now - live.renderStartedAt : 0
        // Past renders give the first guess; as progress comes in, the rate so far takes over.
        const prior = Math.max(1000, this.estimateMs(record.job) - elapsed)
        const byRate = f > 0 ? (elapsed * (1 - f)) / f : prior
        const trust = Math.min(1, f / 0.25)
        const renderLeft = trust * byRate + (1 - trust) * prior
        const paceLeft = Math.max(0, (record.startedAt ?? now) + this.config.paceMs - now)
        eta = Math.ceil(Math.max(renderLeft, paceLeft) / 1000)
        break
      }
      case 'TASK_STATUS_SUCCEED':
        percent = 100
        eta = 0
        break
      case 'TASK_STATUS_FAILED':
        percent = live?.percent ?? 0
        eta = 0
        break
    }
    const job = record.job
    const expiresUnix = Math.ceil((record.expiresAt ?? now) / 1000)
    const ttl = Math.max(0, Math.floor(((record.expiresAt ?? now) - now) / 1000))
    const videos =
      record.status === 'TASK_STATUS_SUCCEED'
        ? record.videos.map((_, n) => ({ video_url: videoUrl(n, expiresUnix), video_url_ttl: ttl, video_type: 'mp4' }))
        : []
    const debug: Record<string, string> = { submit_time_ms: String(record.submittedAt) }
    if (record.startedAt !== undefined) debug.execute_time_ms = String(record.startedAt)
    if (record.finishedAt !== undefined) debug.complete_time_ms = String(record.finishedAt)
    return {
      task: {
        task_id: record.id,
        status: record.status,
        reason: record.reason,
        task_type: job.model,
        eta,
        progress_percent: percent,
      },
      videos,
      extra: {
        seed: String(job.seed),
        engine: ENGINE_NAME,
        note: ENGINE_NOTE,
        ...(job.negativePrompt !== undefined ? { negative_prompt: job.negativePrompt } : {}),
        ...(job.personGeneration !== undefined ? { person_generation: job.personGeneration } : {}),
        motion: record.motion,
        debug_info: debug,
      },
    }
  }

  /** Stops the timers and aborts running renders; their records stay PROCESSING on disk, so a restart fails them. */
  async close(): Promise<void> {
    this.closing = true
    clearTimeout(this.pumpTimer)
    clearInterval(this.sweepTimer)
    await this.ready.catch(() => {})
    for (const live of this.live.values()) live.controller.abort(new Error('The gateway is shutting down.'))
    await Promise.allSettled(this.running.values())
    await Promise.allSettled(this.writes.values())
  }

  private estimateMs(job: Job): number {
    const units = ((job.width * job.height) / 1e6) * job.durationSeconds * job.sampleCount
    return this.msPerUnit * units
  }

  private pump(): void {
    clearTimeout(this.pumpTimer)
    this.pumpTimer = undefined
    while (!this.closing && this.running.size < this.config.workers && this.queue.length > 0) {
      const id = this.queue[0] as string
      const record = this.tasks.get(id)
      if (!record || record.status !== 'TASK_STATUS_QUEUED') {
        this.queue.shift()
        continue
      }
      // Pacing: a task stays queued at least paceMs, even with a worker free.
      const wait = record.submittedAt + this.config.paceMs - Date.now()
      if (wait > 0) {
        this.pumpTimer = setTimeout(() => this.pump(), wait)
        return
      }
      this.queue.shift()
      const run = this.run(record).finally(() => {
        this.running.delete(id)
        this.pump()
      })
      this.running.set(id, run)
    }
  }

  private async run(record: TaskRecord): Promise<void> {
    const job = record.job
    const controller = new AbortController()
    const signal = controller.signal
    record.status = 'TASK_STATUS_PROCESSING'
    record.startedAt = Date.now()
    const live: Live = { fraction: 0, renderStartedAt: record.startedAt, percent: 0, controller }
    this.live.set(record.id, live)
    void this.persist(record)
    const dir = this.dirOf(record.id)
    let sample = 0
    try {
      if (job.prompt.includes(FAIL_MARKER)) {
        await sleep(this.config.paceMs, undefined, { signal })
        return await this.finish(record, 'TASK_STATUS_FAILED', FAIL_REASON)
      }
      if (!job.prompt.includes(EMPTY_MARKER)) {
        const first = job.frames.first?.file
        if (!first) throw new Error('the task has no first frame')
        for (sample = 0; sample < job.sampleCount; sample++) {
          const name = `${sample}.mp4`
          const base = sample
          const result = await this.render({
            first,
            last: job.frames.last?.file,
            width: job.width,
            height: job.height,
            durationSeconds: job.durationSeconds,
            seed: job.seed,
            sampleIndex: sample,
            prompt: job.prompt,
            audio: job.audio,
            outFile: join(dir, name),
            signal,
            onProgress: (fraction) => {
              if (!Number.isFinite(fraction)) return
              live.fraction = Math.min(1, Math.max(live.fraction, (base + Math.min(1, Math.max(0, fraction))) / job.sampleCount))
              // Never 100 while processing: 100 means the videos are ready.
              live.percent = Math.max(live.percent, Math.min(99, Math.floor(live.fraction * 100)))
            },
          })
          record.videos.push(name)
          record.motion.push(result.motion.summary)
        }
        const took = Date.now() - live.renderStartedAt
        const units = ((job.width * job.height) / 1e6) * job.durationSeconds * job.sampleCount
        if (units > 0) this.msPerUnit = 0.5 * this.msPerUnit + 0.5 * (took / units)
      }
      live.fraction = 1
      live.percent = 99
      // Pacing: at least paceMs in PROCESSING.
      const left = record.startedAt + this.config.paceMs - Date.now()
      if (left > 0) await sleep(left, undefined, { signal })
      await this.finish(record, 'TASK_STATUS_SUCCEED', '')
    } catch (err) {
      if (this.closing) return // left PROCESSING on disk on purpose: the next start reports the restart.
      const detail = (err as Error)?.message ?? String(err)
      this.logger.error('engine.task.render_failed', { task_id: record.id, sample, detail: detail.slice(0, 2000) })
      const which = job.sampleCount > 1 ? `sample ${sample + 1} of ${job.sampleCount}` : 'the video'
      await this.finish(
        record,
        'TASK_STATUS_FAILED',
        `Local engine: rendering ${which} failed; try again, and if it keeps failing see the gateway log.`,
      )
    } finally {
      if (!this.closing) {
        // The frames were only needed for rendering; the videos stay until the TTL.
        for (const slot of Object.values(job.frames)) if (slot) await rm(slot.file, { force: true }).catch(() => {})
      }
    }
  }

  private async finish(record: TaskRecord, status: 'TASK_STATUS_SUCCEED' | 'TASK_STATUS_FAILED', reason: string): Promise<void> {
    record.status = status
    record.reason = reason
    record.finishedAt = Date.now()
    record.expiresAt = record.finishedAt + this.config.ttlSeconds * 1000
    if (status === 'TASK_STATUS_FAILED') {
      // Finished samples and any half-written one: a failed task has no videos.
      const dir = this.dirOf(record.id)
      const names = await readdir(dir).catch(() => [] as string[])
      for (const name of names) if (name.endsWith('.mp4')) await rm(join(dir, name), { force: true }).catch(() => {})
      record.videos = []
    }
    this.logger.info('engine.task.done', {
      task_id: record.id,
      status,
      videos: record.videos.length,
      ms: record.finishedAt - (record.startedAt ?? record.submittedAt),
    })
    await this.persist(record)
  }

  /** Writes the record atomically; writes for one task run in order. */
  private persist(record: TaskRecord): Promise<void> {
    const snapshot = JSON.stringify(record, null, 2)
    const file = join(this.dirOf(record.id), 'task.json')
    const previous = this.writes.get(record.id) ?? Promise.resolve()
    const next = previous
      .then(async () => {
        const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
        await writeFile(tmp, snapshot)
        await rename(tmp, file)
      })
      .catch((err: unknown) => this.logger.error('engine.task.persist_failed', { task_id: record.id, detail: (err as Error).message }))
    this.writes.set(record.id, next)
    void next.finally(() => {
      if (this.writes.get(record.id) === next) this.writes.delete(record.id)
    })
    return next
  }

  /** Reads the records a previous run left: finished ones come back, unfinished ones fail, expired ones go. */
  private async load(): Promise<void> {
    await mkdir(this.root, { recursive: true })
    const now = Date.now()
    for (const name of await readdir(this.root)) {
      if (!isTaskId(name)) continue
      let record: TaskRecord
      try {
        record = JSON.parse(await readFile(join(this.root, name, 'task.json'), 'utf8')) as TaskRecord
        if (record.version !== 1 || record.id !== name) throw new Error('not a task record')
      } catch {
        // A folder without a readable record is a submit that never finished validating, or damage: remove it.
        await rm(join(this.root, name), { recursive: true, force: true })
        continue
      }
      if (record.status === 'TASK_STATUS_QUEUED' || record.status === 'TASK_STATUS_PROCESSING') {
        const reason = record.status === 'TASK_STATUS_QUEUED' ? RESTART_QUEUED_REASON : RESTART_REASON
        this.tasks.set(record.id, record)
        await this.finish(record, 'TASK_STATUS_FAILED', reason)
        for (const slot of Object.values(record.job.frames)) if (slot) await rm(slot.file, { force: true }).catch(() => {})
        continue
      }
      if (record.expiresAt === undefined || record.expiresAt <= now) {
        await rm(join(this.root, name), { recursive: true, force: true })
        continue
      }
      this.tasks.set(record.id, record)
    }
    if (this.tasks.size > 0) this.logger.info('engine.tasks.loaded', { tasks: this.tasks.size })
  }

  /** Removes finished tasks whose TTL has passed, with their files. */
  private rememberSwept(id: string): void {
    this.swept.add(id)
    // Bounded: the oldest ids are forgotten first (a Set iterates in insertion order).
    if (this.swept.size > 10_000) this.swept.delete(this.swept.values().next().value as string)
  }

  private async sweep(): Promise<void> {
    const now = Date.now()
    for (const record of this.tasks.values()) {
      if (record.expiresAt === undefined || record.expiresAt > now) continue
      this.tasks.delete(record.id)
      this.live.delete(record.id)
      this.rememberSwept(record.id)
      await rm(this.dirOf(record.id), { recursive: true, force: true }).catch(() => {})
    }
  }
}
