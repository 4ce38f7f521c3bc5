import { useCallback, useSyncExternalStore } from 'react'
import { describeError, isApiError, type ErrorWords } from '../../api/errors'
import { isCancel, TransferProblem } from './problems'

export type TransferState =
  | { kind: 'idle' }
  | { kind: 'running'; cancellable: boolean }
  | { kind: 'done'; note: string }
  | { kind: 'failed'; words: ErrorWords }

/** The gateway's answer when its disk has no room for a file (blob-upload.ts). */
const DISK_FULL = 507

/** Why an export or import failed, in words: a full disk on the gateway has its own way out. */
export function transferWords(e: unknown, doing: 'export' | 'import'): ErrorWords {
  if (e instanceof TransferProblem) return { message: e.message, details: e.details }
  const lost = doing === 'import' ? 'nothing was imported' : 'no file was saved'
  if (isApiError(e) && e.status === DISK_FULL)
    return {
      message: `There is not enough room on the gateway's disk for this ${doing}: ${lost}. Free space on the gateway's disk (Settings › Storage), then try again.`,
      details: e.message,
    }
  const words = isApiError(e) ? describeError(e) : undefined
  return {
    message: `The ${doing} failed: ${lost}. ${words ? words.message : 'Try again.'}`,
    details: words ? words.details : e instanceof Error ? `${e.name}: ${e.message}` : String(e),
  }
}

/*
 * The running export or import lives here, in the module, not in the component that started it: closing Settings (or
 * the board) mid-way goes on with the work, an export still saves its file, and the section shows the job again,
 * progress or outcome, when it is opened again. One job per key ("import", "export:gallery"...).
 */
interface Job {
  state: TransferState
  /** Whole percents, so a big file re-renders 100 times, not thousands. */
  percent: number
  controller: AbortController | undefined
  listeners: Set<() => void>
}

const jobs = new Map<string, Job>()
const IDLE: TransferState = { kind: 'idle' }

function jobOf(key: string): Job {
  let job = jobs.get(key)
  if (!job) jobs.set(key, (job = { state: IDLE, percent: 0, controller: undefined, listeners: new Set() }))
  return job
}

function update(job: Job, change: Partial<Pick<Job, 'state' | 'percent'>>): void {
  Object.assign(job, change)
  for (const l of Array.from(job.listeners)) l()
}

type TransferWork = (io: { signal: AbortSignal; onProgress(f: number): void; uncancellable(): void }) => Promise<string>

/** Starts `work` as the job of `key`, unless one runs already; resolves when it has ended, whoever watches. */
export async function startTransfer(key: string, doing: 'export' | 'import', work: TransferWork): Promise<void> {
  const job = jobOf(key)
  if (job.state.kind === 'running') return
  const abort = new AbortController()
  job.controller = abort
  update(job, { state: { kind: 'running', cancellable: true }, percent: 0 })
  try {
    const note = await work({
      signal: abort.signal,
      onProgress: (f) => {
        const percent = Math.round(f * 100)
        if (percent !== job.percent) update(job, { percent })
      },
      uncancellable: () => update(job, { state: { kind: 'running', cancellable: false } }),
    })
    update(job, { state: { kind: 'done', note } })
  } catch (e) {
    update(job, {
      state: isCancel(e)
        ? { kind: 'done', note: doing === 'export' ? 'Export cancelled.' : 'Import cancelled: nothing was imported.' }
        : { kind: 'failed', words: transferWords(e, doing) },
    })
  } finally {
    if (job.controller === abort) job.controller = undefined
  }
}

/** For tests: forget every job. */
export function resetTransfers(): void {
  for (const job of jobs.values()) job.controller?.abort()
  jobs.clear()
}

/**
 * One export or import at a time per `key`, with its progress (0…1) and Cancel (an AbortController). `run` gets the
 * signal and a progress callback, and returns the note. Unmounting does not stop it (see above).
 */
export function useTransfer(doing: 'export' | 'import', key: string = doing) {
  const subscribe = useCallback(
    (l: () => void) => {
      const job = jobOf(key)
      job.listeners.add(l)
      return () => void job.listeners.delete(l)
    },
    [key],
  )
  const state = useSyncExternalStore(subscribe, () => jobOf(key).state)
  const percent = useSyncExternalStore(subscribe, () => jobOf(key).percent)
  const run = useCallback((work: TransferWork) => startTransfer(key, doing, work), [key, doing])
  const cancel = useCallback(() => jobOf(key).controller?.abort(), [key])
  return { state, progress: percent / 100, run, cancel }
}
