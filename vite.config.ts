import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'
import tailwindcss from '@tailwindcss/vite'

const gateway = process.env.VITE_GATEWAY ?? 'http://localhost:5317'

type ModuleGraph = { getModuleInfo(id: string): { isEntry: boolean; importers: readonly string[] } | null }

/**
 * Whether a module is loaded at first paint: the entry imports it, statically, through some chain. Left alone, the
 * bundler splits such modules into several small shared chunks as soon as lazy parts use them too (react, the
 * class merger, the live-query hooks…), and each file the first paint loads costs a request and compresses alone.
 */
function firstPaintModules() {
  const known = new Map<string, boolean>()
  return (id: string, graph: ModuleGraph): boolean => {
    const seen = known.get(id)
    if (seen !== undefined) return seen
    known.set(id, false) // a cycle is not a way in
    const info = graph.getModuleInfo(id)
    const reached = Boolean(info && (info.isEntry || info.importers.some((importer) => firstPaintModules_(importer, graph))))
    known.set(id, reached)
    return reached
  }
}
const firstPaintModules_ = firstPaintModules()

export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: { proxy: { '/api': gateway } },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        // Everything the first paint needs, in one file; what is loaded on demand keeps its own chunks.
        codeSplitting: { groups: [{ debugName: 'first paint', name: (id, graph) => (firstPaintModules_(id, graph) ? 'index' : null) }] },
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
        },
      },
      {
        extends: true,
        test: {
          name: 'server',
          include: ['server/**/*.test.ts'],
          environment: 'node',
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
