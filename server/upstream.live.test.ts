import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer, type RunningServer } from './app.ts'
import { loadCatalogue } from './catalogue.ts'
import { readConfig } from './config.ts'
import { createLogger } from './logger.ts'

/*
 * Against the real jiekou.ai, only when JIEKOU_API_KEY is set (it never is in CI here: no internet).
 * It asks for a task id that cannot exist, which costs nothing: a 404 proves the path, the forwarding and the key.
 */
const key = process.env.JIEKOU_API_KEY
describe.skipIf(!key)('the real upstream (JIEKOU_API_KEY set)', () => {
  let server: RunningServer
  let dir: string
  const lines: string[] = []
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'veo-live-'))
    server = await startServer({
      config: readConfig({ JIEKOU_API_KEY: key, JIEKOU_BASE_URL: process.env.JIEKOU_BASE_URL, LOCAL_ENGINE_DATA_DIR: dir }),
      models: await loadCatalogue(),
      logger: createLogger((l) => lines.push(l), [key]),
      port: 0,
    })
  })
  afterAll(async () => {
    await server?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('accepts the key and answers an unknown task in the contract shape', async () => {
    const res = await fetch(`${server.url}/api/jiekou/v3/async/task-result?task_id=veo-studio-connection-test`)
    expect([400, 404]).toContain(res.status)
    const body = (await res.json()) as { reason?: string }
    expect(body.reason).not.toMatch(/INVALID_API_KEY|FAILED_TO_AUTH/)
    expect(lines.join('\n')).not.toContain(key!)
  })
})
