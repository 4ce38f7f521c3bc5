import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { describe, expect, it } from 'vitest'
import { withFakeLibrary } from '../test/fake-library'
import { usePromptHistory } from './prompts'

const library = withFakeLibrary()

const used = (text: string, lastUsedAt: number) => library.prompts.set(text, { text, lastUsedAt, uses: 1 })
const texts = (list: { text: string }[] | undefined) => list?.map((p) => p.text)

describe('usePromptHistory', () => {
  it("lists the gateway's matching prompts, most recently used first, at most `limit`; the last list stays while the next loads", async () => {
    used('slow push in over the hills', 4)
    used('orbit left around the statue', 2)
    used('orbit right around the statue', 3)
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>
    const { result, rerender } = renderHook(({ query, limit }) => usePromptHistory(query, limit), {
      initialProps: { query: 'the', limit: 8 },
      wrapper,
    })
    expect(result.current).toBeUndefined()
    await waitFor(() =>
      expect(texts(result.current)).toEqual([
        'slow push in over the hills',
        'orbit right around the statue',
        'orbit left around the statue',
      ]),
    )
    rerender({ query: ' statue  orbit ', limit: 1 })
    // Not a blank list between two queries: the field's list would close and open again at every key.
    expect(result.current).toHaveLength(3)
    await waitFor(() => expect(texts(result.current)).toEqual(['orbit right around the statue']))
    expect(library.calls.map((c) => c.path)).toEqual(['/prompts?limit=8&q=the', '/prompts?limit=1&q=statue+orbit'])
  })
})
