import type { ExperimentRecord, FrameRecord, PromptRecord, QueueItem, SampleRecord, TaskRecord } from '../../db/db'
import type { LegacyLibrary, LegacyVideo } from '../../db/legacy-library'
import { IMPORT_ORDER, type ImportKind } from '../../db/transfer'
import { formatBytes, plural } from '../../lib/format'

/*
 * The move's plan, pure: which of the old library's records go across, which of them the gateway holds already (a move
 * cut short and started again sends only the rest), and how far along it is, in items and bytes.
 */

/** What goes across, by kind, as the old library holds it. */
export interface MoveItems {
  frames: FrameRecord[]
  prompts: PromptRecord[]
  experiments: ExperimentRecord[]
  tasks: TaskRecord[]
  samples: SampleRecord[]
  /** Requests still waiting to be sent: they join the gateway's queue. */
  requests: QueueItem[]
  /** Requests that had failed to send: not sent again by the move (that would spend without being asked). */
  failedRequests: number
}

/** The gateway's longest prompt (server/library/api/record-schemas.ts): a longer one was never sendable. */
const PROMPT_MAX = 4000

/**
 * What of the old library goes across: everything but what was deleted (a sample or an experiment whose Undo had
 * passed; the old studio purged them at its next start) and what cannot stand alone (a sample whose task is gone).
 */
export function movableItems(old: Omit<LegacyLibrary, 'videos'>): MoveItems {
  const gone = new Set(old.experiments.filter((e) => e.deletedAt !== undefined).map((e) => e.id))
  const onBoardGone = (r: { experimentId?: string | undefined }) => r.experimentId !== undefined && gone.has(r.experimentId)
  const tasks = old.tasks.filter((t) => !onBoardGone(t))
  const taskIds = new Set(tasks.map((t) => t.id))
  const waiting = old.queue.filter((q) => !q.cancelled && !onBoardGone(q))
  return {
    frames: old.frames,
    prompts: old.prompts.filter((p) => p.text.trim() !== '' && p.text.length <= PROMPT_MAX),
    experiments: old.experiments.filter((e) => e.deletedAt === undefined),
    tasks,
    samples: old.samples.filter((s) => s.deletedAt === undefined && taskIds.has(s.taskRecordId)),
    requests: waiting.filter((q) => q.state === 'queued' || q.state === 'sending'),
    failedRequests: waiting.filter((q) => q.state === 'failed').length,
  }
}

/** The keys POST /import/held is asked about: every record that goes across. */
export function moveKeys(items: MoveItems): Record<ImportKind, string[]> {
  return {
    frames: items.frames.map((f) => f.hash),
    prompts: items.prompts.map((p) => p.text),
    experiments: items.experiments.map((e) => e.id),
    tasks: items.tasks.map((t) => t.id),
    samples: items.samples.map((s) => s.id),
  }
}

/** The bytes an item brings: a sample its video and poster, a frame its picture and thumbnail. */
export const sampleBytes = (v: LegacyVideo | undefined) => (v ? v.blob.size + (v.poster?.size ?? 0) : 0)
export const frameBytes = (f: FrameRecord) => f.blob.size + (f.thumb?.size ?? 0)

export interface MovePlan {
  /** The records the gateway does not hold yet, in the order they go. */
  send: Pick<MoveItems, ImportKind>
  /** Items in all (records and waiting requests), and those the gateway holds already. */
  total: number
  done: number
  bytesTotal: number
  bytesDone: number
}

/** What is left to send, given what the gateway holds (`held`, by kind). */
export function planMove(
  items: MoveItems,
  held: Record<ImportKind, ReadonlySet<string>>,
  videos: ReadonlyMap<string, LegacyVideo>,
): MovePlan {
  const keys = moveKeys(items)
  const left = <K extends ImportKind>(kind: K) => items[kind].filter((_, i) => !held[kind].has(keys[kind][i]!)) as MoveItems[K]
  const send = Object.fromEntries(IMPORT_ORDER.map((k) => [k, left(k)])) as MovePlan['send']
  const records = IMPORT_ORDER.reduce((n, k) => n + items[k].length, 0)
  const bytesOfSamples = (list: readonly SampleRecord[]) => list.reduce((n, s) => n + sampleBytes(videos.get(s.id)), 0)
  const bytesOfFrames = (list: readonly FrameRecord[]) => list.reduce((n, f) => n + frameBytes(f), 0)
  const bytesTotal = bytesOfSamples(items.samples) + bytesOfFrames(items.frames)
  return {
    send,
    total: records + items.requests.length,
    done: IMPORT_ORDER.reduce((n, k) => n + items[k].length - send[k].length, 0),
    bytesTotal,
    bytesDone: bytesTotal - bytesOfSamples(send.samples) - bytesOfFrames(send.frames),
  }
}

/** The keys the gateway does not confirm it holds: empty when every record is across, and only then may the old go. */
export function unconfirmed(items: MoveItems, held: Record<ImportKind, ReadonlySet<string>>): string[] {
  const keys = moveKeys(items)
  return IMPORT_ORDER.flatMap((k) => keys[k].filter((key) => !held[k].has(key)))
}

export interface MoveProgress {
  done: number
  total: number
  bytesDone: number
  bytesTotal: number
}

/** "412 of 1,030 items · 1.2 GB of 3.4 GB". */
export function progressWords({ done, total, bytesDone, bytesTotal }: MoveProgress): string {
  const items = `${done.toLocaleString('en')} of ${total.toLocaleString('en')} ${total === 1 ? 'item' : 'items'}`
  return bytesTotal > 0 ? `${items} · ${size(bytesDone)} of ${size(bytesTotal)}` : items
}

const size = (bytes: number) => (bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : formatBytes(bytes))

/** What the move says when it is done: how many items moved, and what it did not send. */
export function movedWords({ moved, failedRequests, unbuilt }: { moved: number; failedRequests: number; unbuilt: number }): string {
  const count = (n: number, one: string) => plural(n, one).replace(String(n), n.toLocaleString('en'))
  const failed = failedRequests
    ? ` ${count(failedRequests, 'request')} that had failed to send ${failedRequests === 1 ? 'was' : 'were'} not sent again.`
    : ''
  const lost = unbuilt
    ? ` ${count(unbuilt, 'waiting request')} could not be sent any more (its model or a frame is gone) and ${unbuilt === 1 ? 'was' : 'were'} left out.`
    : ''
  return `Moved ${count(moved, 'item')} to the gateway. The old copy in this browser was deleted.${failed}${lost}`
}
