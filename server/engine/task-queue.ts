import type { EngineTask } from './engine-task.ts'

/*
 * The queue and its pacing. Tasks wait in submit order for one of `workers` render slots. Pacing makes the local
 * engine behave like a provider's queue, so that the studio's polling, ETA and progress are exercised on every
 * run: a task stays QUEUED at least paceMs from the moment its id is handed out, even with a worker free, and
 * PROCESSING at least paceMs too (the store waits out paceLeftMs before it finishes a task).
 */

export class TaskQueue {
  private readonly waiting: string[] = []
  private readonly running = new Map<string, Promise<void>>()
  private timer: NodeJS.Timeout | undefined
  private stopped = false

  constructor(
    private readonly workers: number,
    private readonly paceMs: number,
    /** The task behind a waiting id while it is still QUEUED; anything else just leaves the queue. */
    private readonly queuedTask: (id: string) => EngineTask | undefined,
    private readonly run: (task: EngineTask) => Promise<void>,
  ) {}

  /** Pacing still owed by a phase that began at `since` (epoch ms). */
  paceLeftMs(since: number, now = Date.now()): number {
    return Math.max(0, since + this.paceMs - now)
  }

  push(id: string): void {
    this.waiting.push(id)
    this.pump()
  }

  /** The tasks that start before this one: those rendering now, and those waiting up to and including it. */
  line(id: string): { running: string[]; waiting: string[] } {
    const at = this.waiting.indexOf(id)
    return { running: [...this.running.keys()], waiting: this.waiting.slice(0, at < 0 ? 0 : at + 1) }
  }

  /** The ids rendering now. */
  runningIds(): string[] {
    return [...this.running.keys()]
  }

  /** Starts nothing more; tasks already running carry on (the caller decides whether to abort them). */
  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
  }

  /** Resolves once every running task has ended. */
  async idle(): Promise<void> {
    await Promise.allSettled(this.running.values())
  }

  private pump(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    while (!this.stopped && this.running.size < this.workers && this.waiting.length > 0) {
      const id = this.waiting[0] as string
      const task = this.queuedTask(id)
      if (!task) {
        this.waiting.shift()
        continue
      }
      const wait = this.paceLeftMs(task.submittedAt)
      if (wait > 0) {
        this.timer = setTimeout(() => this.pump(), wait)
        return
      }
      this.waiting.shift()
      const run = this.run(task).finally(() => {
        this.running.delete(id)
        this.pump()
      })
      this.running.set(id, run)
    }
  }
}
