import { act, renderHook } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { useUndoActions, useUndoables, type Undoable } from './undo-store'

const item = (key: string): Undoable => ({ key, message: key, until: 0, undo: vi.fn<() => void>(), expire: vi.fn<() => void>() })

describe('the Undo store', () => {
  it('offers each key once, and settles an offer once: by Undo, or by letting it go', () => {
    const { result } = renderHook(() => ({ items: useUndoables(), actions: useUndoActions() }))
    const a = item('a')
    const b = item('b')
    act(() => {
      result.current.actions.offer(a)
      result.current.actions.offer({ ...a, message: 'again' })
      result.current.actions.offer(b)
    })
    expect(result.current.items.map((x) => x.message)).toEqual(['a', 'b'])
    act(() => result.current.actions.settle('a', true))
    act(() => result.current.actions.settle('a', false))
    act(() => result.current.actions.settle('b', false))
    expect(a.undo).toHaveBeenCalledTimes(1)
    expect(a.expire).not.toHaveBeenCalled()
    expect(b.expire).toHaveBeenCalledTimes(1)
    expect(b.undo).not.toHaveBeenCalled()
    expect(result.current.items).toEqual([])
  })
})
