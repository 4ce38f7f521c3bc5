import { fireEvent, render } from '@testing-library/react'
import { useRef } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { useCompareKeys, type CompareKeys } from './use-compare-keys'

type Handlers = Omit<CompareKeys, 'scope' | 'count'>

function Harness({ keys }: { keys: Handlers }) {
  const scope = useRef<HTMLElement>(null)
  useCompareKeys({ ...keys, count: 3, scope })
  return (
    <>
      <section ref={scope} aria-label="Comparison">
        <button type="button">Next frame</button>
        <input type="range" aria-label="Timeline" />
        <input type="radio" aria-label="Side by side" />
      </section>
      <aside>
        <button type="button">Generate</button>
        <textarea aria-label="Prompt" />
      </aside>
    </>
  )
}

function setup() {
  const keys = {
    togglePlay: vi.fn<() => void>(),
    step: vi.fn<(by: number) => void>(),
    solo: vi.fn<(index: number) => void>(),
    toggleWipe: vi.fn<() => void>(),
    pan: vi.fn<(dx: number, dy: number) => void>(),
    close: vi.fn<() => void>(),
  }
  const view = render(<Harness keys={keys} />)
  const press = (target: Element, key: string, init: KeyboardEventInit = {}) => {
    if (target === document.body) (document.activeElement as HTMLElement | null)?.blur()
    else (target as HTMLElement).focus()
    fireEvent.keyDown(target, { key, ...init })
  }
  return { keys, view, press }
}

describe('useCompareKeys', () => {
  it('acts with the focus in the comparison (or nowhere): Space plays, arrows step, digits solo, W wipes, Esc closes', () => {
    const { keys, view, press } = setup()
    const button = view.getByRole('button', { name: 'Next frame' })
    press(view.getByRole('slider', { name: 'Timeline' }), ' ')
    press(document.body, 'ArrowRight')
    press(button, 'ArrowLeft')
    press(button, '2')
    press(button, 'w')
    press(button, 'ArrowUp', { shiftKey: true })
    press(button, 'Escape')
    expect(keys.togglePlay).toHaveBeenCalledTimes(1)
    expect(keys.step.mock.calls).toEqual([[1], [-1]])
    expect(keys.solo).toHaveBeenCalledWith(1)
    expect(keys.toggleWipe).toHaveBeenCalledTimes(1)
    expect(keys.pan).toHaveBeenCalledWith(0, -0.05)
    expect(keys.close).toHaveBeenCalledTimes(1)
  })

  it('leaves the Compose panel its keys: Space presses its button, digits type in its prompt', () => {
    const { keys, view, press } = setup()
    press(view.getByRole('button', { name: 'Generate' }), ' ')
    press(view.getByRole('textbox', { name: 'Prompt' }), '2')
    press(view.getByRole('textbox', { name: 'Prompt' }), 'Escape')
    expect(keys.togglePlay).not.toHaveBeenCalled()
    expect(keys.solo).not.toHaveBeenCalled()
    expect(keys.close).not.toHaveBeenCalled()
  })

  it('leaves a focused button and radio their Space (it presses them), a slider and radios their arrows', () => {
    const { keys, view, press } = setup()
    press(view.getByRole('button', { name: 'Next frame' }), ' ')
    press(view.getByRole('radio', { name: 'Side by side' }), ' ')
    expect(keys.togglePlay).not.toHaveBeenCalled()
    press(view.getByRole('slider', { name: 'Timeline' }), 'ArrowRight')
    press(view.getByRole('radio', { name: 'Side by side' }), 'ArrowLeft')
    press(view.getByRole('slider', { name: 'Timeline' }), '4')
    expect(keys.step).not.toHaveBeenCalled()
    // A digit beyond the samples (three here) does nothing.
    expect(keys.solo).not.toHaveBeenCalled()
  })

  it('a held key toggles once; Esc belongs to an Undo toast while one shows', () => {
    const { keys, view, press } = setup()
    const button = view.getByRole('button', { name: 'Next frame' })
    press(document.body, ' ', { repeat: true })
    press(button, 'w', { repeat: true })
    expect(keys.togglePlay).not.toHaveBeenCalled()
    expect(keys.toggleWipe).not.toHaveBeenCalled()
    const toast = document.createElement('div')
    toast.setAttribute('data-toast', '')
    document.body.append(toast)
    press(button, 'Escape')
    expect(keys.close).not.toHaveBeenCalled()
    toast.remove()
  })
})
