/*
 * One name for each state of a request, used alike on the board's header and cells, the task cards and the status
 * line: a sweep that reads "2 waiting to send" in one place never reads "Queued" or "Sent · waiting to render" in
 * another. The states follow a request from the press to its video:
 *   waiting to send → sent → rendering 40 % → done
 *                         ↘ failed        (refused, lost, or given up on)
 *   waiting to send → cancelled           (Cancel sweep, before it went out)
 */

export type RequestState = 'waiting' | 'sent' | 'rendering' | 'done' | 'failed' | 'cancelled'

/** What the studio knows of a request: its place in the gateway's queue, or its task's status at the provider. */
export type RequestStage =
  | { queue: 'queued' | 'sending' | 'failed' | 'cancelled' }
  | { status: string; progressPercent?: number | undefined; lost?: boolean | undefined }

export function requestStateOf(stage: RequestStage): RequestState {
  if ('queue' in stage) {
    if (stage.queue === 'failed') return 'failed'
    if (stage.queue === 'cancelled') return 'cancelled'
    return 'waiting'
  }
  if (stage.lost) return 'failed'
  switch (stage.status) {
    case 'TASK_STATUS_SUCCEED':
      return 'done'
    case 'TASK_STATUS_FAILED':
      return 'failed'
    case 'TASK_STATUS_PROCESSING':
      return 'rendering'
    default:
      // Queued at the provider, or a status this studio does not know yet: it has left the studio.
      return 'sent'
  }
}

const NAMES: Record<RequestState, string> = {
  waiting: 'Waiting to send',
  sent: 'Sent',
  rendering: 'Rendering',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
}

/** The state's name, as a label starts: "Waiting to send", "Rendering 40 %". */
export function requestStateName(state: RequestState, progressPercent?: number): string {
  if (state === 'rendering' && progressPercent !== undefined) return `Rendering ${Math.round(progressPercent)} %`
  return NAMES[state]
}

/** A count of requests in one state, as a header says it: "2 waiting to send", "1 rendering", "4 done". */
export function requestStateCount(state: RequestState, count: number): string {
  return `${count} ${NAMES[state].toLowerCase()}`
}
