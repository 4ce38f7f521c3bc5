import type { EngineConfig } from '../config.ts'
import type { EngineTask } from './engine-task.ts'
import { etaSeconds, FIRST_GUESS_MS_PER_UNIT, learnRate, renderCost, renderingLeftMs, turnMs, type EtaInput } from './eta.ts'
import type { TaskQueue } from './task-queue.ts'
import type { Job } from './validate.ts'

/*
 * The ETA of the store's tasks. eta.ts holds the rule, pure; this gathers what the rule needs about one task from the
 * queue (the line ahead of it, the pacing still owed) and from the renders in flight, and keeps the render rate it
 * learns from each finished render.
 */

/** A job's render cost, in the units the learned rate is kept in. */
const costOf = (job: Job) => renderCost({ ...job, twoFrames: job.frames.last !== undefined })

/** What the ETA needs of a render in flight: when it started and how far it got (0–1). */
export interface RenderProgress {
  fraction: number
  startedAt: number
}

export class TaskEta {
  /** Milliseconds of render per unit of renderCost, learned from finished renders. */
  private msPerUnit = FIRST_GUESS_MS_PER_UNIT

  constructor(
    private readonly config: Pick<EngineConfig, 'workers' | 'paceMs'>,
    private readonly queue: TaskQueue,
    /** Any task the store holds, by id. */
    private readonly taskOf: (id: string) => EngineTask | undefined,
    /** The task's render while it runs (and its last progress after). */
    private readonly progressOf: (id: string) => RenderProgress | undefined,
  ) {}

  /** Seconds until the task ends, as of `now`; 0 once it has. */
  seconds(task: EngineTask, now: number): number {
    return etaSeconds(this.input(task, now))
  }

  /** A render of `job` took `tookMs`: the learned rate moves halfway toward it. */
  learn(job: Job, tookMs: number): void {
    this.msPerUnit = learnRate(this.msPerUnit, tookMs, costOf(job))
  }

  /** The render guess for a task: the learned rate times its cost. */
  private estimateMs(task: EngineTask): number {
    return this.msPerUnit * costOf(task.job)
  }

  private input(task: EngineTask, now: number): EtaInput {
    switch (task.status) {
      case 'TASK_STATUS_QUEUED': {
        // The whole line ahead counts: what the renders under way still need, then each waiting task in order.
        const line = this.queue.line(task.id)
        const runningLeftMs = line.running.flatMap((id) => {
          const t = this.taskOf(id)
          const input = t && this.input(t, now)
          return input?.status === 'TASK_STATUS_PROCESSING' ? [renderingLeftMs(input)] : []
        })
        const waiting = (line.waiting.length > 0 ? line.waiting : [task.id]).flatMap((id) => {
          const t = this.taskOf(id)
          if (!t) return []
          return [{ paceLeftMs: this.queue.paceLeftMs(t.submittedAt, now), turnMs: turnMs(this.estimateMs(t), this.config.paceMs) }]
        })
        return { status: task.status, runningLeftMs, waiting, workers: this.config.workers }
      }
      case 'TASK_STATUS_PROCESSING': {
        const rendering = this.progressOf(task.id)
        return {
          status: task.status,
          estimateMs: this.estimateMs(task),
          paceLeftMs: this.queue.paceLeftMs(task.startedAt ?? now, now),
          elapsedMs: rendering ? now - rendering.startedAt : 0,
          fraction: rendering?.fraction ?? 0,
        }
      }
      default:
        return { status: task.status }
    }
  }
}
