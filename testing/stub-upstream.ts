import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { findTools } from '../server/engine/ffmpeg.ts'

/*
 * A stand-in for jiekou.ai on loopback, for the fault tests and the bench: the contract's two submit paths and
 * task-result, tasks that queue, render (progress, with or without an ETA) and succeed with a real MP4, and faults
 * injected on demand. The gateway forwards to it as it would to the real provider (JIEKOU_BASE_URL).
 *
 * Control (same port, under /__stub/):
 *   POST /__stub/reset                  forget tasks, faults and the log; timing back to its defaults
 *   POST /__stub/timing  {queuedMs, processingMs, eta}
 *   POST /__stub/faults  {faults: Fault[]} appended; each request takes the first fault that matches it
 *   POST /__stub/clear-faults           the cause is gone
 *   GET  /__stub/log                    every contract request seen: {method, kind, taskId?, at, status} (status 0:
 *                                       dropped, no answer)
 */

export type RequestKind = 'submit' | 'task-result'

export interface Fault {
  on: RequestKind
  /** How many matching requests it answers (then it is used up). */
  times: number
  status: number
  /** The JSON answered; by default the contract's error body for the status. */
  body?: unknown
  headers?: Record<string, string>
  /** No answer at all: the connection is closed under the request (jiekou.ai unreachable, as the gateway meets it). */
  drop?: boolean
}

export interface Timing {
  queuedMs: number
  processingMs: number
  /** Whether task results carry an ETA (the real provider may not send one). */
  eta: boolean
}

export interface LogEntry {
  method: string
  kind: RequestKind
  taskId?: string | undefined
  at: number
  status: number
}

const DEFAULT_TIMING: Timing = { queuedMs: 500, processingMs: 1_500, eta: true }
const SUBMIT_PATHS = new Set(['/v3/async/veo-3.0-generate-preview-img2video', '/v3/async/veo-3.1-generate-firstlastframe'])
const TASK_RESULT_PATH = '/v3/async/task-result'

const REASONS: Record<number, string> = {
  400: 'INVALID_REQUEST_BODY',
  401: 'FAILED_TO_AUTH',
  403: 'INVALID_API_KEY',
  404: 'TASK_NOT_FOUND',
  429: 'RATE_LIMIT_EXCEEDED',
  500: 'TASK_FAILED',
  503: 'SERVICE_NOT_AVAILABLE',
}
export const errorBody = (status: number, message = `stub upstream answers ${status}`) => ({
  code: status,
  reason: REASONS[status] ?? 'UNKNOWN',
  message,
  metadata: {},
})

const run = promisify(execFile)

/** A real 2 s H.264 MP4 (640×360, 24 fps), made once per stub with ffmpeg. */
async function makeVideo(): Promise<Buffer> {
  const { ffmpeg } = await findTools()
  const out = join(await mkdtemp(join(tmpdir(), 'veo-stub-')), 'stub.mp4')
  const args = '-v error -f lavfi -i testsrc2=s=640x360:r=24:d=2 -c:v libx264 -pix_fmt yuv420p -movflags +faststart -y'
  await run(ffmpeg, [...args.split(' '), out])
  return readFile(out)
}

export interface StubUpstream {
  url: string
  port: number
  close(): Promise<void>
}

export async function startStubUpstream({ port = 0, host = '127.0.0.1' } = {}): Promise<StubUpstream> {
  const video = await makeVideo()
  let timing = { ...DEFAULT_TIMING }
  let faults: Fault[] = []
  let log: LogEntry[] = []
  const tasks = new Map<string, number>()
  let base = ''

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers })
    res.end(JSON.stringify(body))
  }
  const readBody = async (req: IncomingMessage) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  }

  function taskResult(taskId: string, createdAt: number, now: number) {
    const age = now - createdAt
    const total = timing.queuedMs + timing.processingMs
    const eta = (left: number) => (timing.eta ? { eta: Math.max(1, Math.ceil(left / 1000)) } : {})
    const task = { task_id: taskId, reason: '', task_type: 'stub' }
    if (age < timing.queuedMs) return { task: { ...task, status: 'TASK_STATUS_QUEUED', ...eta(total - age) } }
    if (age < total) {
      const progress = Math.floor(((age - timing.queuedMs) / timing.processingMs) * 100)
      return { task: { ...task, status: 'TASK_STATUS_PROCESSING', progress_percent: progress, ...eta(total - age) } }
    }
    return {
      task: { ...task, status: 'TASK_STATUS_SUCCEED', progress_percent: 100 },
      videos: [{ video_url: `${base}/videos/${taskId}.mp4`, video_url_ttl: '3600', video_type: 'mp4' }],
      extra: { seed: String(createdAt % 1_000_000) },
    }
  }

  async function control(req: IncomingMessage, res: ServerResponse, path: string) {
    const body = req.method === 'POST' ? (JSON.parse((await readBody(req)) || '{}') as Record<string, unknown>) : {}
    if (path === '/__stub/reset') {
      ;[timing, faults, log] = [{ ...DEFAULT_TIMING }, [], []]
      tasks.clear()
    } else if (path === '/__stub/timing') timing = { ...timing, ...(body as Partial<Timing>) }
    else if (path === '/__stub/faults') faults.push(...(body.faults as Fault[]))
    else if (path === '/__stub/clear-faults') faults = []
    else if (path === '/__stub/log') return send(res, 200, log)
    else return send(res, 404, errorBody(404, 'no such control'))
    send(res, 200, { ok: true })
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://stub')
      if (url.pathname.startsWith('/__stub/')) return control(req, res, url.pathname)
      if (url.pathname.startsWith('/videos/')) {
        res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(video.length) })
        return res.end(video)
      }
      const kind: RequestKind | undefined =
        req.method === 'POST' && SUBMIT_PATHS.has(url.pathname)
          ? 'submit'
          : req.method === 'GET' && url.pathname === TASK_RESULT_PATH
            ? 'task-result'
            : undefined
      if (!kind) return send(res, 404, errorBody(404, `stub upstream has no ${req.method} ${url.pathname}`))
      await readBody(req)
      const taskId = kind === 'task-result' ? (url.searchParams.get('task_id') ?? '') : undefined
      const entry: LogEntry = { method: req.method ?? 'GET', kind, taskId, at: Date.now(), status: 200 }
      log.push(entry)

      // A task-result fault hits the tasks the stub issued, not the gateway's provider check (an id nobody has,
      // server/provider-status.ts): it is logged, but counts of a real task's polls filter by its id.
      const known = kind === 'submit' || tasks.has(taskId ?? '')
      const fault = known ? faults.find((f) => f.on === kind && f.times > 0) : undefined
      if (fault) {
        fault.times--
        entry.status = fault.drop ? 0 : fault.status
        if (fault.drop) return void req.socket.destroy()
        return send(res, fault.status, fault.body ?? errorBody(fault.status), fault.headers)
      }
      if (kind === 'submit') {
        const id = `stub-${randomUUID()}`
        tasks.set(id, Date.now())
        entry.taskId = id
        return send(res, 200, { task_id: id })
      }
      const createdAt = tasks.get(taskId ?? '')
      if (createdAt === undefined) {
        entry.status = 404
        return send(res, 404, errorBody(404, 'task not found'))
      }
      send(res, 200, taskResult(taskId!, createdAt, Date.now()))
    })().catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, errorBody(500, String(err)))
    })
  })
  await new Promise<void>((resolve) => server.listen(port, host, resolve))
  const bound = (server.address() as AddressInfo).port
  base = `http://${host}:${bound}`
  return {
    url: base,
    port: bound,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
