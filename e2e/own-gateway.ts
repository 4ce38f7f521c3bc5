import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from '@playwright/test'

/*
 * A gateway of a test's own (`npm start` on a port and data folders of its own), for what the shared e2e gateway
 * cannot host without touching other tests: a kill in the middle of a render, the key it keeps for every workspace,
 * a full disk. No test workspaces: its pages act in the designer's own library, as after an install.
 */

/** A port nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

export interface GatewayDirs {
  library: string
  engine: string
}

/** Fresh data folders for a gateway; `remove` them when done. */
export function gatewayDirs(name: string): GatewayDirs & { remove(): void } {
  const dirs = {
    library: mkdtempSync(join(tmpdir(), `veo-e2e-${name}-library-`)),
    engine: mkdtempSync(join(tmpdir(), `veo-e2e-${name}-engine-`)),
  }
  return {
    ...dirs,
    remove: () => {
      rmSync(dirs.library, { recursive: true, force: true })
      rmSync(dirs.engine, { recursive: true, force: true })
    },
  }
}

export interface OwnGateway {
  url: string
  /** Everything it has written to stdout and stderr so far. */
  output(): string
  /** Ends it (SIGTERM: a graceful stop; SIGKILL: a crash) and resolves once it has exited. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>
}

/** `npm start` on `port` and `dirs`, with `env` over the e2e defaults; resolves once it answers. */
export async function startGateway(port: number, dirs: GatewayDirs, env: Record<string, string> = {}): Promise<OwnGateway> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      STUDIO_DATA_DIR: dirs.library,
      LOCAL_ENGINE_DATA_DIR: dirs.engine,
      LOCAL_ENGINE_PACE_MS: '300',
      // A loopback address with nothing behind it: no e2e test may reach the real provider.
      JIEKOU_BASE_URL: 'http://127.0.0.1:9',
      JIEKOU_API_KEY: '',
      GATEWAY_CLIENT_RPM: '0',
      LOCAL_ENGINE_ALLOW_PRIVATE_URLS: '1',
      STUDIO_TEST_WORKSPACES: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = `http://127.0.0.1:${port}`
  await expect
    .poll(
      async () => {
        if (child.exitCode !== null) throw new Error(`the gateway exited (${child.exitCode}):\n${output}`)
        try {
          return (await fetch(`${url}/api/library/settings`)).status
        } catch {
          return 0
        }
      },
      { timeout: 90_000 },
    )
    .toBe(200)
  return {
    url,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      await exited
    },
  }
}
