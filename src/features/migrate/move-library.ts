import type { QueueItem } from '../../db/db'
import {
  batches,
  heldRecords,
  importExperiment,
  importFrame,
  importSample,
  importTask,
  putMissingBlobs,
  sendImport,
  type IncomingFile,
} from '../../db/transfer'
import { postRequests, prepareRequests } from '../../db/submit'
import { sha256Hex } from '../../lib/bytes'
import { movableItems, moveKeys, planMove, unconfirmed, type MoveProgress } from './move-plan'

/*
 * The move of the browser's old library to the gateway. Files first, by their SHA-256 (computed here, checked again by
 * the gateway against the bytes), then the records that name them, a part at a time; waiting requests join the
 * gateway's queue. Cut short (Pause, a reload, a closed tab), it starts again from what the gateway says it holds, and
 * sends only the rest: every step is idempotent. The old library is deleted only once the gateway confirms every item.
 */

/** Samples and frames per part: their files are read and hashed one by one, then their records sent together. */
const PART = 50

export interface MoveOptions {
  signal?: AbortSignal | undefined
  onProgress?: ((p: MoveProgress) => void) | undefined
}

export interface MoveOutcome {
  /** Items now on the gateway (records and requests), 0 when there was nothing to move. */
  moved: number
  /** Requests that had failed to send: left behind, not sent again. */
  failedRequests: number
  /** Waiting requests that could not be rebuilt (a model gone, a frame lost): left behind too. */
  unbuilt: number
}

/** Why the move stopped short of deleting the old library: said with the way out; nothing was deleted. */
export class MoveProblem extends Error {
  override name = 'MoveProblem'
}

function throwIfStopped(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DOMException('Paused', 'AbortError')
}

/** A Blob with the type the gateway checks its bytes against (an old copy may carry none). */
const typed = (blob: Blob, type: string) => (blob.type === type ? blob : new Blob([blob], { type }))

export async function moveLibrary({ signal, onProgress }: MoveOptions = {}): Promise<MoveOutcome> {
  const legacy = await import('../../db/legacy-library')
  const old = await legacy.readLegacyLibrary()
  const items = movableItems(old)
  const keys = moveKeys(items)
  const plan = planMove(items, await heldRecords(keys, { signal }), old.videos)
  const progress: MoveProgress = { done: plan.done, total: plan.total, bytesDone: plan.bytesDone, bytesTotal: plan.bytesTotal }
  const report = () => onProgress?.({ ...progress })
  const counted = { signal, onCall: (n: number) => ((progress.done += n), report()) }
  const bytes = { signal, onBytes: (n: number) => ((progress.bytesDone += n), report()) }
  report()

  for (const part of batches(plan.send.frames, PART)) {
    throwIfStopped(signal)
    const files: IncomingFile[] = []
    const records = []
    for (const f of part) {
      files.push({ sha256: f.hash, blob: typed(f.blob, f.mime) })
      const thumb = f.thumb && typed(f.thumb, 'image/jpeg')
      const thumbSha256 = thumb && (await sha256Hex(thumb))
      if (thumb && thumbSha256) files.push({ sha256: thumbSha256, blob: thumb })
      records.push(importFrame(f, thumbSha256))
    }
    await putMissingBlobs(files, bytes)
    await sendImport({ frames: records }, counted)
  }
  throwIfStopped(signal)
  await sendImport(
    { prompts: plan.send.prompts, experiments: plan.send.experiments.map(importExperiment), tasks: plan.send.tasks.map(importTask) },
    counted,
  )

  for (const part of batches(plan.send.samples, PART)) {
    throwIfStopped(signal)
    const files: IncomingFile[] = []
    const records = []
    for (const s of part) {
      const video = old.videos.get(s.id)
      if (!video) {
        // Never kept in this browser: the gateway copies it while its link lives.
        records.push(importSample(s))
        continue
      }
      const blob = typed(video.blob, 'video/mp4')
      let sha256 = video.sha256
      if (!sha256) {
        sha256 = await sha256Hex(blob)
        await legacy.rememberVideoHash(s.id, sha256)
      }
      files.push({ sha256, blob })
      const poster = video.poster && typed(video.poster, 'image/jpeg')
      const posterSha256 = poster && (await sha256Hex(poster))
      if (poster && posterSha256) files.push({ sha256: posterSha256, blob: poster })
      records.push(importSample(s, { videoSha256: sha256, posterSha256 }))
    }
    await putMissingBlobs(files, bytes)
    await sendImport({ samples: records }, counted)
  }

  throwIfStopped(signal)
  const unbuilt = await moveRequests(items.requests)
  progress.done += items.requests.length
  report()

  const missing = unconfirmed(items, await heldRecords(keys, { signal }))
  if (missing.length)
    throw new MoveProblem(
      `The gateway has not confirmed ${missing.length === 1 ? '1 item' : `${missing.length} items`} of your library, so nothing was deleted from this browser. Try again.`,
    )
  await legacy.deleteLegacyLibrary()
  return { moved: progress.total - unbuilt, failedRequests: items.failedRequests, unbuilt }
}

/**
 * Requests still waiting in the old queue join the gateway's, under their own ids (its idempotency keys: sent again
 * after a cut, they are the same requests). Their bodies are built as the studio builds every request, from frames
 * already on the gateway. One that cannot be built any more is left behind; returns how many.
 */
async function moveRequests(waiting: readonly QueueItem[]): Promise<number> {
  let unbuilt = 0
  for (const part of batches(waiting, PART)) {
    const prepared = []
    for (const q of part) {
      try {
        prepared.push(
          ...(await prepareRequests([
            { id: q.id, provider: q.provider, request: q.request, retryOf: q.retryOf, experimentId: q.experimentId, cell: q.cell },
          ])),
        )
      } catch {
        unbuilt += 1
      }
    }
    if (prepared.length) await postRequests(prepared)
  }
  return unbuilt
}
