// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { cn } from './cn'

describe('cn', () => {
  it('keeps a text colour beside our font-size tokens', () => {
    expect(cn('text-ui text-zinc-950', 'text-ui-lg')).toBe('text-zinc-950 text-ui-lg')
  })
  it('treats the small steps as sizes too', () => {
    expect(cn('text-ui-xs text-amber-300', 'text-ui-sm')).toBe('text-amber-300 text-ui-sm')
  })
  it('lets a later colour win', () => {
    expect(cn('text-zinc-200', 'text-red-400')).toBe('text-red-400')
  })
})
