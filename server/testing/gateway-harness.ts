// One gateway harness for the server tests: a real gateway on an ephemeral port with its own temp data folder, and a
// stub jiekou.ai on loopback that records every request it sees. Before this, each test file carried its own copy.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { startServer, type RunningServer } from '../app.ts'
import { loadCatalogue } from '../catalogue.ts'
import { readConfig, type GatewayConfig } from '../config.ts'
import { createLogger } from '../logger.ts'
import type { RenderResult } from '../engine/render.ts'
import type { RenderFn } from '../engine/task-store.ts'
import type { ModelSpec } from '../../src/models/types.ts'
import type { Library } from '../library/library.ts'

interface Closable {
  close(): Promise<void>
}

const open: Closable[] = []

/** Registers the afterEach that closes every gateway and stub this file started (and removes their folders). */
export function closeAfterEach(): void {
  afterEach(closeAll)
}

/** Closes every gateway and stub started so far; for files that share one across tests (afterAll). */
export async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map((s) => s.close()))
}

/**
 * A renderer that renders nothing (no ffmpeg, no file): for tests about submits, ids and answers, where a real render
 * would only take CPU from the tests that measure one. Tasks still go QUEUED → PROCESSING → SUCCEED with pacing.
 */
export const noRender: RenderFn = async () => ({ motion: { summary: 'not rendered (test)' } }) as unknown as RenderResult

let catalogue: Promise<readonly ModelSpec[]> | undefined
/** The model catalogue, loaded once per test file. */
export const models = (): Promise<readonly ModelSpec[]> => (catalogue ??= loadCatalogue())

export interface TestGateway {
  server: RunningServer
  url: string
  config: GatewayConfig
  /** The engine's data folder: a fresh temp folder unless the env named one. */
  dataDir: string
  /** Every log line the gateway wrote, as JSON text. */
  lines: string[]
  close(): Promise<void>
}

export interface TestGatewayOptions {
  /** Another renderer for the local engine (the fuzz passes one that does no ffmpeg work). */
  render?: RenderFn
  /** Built SPA to serve. */
  distDir?: string
  /** A library to serve at /api/library (openTestLibrary); the caller disposes of it after the gateway closes. */
  library?: Library
  /** Whether that library's runner runs (pg-boss; off for tests of the API alone, which do not send). */
  runner?: boolean
}

/**
 * A gateway on 127.0.0.1:<free port>. `env` is read like the process environment (readConfig); without
 * LOCAL_ENGINE_DATA_DIR it gets a temp folder of its own, removed on close. Without JIEKOU_BASE_URL the upstream is a
 * closed port, so nothing can leave the machine by accident.
 */
export async function startTestGateway(env: Record<string, string> = {}, options: TestGatewayOptions = {}): Promise<TestGateway> {
  const ownDir = env.LOCAL_ENGINE_DATA_DIR ? undefined : mkdtempSync(join(tmpdir(), 'veo-gateway-test-'))
  const config = readConfig({ JIEKOU_BASE_URL: 'http://127.0.0.1:9', LOCAL_ENGINE_DATA_DIR: ownDir, ...env })
  const lines: string[] = []
  const server = await startServer({
    config,
    models: await models(),
    logger: createLogger((l) => lines.push(l), [config.jiekouApiKey]),
    port: 0,
    ...(options.render ? { render: options.render } : {}),
    ...(options.distDir ? { distDir: options.distDir } : {}),
    ...(options.library ? { library: options.library } : {}),
    ...(options.runner !== undefined ? { runner: options.runner } : {}),
  })
  let closed = false
  const gateway: TestGateway = {
    server,
    url: server.url,
    config,
    dataDir: config.engine.dataDir,
    lines,
    close: async () => {
      if (closed) return
      closed = true
      await server.close()
      if (ownDir) rmSync(ownDir, { recursive: true, force: true })
    },
  }
  open.push(gateway)
  return gateway
}

/** One request as the stub upstream saw it. */
export interface Seen {
  method: string
  /** The path as it arrived, before any decoding (what a traversal trick would have to change). */
  rawPath: string
  /** The parsed pathname. */
  path: string
  query: string
  headers: IncomingHttpHeaders
  body: string
}

export interface Reply {
  status: number
  body: string | Buffer
  headers?: Record<string, string>
  delayMs?: number
}

export interface StubUpstream {
  url: string
  /** Every request, in order of arrival. */
  seen: Seen[]
  /** The answer to anything `files` does not name: a fixed reply, or one made from the request. */
  reply: Reply | ((req: Seen) => Reply)
  /** Answers by path that win over `reply` (the "CDN" files); a function takes the response over entirely. */
  files: Record<string, Reply | ((res: ServerResponse) => void)>
  close(): Promise<void>
}

/**
 * A stand-in jiekou.ai on loopback. By default it answers like the provider: a submit gets a fresh task_id, a
 * task-result a queued task in the contract's shape.
 */
export async function startStubUpstream(): Promise<StubUpstream> {
  let n = 0
  const contract = (req: Seen): Reply =>
    req.method === 'POST'
      ? { status: 200, body: JSON.stringify({ task_id: `t-${++n}` }) }
      : {
          status: 200,
          body: JSON.stringify({
            task: {
              task_id: new URLSearchParams(req.query).get('task_id') ?? '',
              status: 'TASK_STATUS_QUEUED',
              reason: '',
              task_type: 'video',
            },
          }),
        }
  const stub = { seen: [] as Seen[], reply: contract as StubUpstream['reply'], files: {} as StubUpstream['files'] }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const rawPath = (req.url ?? '/').split('?')[0] ?? '/'
      const url = new URL(req.url ?? '/', 'http://stub')
      const seen: Seen = {
        method: req.method ?? '',
        rawPath,
        path: url.pathname,
        query: url.search,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      stub.seen.push(seen)
      const file = stub.files[url.pathname]
      if (typeof file === 'function') return file(res)
      const { status, body, headers = {}, delayMs = 0 } = file ?? (typeof stub.reply === 'function' ? stub.reply(seen) : stub.reply)
      const send = () => {
        if (res.destroyed) return
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers })
        res.end(body)
      }
      if (delayMs > 0) setTimeout(send, delayMs)
      else send()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  const handle: StubUpstream = Object.assign(stub, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  })
  open.push(handle)
  return handle
}

/** A gateway in front of a fresh stub upstream. */
export async function startGatewayWithStub(env: Record<string, string> = {}, options: TestGatewayOptions = {}) {
  const stub = await startStubUpstream()
  const gateway = await startTestGateway({ JIEKOU_BASE_URL: stub.url, ...env }, options)
  return { stub, gateway }
}
