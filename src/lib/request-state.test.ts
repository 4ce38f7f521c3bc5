// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { requestStateCount, requestStateName, requestStateOf, type RequestStage } from './request-state'

describe('one name for each state of a request', () => {
  const cases: [RequestStage, string][] = [
    [{ queue: 'queued' }, 'Waiting to send'],
    [{ queue: 'sending' }, 'Waiting to send'],
    [{ queue: 'failed' }, 'Failed'],
    [{ queue: 'cancelled' }, 'Cancelled'],
    [{ status: 'TASK_STATUS_QUEUED' }, 'Sent'],
    [{ status: 'TASK_STATUS_UNKNOWN' }, 'Sent'],
    [{ status: 'TASK_STATUS_PROCESSING' }, 'Rendering'],
    [{ status: 'TASK_STATUS_PROCESSING', progressPercent: 39.6 }, 'Rendering 40 %'],
    [{ status: 'TASK_STATUS_SUCCEED' }, 'Done'],
    [{ status: 'TASK_STATUS_FAILED' }, 'Failed'],
    [{ status: 'TASK_STATUS_PROCESSING', lost: true }, 'Failed'],
  ]
  it.each(cases)('%j reads %s', (stage, name) => {
    const progress = 'status' in stage ? stage.progressPercent : undefined
    expect(requestStateName(requestStateOf(stage), progress)).toBe(name)
  })

  it('counts read as a header says them', () => {
    expect(requestStateCount('waiting', 2)).toBe('2 waiting to send')
    expect(requestStateCount('rendering', 1)).toBe('1 rendering')
  })
})
