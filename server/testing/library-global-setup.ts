// Once per server test run: one migrated PGlite folder, with the runner's queues, that every library test copies (a first start runs initdb,
// about 10 s; a copy opens in about a second). The path reaches the test workers through the environment.
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openLibraryDb } from '../library/db/db.ts'
import { dataPaths } from '../library/data-dir.ts'
import { createBoss } from '../library/runner/boss.ts'
import { createQueues } from '../library/runner/jobs.ts'
import { dropRunSchemas } from './library-harness.ts'

export default async function setup(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'veo-library-template-'))
  const opened = await openLibraryDb({ embeddedDir: dataPaths(dir).db })
  // The runner's own tables too (pg-boss installs them at its first start), so a test's runner starts at once.
  const boss = createBoss(opened, undefined, undefined)
  await boss.start()
  await createQueues(boss)
  await boss.stop({ graceful: true, wait: true, timeout: 5_000 })
  await opened.close()
  process.env.LIBRARY_TEMPLATE_DIR = dir
  // The PostgreSQL schemas of this run's tests carry its id, and go at its end (library-harness.ts says why).
  const run = randomBytes(3).toString('hex')
  process.env.LIBRARY_TEST_RUN = run
  return async () => {
    await rm(dir, { recursive: true, force: true })
    await dropRunSchemas(`t_${run}_`).catch((err: unknown) =>
      console.warn(`test schemas of run ${run} not dropped: ${(err as Error).message}`),
    )
  }
}
