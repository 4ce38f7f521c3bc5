import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { TaskResultWire } from '../../src/api/schemas.ts'
import type { EngineConfig } from '../config.ts'
import type { Logger } from '../logger.ts'
import { isExpired, type EngineTask, type FinalStatus } from './engine-task.ts'
import type { RenderRequest, RenderResult } from './render.ts'
import { TaskDisk } from './task-disk.ts'
import { TaskEta, type RenderProgress } from './task-eta.ts'
import { TaskQueue } from './task-queue.ts'
import { restoreTasks, type DrainReport } from './task-restore.ts'
import { toTaskResult } from './task-result.ts'
import { TaskSweep } from './task-sweep.ts'
import type { Job } from './validate.ts'

/*
 * The local engine's tasks, from submit to expiry: it hands out ids, queues tasks (task-queue.ts), renders their
 * samples one after another (render.ts, in ffmpeg child processes, so nothing here blocks the event loop), finishes
 * them, keeps them on disk (task-disk.ts), answers for them in the contract's shape (task-result.ts, task-eta.ts) and
 * lets them go after the TTL (task-sweep.ts). After a restart it brings back what the previous run left
 * (task-restore.ts): finished tasks as they were, queued and interrupted ones back in the queue.
 */

/** Prompt markers that show the studio's failure and empty states on purpose. */
export const FAIL_MARKER = '[engine:fail]'
export const EMPTY_MARKER = '[engine:empty]'
export const FAIL_REASON = 'Local engine: failure requested by [engine:fail] in the prompt.'

export type RenderFn = (req: RenderRequest) => Promise<RenderResult>

/** A task's render while it runs (and its last progress after): how far it got, and the switch that stops it. */
interface Rendering extends RenderProgress {
  percent: number
  controller: AbortController
}

export class TaskStore {
  private readonly tasks = new Map<string, EngineTask>()
  private readonly renderings = new Map<string, Rendering>()
  private readonly disk: TaskDisk
  private readonly queue: TaskQueue
  private readonly sweep: TaskSweep
  private readonly eta: TaskEta
  private closing = false
  readonly ready: Promise<void>

  constructor(
    private readonly config: EngineConfig,
    private readonly logger: Logger,
    private readonly render: RenderFn,
  ) {
    this.disk = new TaskDisk(config.dataDir, logger)
    const queued = (id: string) => {
      const task = this.tasks.get(id)
      return task?.status === 'TASK_STATUS_QUEUED' ? task : undefined
    }
    this.queue = new TaskQueue(config.workers, config.paceMs, queued, (task) => this.run(task))
    this.eta = new TaskEta(
      config,
      this.queue,
      (id) => this.tasks.get(id),
      (id) => this.renderings.get(id),
    )
    this.ready = this.load()
    // Requests await `ready` and see the error; this keeps an unreadable data folder from crashing the process.
    this.ready.catch((err: unknown) =>
      logger.error('engine.tasks.load_failed', { dataDir: config.dataDir, detail: (err as Error).message }),
    )
    this.sweep = new TaskSweep(
      config.ttlSeconds,
      () => this.tasks.values(),
      (id) => this.forget(id),
    )
  }

  /** A fresh id and its (empty) folder; the id is only handed out once `add` accepts the task. */
  reserve(): Promise<{ id: string; dir: string }> {
    return this.disk.reserve()
  }

  discard(id: string): Promise<void> {
    return this.disk.remove(id)
  }

  dirOf(id: string): string {
    return this.disk.dirOf(id)
  }

  async add(id: string, job: Job): Promise<EngineTask> {
    const task: EngineTask = {
      version: 1,
      id,
      status: 'TASK_STATUS_QUEUED',
      reason: '',
      job,
      submittedAt: Date.now(),
      videos: [],
      motion: [],
    }
    this.tasks.set(id, task)
    await this.disk.write(task)
    // Pacing counts from the moment the id is handed out.
    task.submittedAt = Date.now()
    this.logger.info('engine.task.queued', {
      task_id: id,
      model: job.model,
      samples: job.sampleCount,
      size: `${job.width}x${job.height}`,
      seconds: job.durationSeconds,
    })
    this.queue.push(id)
    return task
  }

  /** The task while it is alive; an expired task is gone even before the sweep removes its files. */
  get(id: string): EngineTask | undefined {
    const task = this.tasks.get(id)
    return task && !isExpired(task) ? task : undefined
  }

  /** Whether a task id was known but its TTL has passed (for a clearer 404). */
  expired(id: string): boolean {
    if (this.sweep.wasSwept(id)) return true
    const task = this.tasks.get(id)
    return task !== undefined && isExpired(task)
  }

  /** The contract's task-result JSON; `videoUrl(n)` builds the absolute URL of sample n. */
  result(task: EngineTask, videoUrl: (n: number, expiresUnix: number) => string): TaskResultWire {
    const now = Date.now()
    const eta = this.eta.seconds(task, now)
    return toTaskResult(task, { renderedPercent: this.renderings.get(task.id)?.percent, eta }, videoUrl, now)
  }

  /**
   * A graceful stop: starts nothing new, gives the renders in flight `graceMs` to end, then closes (which cuts the
   * rest short). Queued tasks stay queued on disk, cut ones stay PROCESSING: the next start runs both again.
   */
  async drain(graceMs: number): Promise<DrainReport> {
    this.queue.stop()
    await this.ready.catch(() => {})
    const running = this.queue.runningIds()
    const queued = [...this.tasks.values()].filter((t) => t.status === 'TASK_STATUS_QUEUED').map((t) => t.id)
    this.logger.info('engine.drain', { rendering: running, queued, graceMs })
    let timer: NodeJS.Timeout | undefined
    await Promise.race([this.queue.idle(), new Promise<void>((r) => (timer = setTimeout(r, graceMs)))])
    clearTimeout(timer)
    const ended = (id: string) => {
      const status = this.tasks.get(id)?.status
      return status === 'TASK_STATUS_SUCCEED' || status === 'TASK_STATUS_FAILED'
    }
    const report = { finished: running.filter(ended), interrupted: running.filter((id) => !ended(id)), queued }
    for (const id of report.interrupted)
      this.logger.warn('engine.task.interrupted', { task_id: id, next: 'rendered again after the restart' })
    for (const id of report.queued) this.logger.info('engine.task.kept_queued', { task_id: id, next: 'runs after the restart' })
    await this.close()
    return report
  }

  /** Stops the timers and aborts running renders; their tasks stay PROCESSING on disk, so a restart renders them again. */
  async close(): Promise<void> {
    this.closing = true
    this.queue.stop()
    this.sweep.stop()
    await this.ready.catch(() => {})
    for (const rendering of this.renderings.values()) rendering.controller.abort(new Error('The gateway is shutting down.'))
    await this.queue.idle()
    await this.disk.flush()
  }

  private async run(task: EngineTask): Promise<void> {
    const job = task.job
    const controller = new AbortController()
    const signal = controller.signal
    const startedAt = Date.now()
    task.status = 'TASK_STATUS_PROCESSING'
    task.startedAt = startedAt
    const rendering: Rendering = { fraction: 0, startedAt, percent: 0, controller }
    this.renderings.set(task.id, rendering)
    void this.disk.write(task)
    let sample = 0
    try {
      if (job.prompt.includes(FAIL_MARKER)) {
        await sleep(this.config.paceMs, undefined, { signal })
        return await this.finish(task, 'TASK_STATUS_FAILED', FAIL_REASON)
      }
      if (!job.prompt.includes(EMPTY_MARKER)) {
        const first = job.frames.first?.file
        if (!first) throw new Error('the task has no first frame')
        for (sample = 0; sample < job.sampleCount; sample++) {
          const name = `${sample}.mp4`
          const done = sample
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
            outFile: join(this.disk.dirOf(task.id), name),
            signal,
            onProgress: (fraction) => {
              if (!Number.isFinite(fraction)) return
              const overall = (done + Math.min(1, Math.max(0, fraction))) / job.sampleCount
              rendering.fraction = Math.min(1, Math.max(rendering.fraction, overall))
              // Never 100 while processing: 100 means the videos are ready.
              rendering.percent = Math.max(rendering.percent, Math.min(99, Math.floor(rendering.fraction * 100)))
            },
          })
          task.videos.push(name)
          task.motion.push(result.motion.summary)
        }
        this.eta.learn(job, Date.now() - startedAt)
      }
      rendering.fraction = 1
      rendering.percent = 99
      const paceLeft = this.queue.paceLeftMs(startedAt)
      if (paceLeft > 0) await sleep(paceLeft, undefined, { signal })
      await this.finish(task, 'TASK_STATUS_SUCCEED', '')
    } catch (err) {
      if (this.closing) return // left PROCESSING on disk on purpose: the next start reports the restart.
      const detail = (err as Error)?.message ?? String(err)
      this.logger.error('engine.task.render_failed', { task_id: task.id, sample, detail: detail.slice(0, 2000) })
      const which = job.sampleCount > 1 ? `sample ${sample + 1} of ${job.sampleCount}` : 'the video'
      await this.finish(
        task,
        'TASK_STATUS_FAILED',
        `Local engine: rendering ${which} failed; try again, and if it keeps failing see the gateway log.`,
      )
    } finally {
      // When closing, the frames stay: the task is failed at the next start, which removes them then.
      if (!this.closing) await this.disk.removeFrames(job)
    }
  }

  private async finish(task: EngineTask, status: FinalStatus, reason: string): Promise<void> {
    task.status = status
    task.reason = reason
    task.finishedAt = Date.now()
    task.expiresAt = task.finishedAt + this.config.ttlSeconds * 1000
    if (status === 'TASK_STATUS_FAILED') {
      // Finished samples and any half-written one: a failed task has no videos.
      await this.disk.removeVideos(task.id)
      task.videos = []
    }
    this.logger.info('engine.task.done', {
      task_id: task.id,
      status,
      videos: task.videos.length,
      ms: task.finishedAt - (task.startedAt ?? task.submittedAt),
    })
    await this.disk.write(task)
  }

  /** Brings back what a previous run left: finished tasks return, unfinished ones queue again, expired ones go. */
  private async load(): Promise<void> {
    const { alive, requeued, failed } = await restoreTasks(this.disk, this.logger)
    for (const task of alive) this.tasks.set(task.id, task)
    for (const { task, reason } of failed) {
      await this.finish(task, 'TASK_STATUS_FAILED', reason)
      await this.disk.removeFrames(task.job)
    }
    for (const task of requeued) this.queue.push(task.id)
    if (this.tasks.size > 0) this.logger.info('engine.tasks.loaded', { tasks: this.tasks.size, requeued: requeued.length })
  }

  /** Drops a task whose TTL has passed, with its files. */
  private async forget(id: string): Promise<void> {
    this.tasks.delete(id)
    this.renderings.delete(id)
    await this.disk.remove(id).catch(() => {})
  }
}
