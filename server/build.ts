import { execFile } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'

/*
 * `npm start` must serve the studio as the sources are now, without the user remembering `npm run build`:
 * build when dist/index.html is missing or older than anything the build reads.
 */

/** What the build reads: folders are walked, files checked on their own; missing ones are skipped. */
export const BUILD_INPUTS = ['src', 'public', 'index.html', 'vite.config.ts', 'tailwind.config.ts', 'package.json'] as const

export interface InputFile {
  /** Relative to the project root, for the message. */
  path: string
  mtimeMs: number
}

export type BuildDecision = { build: false } | { build: true; reason: string }

/** Pure: given the output's mtime (undefined when missing) and the inputs' mtimes, build or not, and why. */
export function decideBuild(outputMtimeMs: number | undefined, inputs: readonly InputFile[]): BuildDecision {
  if (outputMtimeMs === undefined) return { build: true, reason: 'dist/index.html is missing' }
  const newer = inputs.filter((f) => f.mtimeMs > outputMtimeMs).sort((a, b) => b.mtimeMs - a.mtimeMs)
  const first = newer[0]
  if (!first) return { build: false }
  const more = newer.length > 1 ? ` and ${newer.length - 1} more file${newer.length > 2 ? 's' : ''}` : ''
  return { build: true, reason: `${first.path}${more} changed since the last build` }
}

const mtimeOf = (path: string) => {
  try {
    return statSync(path).mtimeMs
  } catch {
    return undefined
  }
}

/** Every file under the build inputs, with its mtime. */
export function collectInputs(root: string): InputFile[] {
  const out: InputFile[] = []
  for (const name of BUILD_INPUTS) {
    const full = join(root, name)
    let stats
    try {
      stats = statSync(full)
    } catch {
      continue
    }
    if (!stats.isDirectory()) {
      out.push({ path: name, mtimeMs: stats.mtimeMs })
      continue
    }
    for (const entry of readdirSync(full, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue
      const file = join(entry.parentPath, entry.name)
      const mtimeMs = mtimeOf(file)
      if (mtimeMs !== undefined) out.push({ path: relative(root, file), mtimeMs })
    }
  }
  return out
}

const runVite = async (root: string) => {
  // Vite's own bin script under node: the same thing node_modules/.bin/vite links to, and no shell needed on Windows.
  await promisify(execFile)(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  })
}

export interface EnsureBuiltOptions {
  log?: (line: string) => void
  run?: (root: string) => Promise<void>
}

/** Builds the studio into dist/ when it is missing or stale; returns whether it built. */
export async function ensureBuilt(root: string, { log = console.log, run = runVite }: EnsureBuiltOptions = {}): Promise<boolean> {
  const decision = decideBuild(mtimeOf(join(root, 'dist', 'index.html')), collectInputs(root))
  if (!decision.build) return false
  log(`Building the studio (vite build), because ${decision.reason}...`)
  try {
    await run(root)
  } catch (err) {
    // Vite's output is kept quiet on success; on failure it is the only useful thing to show.
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string }
    throw new Error(`vite build failed:\n${String(stdout)}${String(stderr)}`.trimEnd(), { cause: err })
  }
  return true
}
