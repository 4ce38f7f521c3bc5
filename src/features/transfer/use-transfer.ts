import { useCallback, useEffect, useRef, useState } from 'react'
import type { ErrorWords } from '../../api/errors'
import { isCancel, TransferProblem } from './problems'

export type TransferState =
  | { kind: 'idle' }
  | { kind: 'running'; cancellable: boolean }
  | { kind: 'done'; note: string }
  | { kind: 'failed'; words: ErrorWords }

/** Why a write failed, in words: a full disk has its own way out. */
export function transferWords(e: unknown, doing: 'export' | 'import'): ErrorWords {
  if (e instanceof TransferProblem) return { message: e.message, details: e.details }
  const name = e instanceof Error || e instanceof DOMException ? e.name : ''
  const inner = (e as { inner?: { name?: string } } | null)?.inner?.name
  if (name === 'QuotaExceededError' || inner === 'QuotaExceededError')
    return {
      message: `There is not enough room on this device for this ${doing}: nothing was imported. Free space in Settings › Storage, then try again.`,
      details: e instanceof Error ? e.message : String(e),
    }
  return {
    message: `The ${doing} failed: ${doing === 'import' ? 'nothing was imported' : 'no file was saved'}. Try again.`,
    details: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
  }
}

/**
 * One export or import at a time, with its progress (0…1, whole percents so a big file re-renders 100 times, not
 * thousands) and Cancel (an AbortController). `job` gets the signal and a progress callback, and returns the note.
 */
export function useTransfer(doing: 'export' | 'import') {
  const [state, setState] = useState<TransferState>({ kind: 'idle' })
  const [percent, setPercent] = useState(0)
  const controller = useRef<AbortController | undefined>(undefined)
  useEffect(() => () => controller.current?.abort(), [])

  const run = useCallback(
    async (job: (io: { signal: AbortSignal; onProgress(f: number): void; uncancellable(): void }) => Promise<string>) => {
      const abort = new AbortController()
      controller.current = abort
      setPercent(0)
      setState({ kind: 'running', cancellable: true })
      try {
        const note = await job({
          signal: abort.signal,
          onProgress: (f) => setPercent(Math.round(f * 100)),
          uncancellable: () => setState({ kind: 'running', cancellable: false }),
        })
        setState({ kind: 'done', note })
      } catch (e) {
        setState(
          isCancel(e)
            ? { kind: 'done', note: doing === 'export' ? 'Export cancelled.' : 'Import cancelled: nothing was imported.' }
            : { kind: 'failed', words: transferWords(e, doing) },
        )
      } finally {
        if (controller.current === abort) controller.current = undefined
      }
    },
    [doing],
  )
  const cancel = useCallback(() => controller.current?.abort(), [])
  return { state, progress: percent / 100, run, cancel }
}
