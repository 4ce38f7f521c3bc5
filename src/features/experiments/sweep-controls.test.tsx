import { act, render, renderHook, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { useConnectionActions } from '../../api/connection-store'
import { DEFAULT_CONFIRM_SWEEP_ABOVE, DEFAULT_REQUESTS_PER_MINUTE, useStudioSettingsActions } from '../../api/studio-settings'
import { db, type StoredRequest } from '../../db/db'
import SweepControls from './sweep-controls'
import { useSweepActions } from './sweep-store'

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
  settings.setRequestsPerMinute(DEFAULT_REQUESTS_PER_MINUTE)
  settings.setPrice(MODEL, {})
  renderHook(() => useConnectionActions()).result.current.setProvider('local')
  window.history.replaceState(null, '', '/')
})

afterEach(async () => {
  await db.delete()
  await db.open()
})

const summary = () => screen.getByText(/^\d+ tasks?$/).closest('p')!

async function fillSweep(variants: string, seeds: string, hrefOf = (id: string) => `/experiments/${id}`) {
  const user = userEvent.setup()
  render(<SweepControls draft={draft} check={check} hrefOf={hrefOf} />)
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

  it('runs a sweep at the threshold without asking, writes the board and its queue, and opens the board', async () => {
    const user = await fillSweep('a {red|blue} kite', '11, 22')
    await user.click(screen.getByRole('button', { name: 'Run sweep' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    await expect.poll(() => window.location.pathname).toMatch(/^\/experiments\/[\w-]+$/)

    const [experiment] = await db.experiments.toArray()
    expect(window.location.pathname).toBe(`/experiments/${experiment!.id}`)
    expect(experiment!.name).toBe('a red kite')
    expect(experiment!.rows).toEqual(['a red kite', 'a blue kite'])
    expect(experiment!.columns).toEqual([{ seed: 11 }, { seed: 22 }])
    const queue = await db.queue.orderBy('createdAt').toArray()
    expect(queue.map((q) => [q.cell, q.request.params.prompt, q.request.params.seed, q.provider, q.experimentId])).toEqual([
      [{ row: 0, col: 0 }, 'a red kite', 11, 'local', experiment!.id],
      [{ row: 0, col: 1 }, 'a red kite', 22, 'local', experiment!.id],
      [{ row: 1, col: 0 }, 'a blue kite', 11, 'local', experiment!.id],
      [{ row: 1, col: 1 }, 'a blue kite', 22, 'local', experiment!.id],
    ])
    expect(queue[0]!.request.frames).toEqual(draft.frames)
  })

  it('asks first above the threshold, with the same summary; Cancel writes nothing, Run runs', async () => {
    act(() => settings.setConfirmSweepAbove(3))
    const user = await fillSweep('a {red|blue} kite', '11, 22')
    await user.click(screen.getByRole('button', { name: 'Run sweep' }))
    const dialog = screen.getByRole('dialog', { name: 'Run this sweep?' })
    expect(dialog).toHaveTextContent('4 tasks · 4 videos · 32 s of video')
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(await db.experiments.count()).toBe(0)

    await user.click(screen.getByRole('button', { name: 'Run sweep' }))
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Run' }))
    await expect.poll(() => db.experiments.count()).toBe(1)
    expect(await db.queue.count()).toBe(4)
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
    expect(await db.experiments.count()).toBe(1)
    expect(await db.queue.count()).toBe(1)
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
    expect(await db.experiments.count()).toBe(0)
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }))

    act(() => settings.setConfirmSweepAbove(8))
    await user.keyboard('{Control>}{Enter}{/Control}')
    await expect.poll(() => db.experiments.count()).toBe(1)
    expect(await db.queue.count()).toBe(4)
  })

  it('Ctrl+Enter does nothing while the sweep cannot run, and the hint is gone', async () => {
    const user = await fillSweep('kite', '11, 2x')
    expect(screen.getByRole('button', { name: 'Run sweep' }).querySelector('kbd')).toBeNull()
    await user.keyboard('{Control>}{Enter}{/Control}')
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(await db.experiments.count()).toBe(0)
  })

  it('the confirm says how long sending takes at Requests per minute, in plain words', async () => {
    act(() => settings.setConfirmSweepAbove(3))
    act(() => settings.setRequestsPerMinute(2))
    const user = await fillSweep('a {red|blue|green} kite', '1, 2, 3')
    await user.click(screen.getByRole('button', { name: 'Run sweep' }))
    const dialog = screen.getByRole('dialog', { name: 'Run this sweep?' })
    expect(dialog).toHaveTextContent('Larger than 3 tasks: Settings asks before these.')
    expect(dialog).toHaveTextContent('Sends over about 5 min at 2 requests per minute')
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    // Within a minute: no time line.
    act(() => settings.setRequestsPerMinute(10))
    await user.click(screen.getByRole('button', { name: 'Run sweep' }))
    expect(screen.getByRole('dialog')).not.toHaveTextContent('Sends over')
    act(() => settings.setRequestsPerMinute(DEFAULT_REQUESTS_PER_MINUTE))
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
