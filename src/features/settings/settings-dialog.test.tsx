import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { answerWith, withFakeLibrary } from '../../test/fake-library'
import { SettingsDialog } from './settings-dialog'

const library = withFakeLibrary()
const KEY = 'sk-test-key-not-real-123456'

afterEach(() => localStorage.clear())

async function openOnJiekou() {
  const onClose = vi.fn<() => void>()
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <SettingsDialog onClose={onClose} />
    </QueryClientProvider>,
  )
  const dialog = screen.getByRole('dialog', { name: 'Settings' })
  await userEvent.click(within(dialog).getByRole('radio', { name: 'jiekou.ai' }))
  return { dialog: within(dialog), onClose }
}

describe('Settings › API key', () => {
  it('goes to the gateway, which keeps it: the browser keeps none', async () => {
    const { dialog, onClose } = await openOnJiekou()
    const field = dialog.getByLabelText('API key')
    expect(field).toHaveAttribute('type', 'password')
    expect(field).toHaveAttribute('placeholder', 'Paste your jiekou.ai key')
    await userEvent.type(field, KEY)
    await userEvent.click(dialog.getByRole('button', { name: 'Done' }))
    await vi.waitFor(() => expect(onClose).toHaveBeenCalledOnce())
    expect(library.keptKey).toBe(KEY)
    expect(library.calls.find((c) => c.method === 'PUT')).toMatchObject({ path: '/settings/provider-key', body: { key: KEY } })
    expect(JSON.stringify({ ...localStorage })).not.toContain(KEY)
  })

  it('shows that the gateway holds one, never the key itself, and forgets it on the gateway', async () => {
    library.keptKey = KEY
    library.settings.providerKey = { held: true, source: 'gateway' }
    const { dialog } = await openOnJiekou()
    const field = await dialog.findByPlaceholderText('A key is kept on the gateway')
    expect(field).toHaveValue('')
    expect(field).toHaveAccessibleDescription(/^The gateway keeps your key in its data folder and never shows it again\./)
    expect(document.body.innerHTML).not.toContain(KEY.slice(-4))
    await userEvent.click(dialog.getByRole('button', { name: 'Forget key' }))
    await vi.waitFor(() => expect(library.keptKey).toBeUndefined())
    expect(await dialog.findByPlaceholderText('Paste your jiekou.ai key')).toBeVisible()
    expect(dialog.queryByRole('button', { name: 'Forget key' })).toBeNull()
  })

  it('a key the gateway refuses keeps the dialog open, with its words under the field', async () => {
    const { dialog, onClose } = await openOnJiekou()
    await userEvent.type(dialog.getByLabelText('API key'), 'short')
    await userEvent.click(dialog.getByRole('button', { name: 'Done' }))
    expect(await dialog.findByRole('alert')).toHaveTextContent(
      'API key: paste the key from your jiekou.ai console (8 to 512 characters, no spaces).',
    )
    expect(dialog.getByLabelText('API key')).toHaveAttribute('aria-invalid', 'true')
    expect(onClose).not.toHaveBeenCalled()
  })

  it('Test connection with no key says so, and asks nobody', async () => {
    const { dialog } = await openOnJiekou()
    await dialog.findByPlaceholderText('Paste your jiekou.ai key')
    await userEvent.click(dialog.getByRole('button', { name: 'Test connection' }))
    expect(await dialog.findByRole('status')).toHaveTextContent('No key yet: add your jiekou.ai key above, then test again.')
  })

  it('Test connection saves the typed key first, then asks jiekou.ai through the gateway with no key from the browser', async () => {
    const sent: (string | null)[] = []
    answerWith(
      http.get('*/api/jiekou/*', ({ request }) => {
        sent.push(request.headers.get('authorization'))
        return HttpResponse.json({ code: 404, reason: 'TASK_NOT_FOUND', message: 'task not found', metadata: {} }, { status: 404 })
      }),
    )
    const { dialog } = await openOnJiekou()
    await userEvent.type(dialog.getByLabelText('API key'), KEY)
    await userEvent.click(dialog.getByRole('button', { name: 'Test connection' }))
    expect(await dialog.findByText('Connected to jiekou.ai; the key was accepted.')).toBeVisible()
    expect(library.keptKey).toBe(KEY)
    expect(sent).toEqual([null])
  })

  it('a key set on the gateway (JIEKOU_API_KEY) wins: nothing to enter here', async () => {
    library.settings.providerKey = { held: true, source: 'server' }
    const { dialog } = await openOnJiekou()
    expect(await dialog.findByText('The server holds the key. You do not need to enter one.')).toBeVisible()
    expect(dialog.queryByLabelText('API key')).toBeNull()
  })
})
