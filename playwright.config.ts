import { defineConfig, devices } from '@playwright/test'
import { chromiumLaunchOptions } from './testing/chromium'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const port = Number(process.env.E2E_PORT ?? 5399)
/** The fault tests' stub jiekou.ai, and a second gateway that forwards to it (e2e/stub.ts). */
const stubPort = port + 1000
const faultPort = port + 1001

export default defineConfig({
  testDir: 'e2e',
  // Two tests at a time: much of a test's time is waiting (renders, polls, pacing, back-off), which two pages share
  // well on two cores (four were slower: the cores are the limit then). The comparison's frame lock is
  // timing-sensitive: it runs alone, after the rest ('solo'). The stub upstream is global state: the specs that drive
  // it run their tests in order in one worker, upstream-faults.spec.ts ('faults') and then resilience.spec.ts
  // ('resilience', after it), never two at once.
  workers: 2,
  fullyParallel: true,
  timeout: 90_000,
  expect: { timeout: 30_000 },
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  // Projects start in the order listed. The stub's faults are one serial run of about 80 s: first, so that the
  // other worker works through the rest beside it and the two end together (last, it ran on alone for a minute).
  projects: [
    {
      name: 'faults',
      testMatch: /upstream-faults\.spec\.ts/,
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1440, height: 900 },
        launchOptions: chromiumLaunchOptions,
      },
    },
    {
      name: 'resilience',
      testMatch: /resilience\.spec\.ts/,
      dependencies: ['faults'],
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1440, height: 900 },
        launchOptions: chromiumLaunchOptions,
      },
    },
    {
      name: 'chromium',
      testIgnore: [/compare\.spec\.ts/, /upstream-faults\.spec\.ts/, /resilience\.spec\.ts/],
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1440, height: 900 },
        launchOptions: chromiumLaunchOptions,
      },
    },
    {
      name: 'solo',
      testMatch: /compare\.spec\.ts/,
      dependencies: ['faults', 'resilience', 'chromium'],
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1440, height: 900 },
        launchOptions: chromiumLaunchOptions,
      },
    },
  ],
  webServer: [
    {
      command: 'npx tsx server/main.ts',
      url: `http://127.0.0.1:${port}/api/config`,
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
      stdout: 'pipe',
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        LOCAL_ENGINE_PACE_MS: '300',
        LOCAL_ENGINE_DATA_DIR: join(tmpdir(), `veo-studio-e2e-${port}`),
        // The library's data folder: its own per port, never the designer's.
        STUDIO_DATA_DIR: join(tmpdir(), `veo-studio-e2e-library-${port}`),
        // A loopback address with nothing behind it: no e2e test may reach the real provider.
        JIEKOU_BASE_URL: 'http://127.0.0.1:9',
        JIEKOU_API_KEY: '',
        // Frame URLs in tests point at this gateway (loopback): let the frame check and the engine fetch them.
        LOCAL_ENGINE_ALLOW_PRIVATE_URLS: '1',
        // Two pages send at once; the gateway's own limit has its server tests.
        GATEWAY_CLIENT_RPM: '0',
        // Each test's browser context keeps a library of its own on this one gateway (e2e/fixtures.ts).
        STUDIO_TEST_WORKSPACES: '1',
      },
    },
    {
      command: 'npx tsx testing/stub-upstream-main.ts',
      url: `http://127.0.0.1:${stubPort}/__stub/log`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
      env: { STUB_PORT: String(stubPort) },
    },
    {
      // The same gateway, holding a key, in front of the stub: jiekou.ai's faults, injected on demand. Its own limits are
      // off, so only the stub's 429s are seen.
      command: 'npx tsx server/main.ts',
      url: `http://127.0.0.1:${faultPort}/api/config`,
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
      stdout: 'pipe',
      env: {
        PORT: String(faultPort),
        HOST: '127.0.0.1',
        LOCAL_ENGINE_DATA_DIR: join(tmpdir(), `veo-studio-e2e-${faultPort}`),
        STUDIO_DATA_DIR: join(tmpdir(), `veo-studio-e2e-library-${faultPort}`),
        JIEKOU_BASE_URL: `http://127.0.0.1:${stubPort}`,
        JIEKOU_API_KEY: 'stub-key',
        GATEWAY_CLIENT_RPM: '0',
        JIEKOU_RPM: '0',
        STUDIO_TEST_WORKSPACES: '1',
      },
    },
  ],
})
