/*
 * Requests handed to a gateway's library as the studio hands them (src/db/submit.ts prepareRequests), for the parts
 * that submit with no tab open: the studio's sample frames (two 1280×720 PNGs, sent as stored, so each named by its
 * own SHA-256), put first as the studio puts them (PUT /api/library/frames/<sha>), the model's defaults and body from
 * the catalogue (toRequestBody), each frame as {"$blob": sha}; then POST /api/library/requests. And the library's
 * answers the parts wait on: a request's task, and that task's end (archived, for a success).
 */
import { createHash, randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { loadCatalogue } from '../server/catalogue.ts'
import { effectiveParams } from '../src/models/effective.ts'
import { root } from './gateway.ts'

const MODEL = 'veo-3.1-generate-firstlastframe'
const FRAMES = { first: 'first-frame.png', last: 'last-frame.png' } as const

const send = async (url: string, method: string, path: string, body: unknown, type = 'application/json') => {
  const res = await fetch(`${url}/api/library${path}`, {
    method,
    headers: { 'Content-Type': type },
    body: body instanceof Uint8Array ? new Blob([new Uint8Array(body)]) : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${method} /api/library${path}: ${res.status} ${await res.text()}`)
  return res.json() as Promise<unknown>
}

/** Sets the workspace's requests per minute (Settings › Limits), for parts that send many at once. */
export const setRequestsPerMinute = (url: string, n: number) => send(url, 'PATCH', '/settings', { requestsPerMinute: n })

export interface StudioRequest {
  provider: 'local' | 'jiekou'
  prompt: string
  seed?: number
  priority?: 'single' | 'sweep'
}

/** Hands the requests to the gateway's queue, as the studio's Generate (or a sweep) does; returns their ids. */
export async function submitAsStudio(url: string, requests: readonly StudioRequest[]): Promise<string[]> {
  const model = (await loadCatalogue()).find((m) => m.id === MODEL)!
  const frames: Record<string, unknown> = {}
  const bodyFrames: Record<string, { kind: 'data'; mime: 'image/png'; base64: string }> = {}
  const shas = new Map<string, string>()
  for (const [slot, name] of Object.entries(FRAMES)) {
    const bytes = await readFile(join(root, 'public/samples', name))
    const sha = createHash('sha256').update(bytes).digest('hex')
    await send(url, 'PUT', `/frames/${sha}?width=1280&height=720&name=${name}`, bytes, 'image/png')
    frames[slot] = { kind: 'stored', hash: sha, mime: 'image/png', width: 1280, height: 720, bytes: bytes.length, name }
    bodyFrames[slot] = { kind: 'data', mime: 'image/png', base64: `$blob:${sha}` }
    shas.set(`$blob:${sha}`, sha)
  }
  const items = requests.map((r) => {
    // "Try with sample frames" sets 4 s (src/app/sample-frames.ts; the model's default is 8).
    const params = effectiveParams(model, { prompt: r.prompt, duration_seconds: 4, ...(r.seed === undefined ? {} : { seed: r.seed }) })
    const built = model.toRequestBody({ params, frames: bodyFrames })
    const body = Object.fromEntries(
      Object.entries(built).map(([k, v]) => [k, typeof v === 'string' && shas.has(v) ? { $blob: shas.get(v) } : v]),
    )
    return {
      id: randomUUID(),
      provider: r.provider,
      modelPath: model.path,
      request: { modelId: model.id, params, frames },
      body,
      priority: r.priority ?? 'single',
    }
  })
  await send(url, 'POST', '/requests', { requests: items })
  return items.map((i) => i.id)
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * A library read, tried again when the connection is lost under it: a keep-alive connection the gateway closes as
 * idle (Node's 5 s) at the moment it is reused answers ECONNRESET; a read is safe to send again.
 */
async function readJson<T>(url: string): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return (await (await fetch(url)).json()) as T
    } catch (err) {
      if (tries >= 3) throw err
      await sleep(100)
    }
  }
}

/** The task a queued request became (`<provider>:<task id>`), once the gateway's runner has sent it. */
export async function taskOfRequest(url: string, requestId: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const item = await readJson<{ taskRecordId?: string; state?: string }>(`${url}/api/library/requests/${requestId}`)
    if (item.taskRecordId) return item.taskRecordId
    if (item.state === 'failed') throw new Error(`request ${requestId} failed to send: ${JSON.stringify(item)}`)
    if (Date.now() > deadline) throw new Error(`request ${requestId} was not sent within ${timeoutMs / 1000} s: ${JSON.stringify(item)}`)
    await sleep(250)
  }
}

/** Waits for a task's end as the library records it (a success once its videos are archived); its record. */
export async function finishedTask(
  url: string,
  taskRecordId: string,
  timeoutMs = 240_000,
): Promise<{ finishedAt: number; status: string; videoCount?: number }> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const task = await readJson<{ finishedAt?: number; status: string; videoCount?: number }>(
      `${url}/api/library/tasks/${encodeURIComponent(taskRecordId)}`,
    )
    if (task.finishedAt !== undefined) return task as { finishedAt: number; status: string; videoCount?: number }
    if (Date.now() > deadline) throw new Error(`task ${taskRecordId} did not end within ${timeoutMs / 1000} s: ${JSON.stringify(task)}`)
    await sleep(250)
  }
}
