import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, render, renderHook, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { PromptRecord } from '../../db/db'
import { prompt } from '../../models/fields'
import { withFakeLibrary } from '../../test/fake-library'
import { currentRequest, useComposeActions } from './compose-store'
import { ParamField } from './param-field'

const history = [
  { text: 'slow push in over the hills', lastUsedAt: 1, uses: 1 },
  { text: 'orbit left around the statue', lastUsedAt: 2, uses: 3 },
  { text: 'orbit right around the fountain', lastUsedAt: 3, uses: 1 },
]

const library = withFakeLibrary()
beforeEach(() => renderHook(() => useComposeActions()).result.current.setParam('prompt', ''))

/** The history in the gateway's library, and the field that reads it. */
async function renderPrompt(records = history) {
  for (const r of records) library.prompts.set(r.text, r)
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  render(
    <QueryClientProvider client={client}>
      <ParamField field={prompt} />
    </QueryClientProvider>,
  )
  return { user: userEvent.setup(), field: screen.getByRole('combobox', { name: 'Prompt' }), client }
}

/** A prompt the gateway recorded (it sent a request), and the change feed's word of it. */
async function recorded(client: QueryClient, record: PromptRecord) {
  library.prompts.set(record.text, record)
  await act(() => client.invalidateQueries({ queryKey: ['library', 'prompts'] }))
}

const listed = () => within(screen.getByRole('listbox', { name: 'Prompt history' })).getAllByRole('option')
const promptText = () => currentRequest().params.prompt

describe('the Prompt field with its history', () => {
  it('suggests past prompts holding the typed words, most recent first, with the words marked; not from one letter', async () => {
    const { user, field } = await renderPrompt()
    await user.type(field, 'o')
    expect(field).toHaveAttribute('aria-expanded', 'false')
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument()
    await user.type(field, 'rbit')
    await waitFor(() => expect(listed()).toHaveLength(2))
    expect(field).toHaveAttribute('aria-expanded', 'true')
    expect(listed().map((o) => o.textContent)).toEqual([
      expect.stringMatching(/^orbit right around the fountain/),
      expect.stringMatching(/^orbit left around the statue.*Sent 3 times/),
    ])
    expect(listed()[0]!.querySelector('mark')).toHaveTextContent('orbit')
    await user.type(field, ' statue')
    await waitFor(() => expect(listed()).toHaveLength(1))
    expect(listed()[0]).toHaveTextContent(/^orbit left around the statue/)
  })

  it('opens from two non-space characters: "a " alone is too short, "a b" and "ab" are enough', async () => {
    const { user, field } = await renderPrompt([{ text: 'a boat at dawn', lastUsedAt: 1, uses: 1 }])
    await user.type(field, 'a ')
    expect(field).toHaveAttribute('aria-expanded', 'false')
    await user.type(field, 'b')
    await waitFor(() => expect(listed()).toHaveLength(1))
    await user.clear(field)
    await user.type(field, '  b  ')
    expect(field).toHaveAttribute('aria-expanded', 'false')
    await user.clear(field)
    await user.type(field, 'bo')
    await waitFor(() => expect(listed()).toHaveLength(1))
  })

  it('moves with the arrows and picks with Enter; Enter with nothing highlighted is a new line', async () => {
    const { user, field } = await renderPrompt()
    await user.type(field, 'around')
    await waitFor(() => expect(listed()).toHaveLength(2))
    await user.keyboard('{Enter}')
    expect(promptText()).toBe('around\n')
    await user.keyboard('{ArrowDown}{ArrowDown}')
    expect(field).toHaveAttribute('aria-activedescendant', listed()[1]!.id)
    expect(listed()[1]).toHaveAttribute('aria-selected', 'true')
    await user.keyboard('{ArrowUp}')
    expect(field).toHaveAttribute('aria-activedescendant', listed()[0]!.id)
    await user.keyboard('{ArrowUp}{Enter}')
    expect(promptText()).toBe('orbit left around the statue')
    expect(field).toHaveValue('orbit left around the statue')
    expect(field).toHaveAttribute('aria-expanded', 'false')
    expect(field).not.toHaveAttribute('aria-activedescendant')
    expect(field).toHaveFocus()
  })

  it('leaves Ctrl+Enter to Generate', async () => {
    const { user, field } = await renderPrompt()
    const seen = vi.fn<(e: KeyboardEvent) => void>()
    window.addEventListener('keydown', seen)
    await user.type(field, 'orbit')
    await waitFor(() => expect(listed()).toHaveLength(2))
    await user.keyboard('{ArrowDown}{Control>}{Enter}{/Control}')
    window.removeEventListener('keydown', seen)
    const enter = seen.mock.calls.map(([e]) => e).find((e) => e.key === 'Enter')
    expect(enter?.ctrlKey).toBe(true)
    expect(enter?.defaultPrevented).toBe(false)
    expect(promptText()).toBe('orbit')
  })

  it('closes on Escape, and on leaving the field', async () => {
    const { user, field } = await renderPrompt()
    await user.type(field, 'orbit')
    await waitFor(() => expect(field).toHaveAttribute('aria-expanded', 'true'))
    await user.keyboard('{Escape}')
    expect(field).toHaveAttribute('aria-expanded', 'false')
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument()
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}')
    await waitFor(() => expect(field).toHaveAttribute('aria-expanded', 'true'))
    await user.tab()
    expect(field).toHaveAttribute('aria-expanded', 'false')
  })

  it('lists the whole history from the History button, and a click picks', async () => {
    const { user, field } = await renderPrompt()
    await user.type(field, 'zz')
    await user.click(screen.getByRole('button', { name: 'History' }))
    await waitFor(() => expect(listed()).toHaveLength(3))
    expect(field).toHaveFocus()
    await user.click(listed()[2]!)
    expect(promptText()).toBe('slow push in over the hills')
    expect(field).toHaveAttribute('aria-expanded', 'false')
  })

  it('shows no list and no History button with an empty history, and no list when the only match is the prompt itself', async () => {
    const { user, field, client } = await renderPrompt([])
    await waitFor(() => expect(library.calls).not.toHaveLength(0))
    expect(screen.queryByRole('button', { name: 'History' })).not.toBeInTheDocument()
    await user.type(field, 'orbit')
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}')
    expect(field).toHaveAttribute('aria-expanded', 'false')

    await recorded(client, { text: 'orbit left', lastUsedAt: 1, uses: 1 })
    await user.type(field, ' left')
    await screen.findByRole('button', { name: 'History' })
    expect(field).toHaveAttribute('aria-expanded', 'false')
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument()
  })

  it('compares a past prompt with the current one as a word diff, and can use it', async () => {
    const { user, field } = await renderPrompt()
    await user.type(field, 'orbit left around the fountain')
    await user.click(screen.getByRole('button', { name: 'History' }))
    await waitFor(() => expect(listed()).toHaveLength(3))
    const compare = screen.getAllByRole('button', { name: 'Compare with current prompt' })
    expect(compare[1]).toHaveAccessibleDescription(/^orbit left around the statue/)
    await user.click(compare[1]!)

    const dialog = await screen.findByRole('dialog', { name: 'Prompt diff' })
    const current = within(dialog).getByRole('region', { name: 'Current' })
    const fromHistory = within(dialog).getByRole('region', { name: 'From history' })
    expect(current).toHaveTextContent('orbit left around the removed: fountain')
    expect(within(current).getByRole('deletion')).toHaveTextContent('removed: fountain')
    expect(within(current).queryByRole('insertion')).not.toBeInTheDocument()
    expect(within(fromHistory).getByRole('insertion')).toHaveTextContent('added: statue')
    expect(within(dialog).getByText(/1 word removed · 1 added/)).toBeInTheDocument()

    await user.click(within(dialog).getByRole('button', { name: 'Use history prompt' }))
    expect(promptText()).toBe('orbit left around the statue')
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    expect(field).toHaveFocus()
  })
})
