import { isExpired, type EngineTask } from './engine-task.ts'

/*
 * The TTL sweep. A finished task, its record and its videos last the TTL; isExpired hides a task the moment the
 * TTL passes, and the sweep removes it a little later (every quarter of the TTL, between a second and a minute).
 * Swept ids are remembered, the latest 10 000, so a late poll hears "expired" rather than "never existed".
 */

const REMEMBERED_IDS = 10_000

export class TaskSweep {
  private readonly swept = new Set<string>()
  private readonly timer: NodeJS.Timeout

  constructor(
    ttlSeconds: number,
    private readonly tasks: () => Iterable<EngineTask>,
    /** Drops the task and its files. */
    private readonly remove: (id: string) => Promise<void>,
  ) {
    const every = Math.min(60_000, Math.max(1000, (ttlSeconds * 1000) / 4))
    this.timer = setInterval(() => void this.sweep(), every)
    this.timer.unref()
  }

  wasSwept(id: string): boolean {
    return this.swept.has(id)
  }

  stop(): void {
    clearInterval(this.timer)
  }

  private async sweep(): Promise<void> {
    const now = Date.now()
    for (const task of this.tasks()) {
      if (!isExpired(task, now)) continue
      this.swept.add(task.id)
      // A Set iterates in insertion order: the oldest id is forgotten first.
      if (this.swept.size > REMEMBERED_IDS) this.swept.delete(this.swept.values().next().value as string)
      await this.remove(task.id)
    }
  }
}
