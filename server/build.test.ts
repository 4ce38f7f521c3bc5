import { afterAll, describe, expect, it } from 'vitest'
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { collectInputs, decideBuild, ensureBuilt } from './build.ts'

describe('decideBuild', () => {
  const inputs = [
    { path: 'src/main.tsx', mtimeMs: 1_000 },
    { path: 'package.json', mtimeMs: 2_000 },
  ]

  it('builds when dist/index.html is missing', () => {
    expect(decideBuild(undefined, inputs)).toEqual({ build: true, reason: 'dist/index.html is missing' })
    expect(decideBuild(undefined, [])).toMatchObject({ build: true })
  })

  it('does not build when the output is newer than every input (or as new)', () => {
    expect(decideBuild(3_000, inputs)).toEqual({ build: false })
    expect(decideBuild(2_000, inputs)).toEqual({ build: false })
    expect(decideBuild(5, [])).toEqual({ build: false })
  })

  it('builds when any input is newer, naming the newest', () => {
    expect(decideBuild(1_500, inputs)).toEqual({ build: true, reason: 'package.json changed since the last build' })
    expect(decideBuild(500, inputs)).toEqual({ build: true, reason: 'package.json and 1 more file changed since the last build' })
    const many = [...inputs, { path: 'public/logo.svg', mtimeMs: 9_000 }]
    expect(decideBuild(500, many)).toEqual({ build: true, reason: 'public/logo.svg and 2 more files changed since the last build' })
  })
})

describe('ensureBuilt on a project folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'veo-build-test-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  const at = (path: string, seconds: number) => {
    const full = join(root, path)
    mkdirSync(join(full, '..'), { recursive: true })
    writeFileSync(full, 'x')
    utimesSync(full, seconds, seconds)
  }

  it('finds the inputs the build reads, deep in folders, and nothing else', () => {
    at('src/features/studio/Form.tsx', 100)
    at('public/favicon.svg', 100)
    at('index.html', 100)
    at('package.json', 100)
    at('server/app.ts', 900)
    at('README.md', 900)
    expect(
      collectInputs(root)
        .map((f) => f.path.replaceAll('\\', '/'))
        .sort(),
    ).toEqual(['index.html', 'package.json', 'public/favicon.svg', 'src/features/studio/Form.tsx'])
  })

  it('runs the build only when stale, and says why in one line', async () => {
    const logs: string[] = []
    const runs: string[] = []
    const options = { log: (l: string) => logs.push(l), run: async (r: string) => void runs.push(r) }

    expect(await ensureBuilt(root, options)).toBe(true)
    expect(logs).toEqual(['Building the studio (vite build), because dist/index.html is missing...'])
    expect(runs).toEqual([root])

    at('dist/index.html', 200)
    expect(await ensureBuilt(root, options)).toBe(false)
    expect(runs).toHaveLength(1)

    at('src/features/studio/Form.tsx', 300)
    expect(await ensureBuilt(root, options)).toBe(true)
    expect(logs[1]).toMatch(/because src.features.studio.Form\.tsx changed since the last build/)
    expect(runs).toHaveLength(2)
  })

  it("reports vite's output when the build fails", async () => {
    const run = async () => {
      throw Object.assign(new Error('exit 1'), { stdout: '', stderr: 'Could not resolve entry module "index.html".' })
    }
    rmSync(join(root, 'dist'), { recursive: true, force: true })
    await expect(ensureBuilt(root, { log: () => {}, run })).rejects.toThrow(/vite build failed:\nCould not resolve entry module/)
  })
})
