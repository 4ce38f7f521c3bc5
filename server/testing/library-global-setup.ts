// Once per server test run: one migrated PGlite folder that every library test copies (a first start runs initdb,
// about 10 s; a copy opens in about a second). The path reaches the test workers through the environment.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openLibraryDb } from '../library/db/db.ts'
import { dataPaths } from '../library/data-dir.ts'

export default async function setup(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'veo-library-template-'))
  const opened = await openLibraryDb({ embeddedDir: dataPaths(dir).db })
  await opened.close()
  process.env.LIBRARY_TEMPLATE_DIR = dir
  return () => rm(dir, { recursive: true, force: true })
}
