// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { cn } from './cn'

// In the unit tests cn is the checking one from test-setup.ts: these say that check works.
describe('cn', () => {
  it('joins classes and conditions as they are', () => {
    expect(cn('flex gap-2', false, undefined, 'text-ui', ['px-2', { 'py-1': true, 'py-2': false }])).toBe('flex gap-2 text-ui px-2 py-1')
  })

  it('fails on two classes that set the same thing, naming the one that loses', () => {
    expect(() => cn('text-ui text-zinc-300', 'text-ui-sm')).toThrow(/overrides: text-ui \(/)
    expect(() => cn('h-8 px-2.5', 'px-2')).toThrow(/px-2\.5/)
    expect(() => cn('text-zinc-400', 'text-zinc-50')).toThrow(/text-zinc-400/)
  })

  it('lets classes for other states or properties sit side by side', () => {
    expect(
      cn('text-zinc-300 hover:text-zinc-100 disabled:text-zinc-600', 'text-ui-sm', 'border-line aria-[invalid=true]:border-red-500'),
    ).toContain('hover:text-zinc-100')
  })
})
