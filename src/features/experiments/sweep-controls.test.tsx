import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, render, renderHook, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { http, HttpResponse } from 'msw'
import { beforeEach, describe, expect, it } from 'vitest'
import { useConnectionActions } from '../../api/connection-store'
import { DEFAULT_CONFIRM_SWEEP_ABOVE, useStudioSettingsActions } from '../../api/studio-settings'
import type { StoredRequest } from '../../db/db'
import { answerWith, withFakeLibrary } from '../../test/fake-library'
import SweepControls from './sweep-controls'
import { useSweepActions } from './sweep-store'

const library = withFakeLibrary()

const MODEL = 'veo-3.1-generate-firstlastframe'
const frame = (name: string) => ({ kind: 'url' as const, url: `https://example.com/${name}.png` })
const draft: StoredRequest = {
  modelId: MODEL,
  params: { prompt: 'the prompt field', duration_seconds: 8, sample_count: 1, generate_audio: false },
  frames: { first: frame('first'), last: frame('last') },
}
/** Stands in for Generate's checks: a prompt mentioning "forbidden" cannot be sent. */
const check = (r: StoredRequest) => (String(r.params.prompt).includes('forbidden') ? 'Write a kinder prompt.' : undefined)

let settings: ReturnType<typeof useStudioSettingsActions>
beforeEach(() => {
  renderHook(() => useSweepActions()).result.current.reset()
  settings = renderHook(() => useStudioSettingsActions()).result.current
  settings.setConfirmSweepAbove(DEFAULT_CONFIRM_SWEEP_ABOVE)
  settings.setPrice(MODEL, {})
  renderHook(() => useConnectionActions()).result.current.setProvider('local')
  window.history.replaceState(null, '', '/')
})

const experiments = () => [...library.experiments.values()]
/** The requests the gateway holds, in the order they were handed over. */
const queued = () => [...library.requests.values()].sort((a, b) => a.createdAt - b.createdAt)

const summary = () => screen.getByText(/^\d+ tasks?$/).closest('p')!

async function fillSweep(variants: string, seeds: string, hrefOf = (id: string) => `/experiments/${id}`) {
  const user = userEvent.setup()
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  render(
    <QueryClientProvider client={client}>
      <SweepControls draft={draft} check={check} hrefOf={hrefOf} />
    </QueryClientProvider>,
  )
  // userEvent reads braces as key names: {{ types a literal one.
  if (variants) await user.type(screen.getByLabelText('Prompt variants'), variants.replaceAll('{', '{{'))
  if (seeds) await user.type(screen.getByLabelText('Sweep seeds'), seeds)
  return user
}

describe('Sweep controls', () => {
  it('summarises live, the task count in bold, and prices it only once a price is set', async () => {
    await fillSweep('a {red|blue} kite', '11, 22')
    expect(summary()).toHaveTextContent(/^4 tasks · 4 videos · 32 s of video$/)
    expect(summary().querySelector('strong')).toHaveTextContent('4 tasks')
    expect(summary()).toHaveAttribute('aria-live', 'polite')
    act(() => settings.setPrice(MODEL, { silent: 0.2 }))
    expect(summary()).toHaveTextContent(/^4 tasks · 4 videos · 32 s of video · ≈ 6.40$/)
    // The audio choice in use has no price: no cost rather than a wrong one.
    act(() => settings.setPrice(MODEL, { withAudio: 0.4 }))
    expect(summary()).not.toHaveTextContent('≈')
  })

  it('shows the {a|b} expansion, and the Prompt field while the box is empty', async () => {
    const user = await fillSweep('', '')
    expect(screen.getByText('Show the 1 prompt')).toBeInTheDocument()
    expect(screen.getByRole('listitem')).toHaveTextContent('the prompt field')
    await user.type(screen.getByLabelText('Prompt variants'), 'a {{red|blue} kite{Enter}zoom in')
    await user.click(screen.getByText('Show the 3 prompts'))
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['a red kite', 'a blue kite', 'zoom in'])
  })

  it('names the field and the fix for a bad seed, and will not run', async () => {
    await fillSweep('kite', '11, 2x')
    const seeds = screen.getByLabelText('Sweep seeds')
    expect(seeds).toHaveAttribute('aria-invalid', 'true')
    expect(seeds).toHaveAccessibleDescription('Sweep seeds: "2x" is not a seed. Use whole numbers from 0 to 4,294,967,295.')
    expect(screen.getByRole('button', { name: 'Run sweep' })).toBeDisabled()
  })

  it('Random seeds fills in How many seeds from the seed range', async () => {
    const user = await fillSweep('kite', '')
    await user.clear(screen.getByLabelText('How many'))
    await user.type(screen.getByLabelText('How many'), '5')
    await user.click(screen.getByRole('button', { name: 'Random seeds' }))
    const seeds = (screen.getByLabelText('Sweep seeds') as HTMLInputElement).value.split(', ').map(Number)
    expect(seeds).toHaveLength(5)
    expect(new Set(seeds).size).toBe(5)
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s <= 4_294_967_295).toBe(true)
    expect(summary()).toHaveTextContent(/^5 tasks/)
  })

  it('How many out of range stays as typed with a message naming the field and the range', async () => {
    const user = await fillSweep('kite', '')
    const howMany = screen.getByLabelText('How many')
    for (const bad of ['0', '500']) {
      await user.clear(howMany)
      await user.type(howMany, bad)
      await user.tab()
      expect(howMany).toHaveValue(Number(bad))
      expect(howMany).toHaveAttribute('aria-invalid', 'true')
      expect(howMany).toHaveAccessibleDescription('How many: use a whole number from 1 to 16.')
      expect(screen.getByRole('button', { name: 'Random seeds' })).toBeDisabled()
    }
    await user.clear(howMany)
    await user.type(howMany, '3')
    expect(howMany).toHaveAttribute('aria-invalid', 'false')
    expect(screen.queryByText(/How many: use/)).toBeNull()
    await user.click(screen.getByRole('button', { name: 'Random seeds' }))
    expect((screen.getByLabelText('Sweep seeds') as HTMLInputElement).value.split(', ')).toHaveLength(3)
  })

  it('names the first cell that cannot be sent', async () => {
    await fillSweep('a {calm|forbidden} sea', '7, 8')
    expect(screen.getByRole('button', { name: 'Run sweep' })).toBeDisabled()
    expect(screen.getByText('"a forbidden sea" · Seed 7: Write a kinder prompt.')).toBeInTheDocument()
  })

  it('crosses the ticked values of Vary with the seeds', async () => {
    const user = await fillSweep('kite', '1, 2')
    await user.selectOptions(screen.getByLabelText('Vary'), 'Duration')
    const values = screen.getByRole('group', { name: 'Values to try' })
    expect(
      within(values)
        .getAllByRole('checkbox')
        .map((c) => c.parentElement?.textContent),
    ).toEqual(['4 s', '6 s', '8 s'])
    await user.click(within(values).getByRole('checkbox', { name: '6 s' }))
    // 2 durations × 2 seeds; 4 s + 4 s + 8 s + 8 s of video.
    expect(summary()).toHaveTextContent(/^4 tasks · 4 videos · 24 s of video$/)
  })

  it('runs a sweep at the threshold without asking, hands the gateway the board and its requests, and opens the board', async () => {
    const user = await fillSweep('a {red|blue} kite', '11, 22')
    await user.click(screen.getByRole('button', { name: 'Run sweep' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    await expect.poll(() => window.location.pathname).toMatch(/^\/experiments\/[\w-]+$/)

    const [experiment] = experiments()
    expect(window.location.pathname).toBe(`/experiments/${experiment!.id}`)
    expect(experiment).toMatchObject({ name: 'a red kite', rows: ['a red kite', 'a blue kite'], columns: [{ seed: 11 }, { seed: 22 }] })
    expect(library.calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/experiments', '/requests'])
    const requests = queued()
    const params = (q: (typeof requests)[number]) => (q.request as unknown as StoredRequest).params
    expect(requests.map((q) => [q.cell, params(q).prompt, params(q).seed, q.provider, q.experimentId, q.priority])).toEqual([
      [{ row: 0, col: 0 }, 'a red kite', 11, 'local', experiment!.id, 'sweep'],
      [{ row: 0, col: 1 }, 'a red kite', 22, 'local', experiment!.id, 'sweep'],
      [{ row: 1, col: 0 }, 'a blue kite', 11, 'local', experiment!.id, 'sweep'],
      [{ row: 1, col: 1 }, 'a blue kite', 22, 'local', experiment!.id, 'sweep'],
    ])
    expect(requests[0]!.request.frames).toEqual(draft.frames)
    // The exact body the provider gets, frames by their URLs.
    expect(requests[0]!.body).toMatchObject({ prompt: 'a red kite', seed: 11 })
  })

  it('says the sweep was not saved, in the gateway’s words, when it refuses it', async () => {
    answerWith(
      http.post('*/api/library/experiments', () =>
        HttpResponse.json(
          {
            code: 503,
            reason: 'SERVICE_NOT_AVAILABLE',
            message: 'The gateway is starting its runner. Try again in a few seconds.',
            metadata: {},
          },
          { status: 503 },
        ),
      ),
    )
    const user = await fillSweep('a kite', '11')
    await user.click(screen.getByRole('button', { name: 'Run sweep' }))
    expect(
      await screen.findByText(
        'The sweep was not saved, so nothing was sent. The gateway is starting its runner. Try again in a few seconds.',
      ),
    ).toBeVisible()
    expect(window.location.pathname).toBe('/')
    expect(library.requests.size).toBe(0)
    expect(screen.getByRole('button', { name: 'Run sweep' })).toBeEnabled()
  })

  it('asks first above the threshold, with the same summary; Cancel writes nothing, Run runs', async () => {
    act(() => settings.setConfirmSweepAbove(3))
    const user = await fillSweep('a {red|blue} kite', '11, 22')
    await user.click(screen.getByRole('button', { name: 'Run sweep' }))
    const dialog = screen.getByRole('dialog', { name: 'Run this sweep?' })
    expect(dialog).toHaveTextContent('4 tasks · 4 videos · 32 s of video')
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(library.calls.filter((c) => c.method === 'POST')).toEqual([])

    await user.click(screen.getByRole('button', { name: 'Run sweep' }))
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Run' }))
    await expect.poll(() => library.requests.size).toBe(4)
    expect(experiments()).toHaveLength(1)
    await expect.poll(() => window.location.pathname).toMatch(/^\/experiments\//)
  })

  it('writes one sweep for two presses before a render (a double-click), and opens the address the studio gives', async () => {
    await fillSweep('a kite', '11', (id) => `/boards/${id}`)
    const run = screen.getByRole('button', { name: 'Run sweep' })
    // Both presses land before React re-renders: only a guard set at once (a ref) stops the second.
    act(() => {
      run.click()
      run.click()
    })
    await expect.poll(() => window.location.pathname).toMatch(/^\/boards\//)
    expect(experiments()).toHaveLength(1)
    expect(library.requests.size).toBe(1)
  })

  it('Ctrl+Enter runs the sweep as Run sweep does: at once at the threshold, asking first above it, not at all when it cannot run', async () => {
    const user = await fillSweep('a {red|blue} kite', '11, 22')
    expect(screen.getByRole('button', { name: 'Run sweep' })).toHaveAttribute('aria-keyshortcuts', 'Control+Enter')
    expect(screen.getByRole('button', { name: 'Run sweep' }).querySelector('kbd')).toHaveTextContent('Ctrl ↵')
    act(() => settings.setConfirmSweepAbove(3))
    await user.keyboard('{Control>}{Enter}{/Control}')
    expect(screen.getByRole('dialog', { name: 'Run this sweep?' })).toBeInTheDocument()
    // The open dialog keeps the keys: a second Ctrl+Enter does not run behind it.
    await user.keyboard('{Control>}{Enter}{/Control}')
    expect(experiments()).toHaveLength(0)
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }))

    act(() => settings.setConfirmSweepAbove(8))
    await user.keyboard('{Control>}{Enter}{/Control}')
    await expect.poll(() => library.requests.size).toBe(4)
    expect(experiments()).toHaveLength(1)
  })

  it('Ctrl+Enter does nothing while the sweep cannot run, and the hint is gone', async () => {
    const user = await fillSweep('kite', '11, 2x')
    expect(screen.getByRole('button', { name: 'Run sweep' }).querySelector('kbd')).toBeNull()
    await user.keyboard('{Control>}{Enter}{/Control}')
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(experiments()).toHaveLength(0)
  })

  it('the confirm says how long sending takes at the gateway’s Requests per minute, in plain words', async () => {
    act(() => settings.setConfirmSweepAbove(3))
    library.settings.requestsPerMinute = 2
    const user = await fillSweep('a {red|blue|green} kite', '1, 2, 3')
    await user.click(screen.getByRole('button', { name: 'Run sweep' }))
    const dialog = screen.getByRole('dialog', { name: 'Run this sweep?' })
    expect(dialog).toHaveTextContent('Larger than 3 tasks: Settings asks before these.')
    await within(dialog).findByText('Sends over about 5 min at 2 requests per minute')
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))
  })

  it('the confirm says nothing of time when the gateway sends it all within a minute', async () => {
    act(() => settings.setConfirmSweepAbove(3))
    library.settings.requestsPerMinute = 10
    const user = await fillSweep('a {red|blue|green} kite', '1, 2, 3')
    await expect.poll(() => library.calls.some((c) => c.path === '/settings')).toBe(true)
    await user.click(screen.getByRole('button', { name: 'Run sweep' }))
    expect(screen.getByRole('dialog')).not.toHaveTextContent('Sends over')
  })

  it('says plainly that a varied model taking one frame sends the first frame only', async () => {
    const user = await fillSweep('kite', '1')
    expect(screen.queryByText(/uses the first frame only/)).toBeNull()
    await user.selectOptions(screen.getByLabelText('Vary'), 'Model')
    expect(screen.getByText('Veo 3.0 uses the first frame only: its tasks send the first frame.')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Run sweep' })).toHaveAccessibleDescription(/Veo 3\.0 uses the first frame only/)
    await user.click(within(screen.getByRole('group', { name: 'Values to try' })).getByRole('checkbox', { name: 'Veo 3.0' }))
    expect(screen.queryByText(/uses the first frame only/)).toBeNull()
  })

  it('keeps the sweep draft across a reload', async () => {
    await fillSweep('orbit {left|right}', '5')
    const saved = JSON.parse(localStorage.getItem('veo-studio.sweep') ?? '{}') as { state?: Record<string, unknown> }
    expect(saved.state).toMatchObject({ variantsText: 'orbit {left|right}', seedsText: '5' })
  })
})
