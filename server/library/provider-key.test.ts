import { afterEach, describe, expect, it } from 'vitest'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { KEY_FILE, ProviderKeyStore } from './provider-key.ts'
import { createLogger } from '../logger.ts'

const dirs: string[] = []
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})
const tempDir = async () => {
  const d = await mkdtemp(join(tmpdir(), 'veo-key-test-'))
  dirs.push(d)
  return d
}

describe('the provider key in the data folder', () => {
  it('is kept readable by its owner alone, read back at the next start, and cleared', async () => {
    const dir = await tempDir()
    const store = await ProviderKeyStore.open(dir)
    expect(store.get()).toBeUndefined()
    await store.set('sk-test-0123456789abcdef')
    expect((await stat(join(dir, KEY_FILE))).mode & 0o777).toBe(0o600)
    expect((await ProviderKeyStore.open(dir)).get()).toBe('sk-test-0123456789abcdef')
    await store.clear()
    expect((await ProviderKeyStore.open(dir)).get()).toBeUndefined()
  })

  it('refuses what is not a key, and keeps the one it had', async () => {
    const dir = await tempDir()
    const store = await ProviderKeyStore.open(dir)
    await store.set('sk-good-key-0001')
    for (const bad of ['short', 'has a space in it', 'x'.repeat(600), 'line\nbreak-0000'])
      await expect(store.set(bad)).rejects.toThrow(TypeError)
    expect(await readFile(join(dir, KEY_FILE), 'utf8')).toBe('sk-good-key-0001')
  })

  it('is scrubbed from every log line once held, including one read back from the file', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, KEY_FILE), 'sk-from-last-run-0001\n', { mode: 0o600 })
    const secrets: string[] = []
    const lines: string[] = []
    const logger = createLogger((l) => lines.push(l), secrets)
    const store = await ProviderKeyStore.open(dir, (k) => secrets.push(k))
    await store.set('sk-entered-now-0002')
    logger.info('oops', { detail: 'upstream said sk-from-last-run-0001 and sk-entered-now-0002 were refused' })
    expect(lines.join('\n')).not.toMatch(/sk-from-last-run-0001|sk-entered-now-0002/)
    expect(lines.join('\n')).toContain('[redacted]')
  })
})
