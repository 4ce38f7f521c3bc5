import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'
import tailwindcss from '@tailwindcss/vite'

const gateway = process.env.VITE_GATEWAY ?? 'http://localhost:5317'

type ModuleGraph = { getModuleInfo(id: string): { isEntry: boolean; importers: readonly string[] } | null }

/**
 * Which of the two up-front files a module belongs in: `index`, what the entry imports statically through some chain
 * (React and the studio's frame, for the first paint), or `studio`, what the studio's chunk imports so (the studio
 * itself, requested as the entry runs). Left alone, the bundler splits modules that lazy parts use too (react, the
 * live-query hooks…) into several small shared chunks, and each file costs a request and compresses alone. What
 * loads on demand (settings, experiments, compare…) keeps its own chunks.
 */
function staticallyReached(isRoot: (id: string, graph: ModuleGraph) => boolean) {
  const known = new Map<string, boolean>()
  const reached = (id: string, graph: ModuleGraph): boolean => {
    const seen = known.get(id)
    if (seen !== undefined) return seen
    known.set(id, false) // a cycle is not a way in
    const info = graph.getModuleInfo(id)
    const result = Boolean(info && (isRoot(id, graph) || info.importers.some((importer) => reached(importer, graph))))
    known.set(id, result)
    return result
  }
  return reached
}
const inFirstPaint = staticallyReached((id, graph) => graph.getModuleInfo(id)?.isEntry === true)
const inStudio = staticallyReached((id) => id.endsWith('/src/app/studio.tsx'))

export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: { proxy: { '/api': gateway } },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { debugName: 'first paint', name: (id, graph) => (inFirstPaint(id, graph) ? 'index' : null) },
            { debugName: 'studio', name: (id, graph) => (inStudio(id, graph) ? 'studio' : null) },
          ],
        },
      },
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['src/test-setup.ts'],
          // Both cores: Vitest's default leaves one idle on a 2-core machine (183 s against 112 s for the same files).
          maxWorkers: 2,
          // A hang guard, not a budget: typed input through user-event took over 5 s once on a busy 2-core CI.
          testTimeout: 15_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'server',
          include: ['server/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['server/testing/library-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Two files at a time on CI's two cores: renders are CPU-bound, but most files spend much of their time
          // waiting (pacing timers, child gateways starting, ffmpeg spawns), and a second file fills that time.
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
    ],
  },
})
