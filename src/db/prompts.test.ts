import { renderHook, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { db } from './db'
import { matchesQuery, recordPrompt, usePromptHistory } from './prompts'

afterEach(async () => {
  await db.delete()
  await db.open()
})

describe('recordPrompt', () => {
  it('keeps a prompt once, trimmed, counting its uses and moving its last use on', async () => {
    await recordPrompt('orbit left', 100)
    await recordPrompt('  orbit left ', 200)
    await recordPrompt('   ', 300)
    expect(await db.prompts.toArray()).toEqual([{ text: 'orbit left', lastUsedAt: 200, uses: 2 }])
  })
})

describe('matchesQuery', () => {
  it.each([
    ['Orbit left over the café', 'orbit CAFE', true],
    ['Orbit left over the café', 'left orbit', true],
    ['Orbit left over the café', 'orbit right', false],
    ['Orbit left', '   ', true],
  ])('%j, %j → %s', (prompt, query, expected) => {
    expect(matchesQuery(prompt, query)).toBe(expected)
  })
})

describe('usePromptHistory', () => {
  it('lists the matching prompts, most recently used first, at most `limit`, and follows new sends', async () => {
    await recordPrompt('slow push in over the hills', 1)
    await recordPrompt('orbit left around the statue', 2)
    await recordPrompt('orbit right around the statue', 3)
    await recordPrompt('slow push in over the hills', 4)
    const { result, rerender } = renderHook(({ query, limit }) => usePromptHistory(query, limit), {
      initialProps: { query: 'the', limit: 8 },
    })
    await waitFor(() =>
      expect(result.current?.map((p) => p.text)).toEqual([
        'slow push in over the hills',
        'orbit right around the statue',
        'orbit left around the statue',
      ]),
    )
    rerender({ query: 'statue orbit', limit: 1 })
    await waitFor(() => expect(result.current?.map((p) => p.text)).toEqual(['orbit right around the statue']))
    await recordPrompt('orbit left around the statue', 5)
    await waitFor(() => expect(result.current?.map((p) => p.text)).toEqual(['orbit left around the statue']))
  })
})
