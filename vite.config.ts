import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'
import tailwindcss from '@tailwindcss/vite'

const gateway = process.env.VITE_GATEWAY ?? 'http://localhost:5317'

export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: { proxy: { '/api': gateway } },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 700 },
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
          // Renders are CPU-bound and the machine has two cores: one test file at a time.
          fileParallelism: false,
        },
      },
    ],
  },
})
