import { act, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CellNote, NOTE_SAVE_DELAY_MS } from './cell-note'

afterEach(() => {
  vi.useRealTimers()
  Object.defineProperty(document, 'visibilityState', { configurable: true, value: 'visible' })
})

const type = (text: string) => fireEvent.change(screen.getByLabelText('Note'), { target: { value: text } })

describe('CellNote', () => {
  it('keeps a note 300 ms after typing pauses', () => {
    vi.useFakeTimers()
    const onSave = vi.fn<(note: string) => void>()
    render(<CellNote saved="" onSave={onSave} />)
    expect(NOTE_SAVE_DELAY_MS).toBe(300)
    fireEvent.focus(screen.getByLabelText('Note'))
    type('warm light')
    act(() => vi.advanceTimersByTime(NOTE_SAVE_DELAY_MS - 1))
    expect(onSave).not.toHaveBeenCalled()
    act(() => vi.advanceTimersByTime(1))
    expect(onSave).toHaveBeenCalledExactlyOnceWith('warm light')
  })

  it('saves a pending note at once when the page is left (pagehide), and only once', () => {
    vi.useFakeTimers()
    const onSave = vi.fn<(note: string) => void>()
    render(<CellNote saved="" onSave={onSave} />)
    fireEvent.focus(screen.getByLabelText('Note'))
    type('typed just before a reload')
    act(() => void window.dispatchEvent(new Event('pagehide')))
    expect(onSave).toHaveBeenCalledExactlyOnceWith('typed just before a reload')
    act(() => vi.advanceTimersByTime(NOTE_SAVE_DELAY_MS))
    expect(onSave).toHaveBeenCalledTimes(1)
  })

  it('saves a pending note when the page is hidden, not when it shows again, and nothing when nothing is pending', () => {
    const onSave = vi.fn<(note: string) => void>()
    render(<CellNote saved="" onSave={onSave} />)
    act(() => void window.dispatchEvent(new Event('pagehide')))
    expect(onSave).not.toHaveBeenCalled()
    fireEvent.focus(screen.getByLabelText('Note'))
    type('hidden tab')
    act(() => void document.dispatchEvent(new Event('visibilitychange')))
    expect(onSave).not.toHaveBeenCalled()
    Object.defineProperty(document, 'visibilityState', { configurable: true, value: 'hidden' })
    act(() => void document.dispatchEvent(new Event('visibilitychange')))
    expect(onSave).toHaveBeenCalledExactlyOnceWith('hidden tab')
  })
})
