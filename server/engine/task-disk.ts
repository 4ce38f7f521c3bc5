import { randomUUID } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from '../logger.ts'
import { isTaskId, type EngineTask } from './engine-task.ts'
import type { Job } from './validate.ts'

/*
 * The engine's tasks on disk: one folder per task, dataDir/tasks/<id>/, with task.json, the frames while the task
 * renders and the videos until the TTL. A record is written to a temporary file and renamed over the old one, and
 * the writes of one task run in order, so a crash leaves the old record or the new one, never half of either.
 */

export class TaskDisk {
  readonly root: string
  private readonly writes = new Map<string, Promise<void>>()

  constructor(
    dataDir: string,
    private readonly logger: Logger,
  ) {
    this.root = join(dataDir, 'tasks')
  }

  dirOf(id: string): string {
    return join(this.root, id)
  }

  /** A fresh id and its (empty) folder. */
  async reserve(): Promise<{ id: string; dir: string }> {
    const id = randomUUID()
    const dir = this.dirOf(id)
    await mkdir(dir, { recursive: true })
    return { id, dir }
  }

  /** The task's folder and everything in it. */
  async remove(id: string): Promise<void> {
    await rm(this.dirOf(id), { recursive: true, force: true })
  }

  /** Writes the record; a failed write is logged, not thrown: the task carries on in memory. */
  write(task: EngineTask): Promise<void> {
    const snapshot = JSON.stringify(task, null, 2)
    const file = join(this.dirOf(task.id), 'task.json')
    const previous = this.writes.get(task.id) ?? Promise.resolve()
    const next = previous
      .then(async () => {
        const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
        await writeFile(tmp, snapshot)
        await rename(tmp, file)
      })
      .catch((err: unknown) => this.logger.error('engine.task.persist_failed', { task_id: task.id, detail: (err as Error).message }))
    this.writes.set(task.id, next)
    void next.finally(() => {
      if (this.writes.get(task.id) === next) this.writes.delete(task.id)
    })
    return next
  }

  /** Resolves once every write started so far has landed. */
  async flush(): Promise<void> {
    await Promise.allSettled(this.writes.values())
  }

  /** The records a previous run left. A folder without a readable one is a submit that never finished, or damage: it goes. */
  async readAll(): Promise<EngineTask[]> {
    await mkdir(this.root, { recursive: true })
    const tasks: EngineTask[] = []
    for (const name of await readdir(this.root)) {
      if (!isTaskId(name)) continue
      try {
        const task = JSON.parse(await readFile(join(this.root, name, 'task.json'), 'utf8')) as EngineTask
        if (task.version !== 1 || task.id !== name) throw new Error('not a task record')
        tasks.push(task)
      } catch {
        await this.remove(name)
      }
    }
    return tasks
  }

  /** Every video in the task's folder, finished or half-written (a render a crash cut leaves its .partial file). */
  async removeVideos(id: string): Promise<void> {
    const dir = this.dirOf(id)
    const names = await readdir(dir).catch(() => [] as string[])
    for (const name of names)
      if (name.endsWith('.mp4') || name.endsWith('.mp4.partial')) await rm(join(dir, name), { force: true }).catch(() => {})
  }

  /** The job's frames: only rendering needs them; the videos stay until the TTL. */
  async removeFrames(job: Job): Promise<void> {
    for (const slot of Object.values(job.frames)) if (slot) await rm(slot.file, { force: true }).catch(() => {})
  }
}
