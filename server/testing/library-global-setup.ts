// Once per server test run: one migrated PGlite folder, with the runner's queues, that every library test copies (a first start runs initdb,
// about 10 s; a copy opens in about a second). The path reaches the test workers through the environment.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openLibraryDb } from '../library/db/db.ts'
import { dataPaths } from '../library/data-dir.ts'
import { createBoss } from '../library/runner/boss.ts'
import { createQueues } from '../library/runner/jobs.ts'

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
  return () => rm(dir, { recursive: true, force: true })
}
