// A real gateway process (server/testing/gateway-main.ts, which starts and stops like `npm start`), for tests that
// send it real signals: SIGTERM, SIGINT, SIGKILL. Its log lines are parsed as they come.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
export type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

export interface GatewayProcess {
  url: string
  /** Every log line so far, parsed. */
  events: Json[]
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>
  /** Sends the signal (if the process still runs); await `exited` for the end. */
  signal(signal: NodeJS.Signals): void
}

const running: GatewayProcess[] = []

/** Kills every gateway process still running (afterAll). */
export function killAllGatewayProcesses(): void {
  for (const g of running.splice(0)) g.signal('SIGKILL')
}

/** What a process printed before it exited, when it never listened (a refusal at start). */
export interface Refusal {
  code: number | null
  stderr: string
}

function spawnGateway(env: Record<string, string>) {
  return spawn(process.execPath, ['--import', 'tsx', 'server/testing/gateway-main.ts'], {
    cwd: root,
    // Nothing of the test runner's environment but what node and ffmpeg need: no key, no limits.
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...(process.env.FFMPEG_PATH ? { FFMPEG_PATH: process.env.FFMPEG_PATH } : {}),
      PORT: '0',
      LOCAL_ENGINE_WORKERS: '1',
      LOCAL_ENGINE_PACE_MS: '100',
      GATEWAY_CLIENT_RPM: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

/** Starts a gateway and resolves once it listens; rejects with what it printed if it exits first. */
export async function launchGateway(env: Record<string, string>): Promise<GatewayProcess> {
  const proc = spawnGateway(env)
  const events: Json[] = []
  let stderr = ''
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = once(proc, 'exit').then(([code]) => code as number | null)
  const url = new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const event = JSON.parse(line) as Json
      events.push(event)
      if (event.event === 'listening') resolve(event.url as string)
    })
    void exited.then((code) => reject(new Error(`the gateway exited (${code}) before listening: ${stderr}`)))
  })
  const gateway: GatewayProcess = {
    url: await url,
    events,
    exited,
    signal: (signal) => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal)
    },
  }
  running.push(gateway)
  return gateway
}

/** Starts a gateway that is expected to refuse to start: resolves with its exit code and what it said. */
export async function launchRefused(env: Record<string, string>): Promise<Refusal> {
  const proc = spawnGateway(env)
  let stderr = ''
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  proc.stdout.resume()
  const [code] = (await once(proc, 'exit')) as [number | null]
  return { code, stderr }
}
