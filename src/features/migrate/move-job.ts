import { useSyncExternalStore } from 'react'
import { describeError, isApiError, type ErrorWords } from '../../api/errors'
import { libraryWords } from '../../db/submit'
import { moveLibrary, MoveProblem, type MoveOutcome } from './move-library'
import type { MoveProgress } from './move-plan'

/*
 * The move as one job for this page: started once (StrictMode's second effect, or a second panel, joins it), paused
 * with an AbortController, and watched by the panel. Two tabs never move at once: the second waits for the first's
 * lock (Web Locks), then finds the old library gone and has nothing to do.
 */

export type MoveState =
  | { kind: 'idle' }
  | { kind: 'running'; progress: MoveProgress | undefined }
  | { kind: 'paused'; progress: MoveProgress | undefined }
  | { kind: 'failed'; words: ErrorWords; progress: MoveProgress | undefined }
  | { kind: 'done'; outcome: MoveOutcome }

const LOCK = 'veo-studio.library-move'
/** The gateway's answer when its disk has no room for a file. */
const DISK_FULL = 507

let state: MoveState = { kind: 'idle' }
let controller: AbortController | undefined
const listeners = new Set<() => void>()

function set(next: MoveState): void {
  state = next
  for (const l of Array.from(listeners)) l()
}

const progressOf = (s: MoveState) => (s.kind === 'idle' || s.kind === 'done' ? undefined : s.progress)

/** Why the move stopped, in words that end with what stays true: nothing was deleted here. */
export function moveWords(e: unknown): ErrorWords {
  const kept = 'Nothing was deleted from this browser.'
  if (e instanceof MoveProblem) return { message: e.message, details: undefined }
  if (isApiError(e) && e.status === DISK_FULL)
    return {
      message: `The gateway's disk is full, so the move stopped. Free space on the gateway's disk (Settings › Storage), then press Try again. ${kept}`,
      details: e.message,
    }
  const words = isApiError(e) ? libraryWords(e) : describeError(e)
  return { message: `The move stopped: ${words.message} ${kept} Press Try again.`, details: words.details }
}

/** Starts the move, or resumes it from what the gateway holds; a move already running is left to run. */
export function startMove(): void {
  if (state.kind === 'running' || state.kind === 'done') return
  const abort = new AbortController()
  controller = abort
  set({ kind: 'running', progress: progressOf(state) })
  const onProgress = (progress: MoveProgress) => {
    if (state.kind === 'running') set({ kind: 'running', progress })
  }
  const run = () => moveLibrary({ signal: abort.signal, onProgress })
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks
  const moving = (async () => (locks ? await locks.request(LOCK, run) : await run()))()
  void moving.then(
    (outcome) => set({ kind: 'done', outcome }),
    (e: unknown) =>
      set(
        abort.signal.aborted
          ? { kind: 'paused', progress: progressOf(state) }
          : { kind: 'failed', words: moveWords(e), progress: progressOf(state) },
      ),
  )
}

/** Stops after the file or part in hand; Resume (startMove) goes on from there. */
export function pauseMove(): void {
  controller?.abort()
}

export function useMoveState(): MoveState {
  return useSyncExternalStore(
    (l) => (listeners.add(l), () => void listeners.delete(l)),
    () => state,
  )
}

/** For tests: forget the job. */
export function resetMove(): void {
  controller?.abort()
  controller = undefined
  state = { kind: 'idle' }
}
