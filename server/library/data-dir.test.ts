import { afterEach, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { DataDirInUse, dataPaths, defaultDataDir, lockDataDir, resolveDataDir } from './data-dir.ts'

const dirs: string[] = []
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})
const tempDir = async () => {
  const d = await mkdtemp(join(tmpdir(), 'veo-datadir-test-'))
  dirs.push(d)
  return d
}

/** The pid of a process that has ended (a lock left by a kill -9). */
const deadPid = () =>
  new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['-e', ''])
    child.on('exit', () => resolve(child.pid!))
  })

describe('the data folder', () => {
  it.each([
    ['linux', {}, '/home/ana', '/home/ana/.local/share/veo-studio'],
    ['linux', { XDG_DATA_HOME: '/data/ana' }, '/home/ana', '/data/ana/veo-studio'],
    ['darwin', {}, '/Users/ana', '/Users/ana/Library/Application Support/Veo Studio'],
  ] as const)('on %s with %o it is a per-user folder', (platform, env, home, expected) => {
    expect(defaultDataDir(env, platform, home)).toBe(expected)
  })

  it('is STUDIO_DATA_DIR when set, made absolute', () => {
    expect(resolveDataDir({ STUDIO_DATA_DIR: '/srv/studio' })).toBe('/srv/studio')
    expect(resolveDataDir({ STUDIO_DATA_DIR: 'rel/dir' })).toBe(join(process.cwd(), 'rel/dir'))
  })
})

describe('the data folder lock', () => {
  it('refuses a second gateway while the first lives, with words that say why and what to do', async () => {
    const dir = await tempDir()
    const first = await lockDataDir(dir)
    // Another live process: this test's parent holds it.
    const err = await lockDataDir(dir, process.ppid).catch((e: Error) => e)
    expect(err).toBeInstanceOf(DataDirInUse)
    expect((err as Error).message).toMatch(
      new RegExp(`Another Veo Studio gateway \\(process ${process.pid}, started .*\\) is using the data folder`),
    )
    expect((err as Error).message).toMatch(/Stop the other one first, or start this one with STUDIO_DATA_DIR=<another folder>/)
    await first.release()
    const second = await lockDataDir(dir, process.ppid)
    await second.release()
  })

  it('takes over a lock left by a gateway that is gone (a kill -9)', async () => {
    const dir = await tempDir()
    const pid = await deadPid()
    await writeFile(dataPaths(dir).lock, JSON.stringify({ pid, host: hostname(), startedAt: 'earlier' }))
    const lock = await lockDataDir(dir)
    expect(JSON.parse(await readFile(dataPaths(dir).lock, 'utf8')).pid).toBe(process.pid)
    await lock.release()
    await expect(readFile(dataPaths(dir).lock)).rejects.toThrow(/ENOENT/)
  })

  it('refuses a lock held from another machine that shares the folder', async () => {
    const dir = await tempDir()
    await writeFile(dataPaths(dir).lock, JSON.stringify({ pid: 1, host: 'render-box', startedAt: 'earlier' }))
    await expect(lockDataDir(dir)).rejects.toThrow(/process 1 on render-box/)
  })

  it('releases only its own lock', async () => {
    const dir = await tempDir()
    const mine = await lockDataDir(dir)
    await writeFile(dataPaths(dir).lock, JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: 'later' }))
    await mine.release()
    expect(JSON.parse(await readFile(dataPaths(dir).lock, 'utf8')).pid).toBe(process.ppid)
  })
})
