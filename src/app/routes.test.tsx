import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { Router } from 'wouter'
import { memoryLocation } from 'wouter/memory-location'
import { withFakeLibrary } from '../test/fake-library'
import { Routes, ViewTabs, experimentPath, paths } from './routes'

const renderAt = (path: string) => {
  const location = memoryLocation({ path, record: true })
  render(
    <QueryClientProvider client={new QueryClient()}>
      <Router hook={location.hook}>
        <ViewTabs />
        <Routes gallery={<p>The gallery</p>} />
      </Router>
    </QueryClientProvider>,
  )
  return location
}

const selectedTab = () => screen.getAllByRole('tab').filter((t) => t.getAttribute('aria-selected') === 'true')

// The Experiments view reads the gateway's library: an empty one here.
withFakeLibrary()

describe('Routes', () => {
  it('shows the gallery at its path, under the Gallery tab', () => {
    renderAt(paths.gallery)
    expect(screen.getByText('The gallery')).toBeInTheDocument()
    expect(selectedTab().map((t) => t.textContent)).toEqual(['Gallery'])
  })

  it('sends an address it does not know to the gallery, replacing it in the history', () => {
    const location = renderAt('/no-such-view')
    expect(screen.getByText('The gallery')).toBeInTheDocument()
    expect(location.history).toEqual([paths.gallery])
  })

  it('loads the Experiments list on demand, under the Experiments tab', async () => {
    renderAt(paths.experiments)
    expect(await screen.findByText('No experiments yet.')).toBeInTheDocument()
    expect(screen.queryByText('The gallery')).toBeNull()
    expect(selectedTab().map((t) => t.textContent)).toEqual(['Experiments'])
  })

  it('keeps the Experiments tab selected on a board', async () => {
    renderAt(experimentPath('abc'))
    expect(await screen.findByText(/This experiment is not in this studio/)).toBeInTheDocument()
    expect(selectedTab().map((t) => t.textContent)).toEqual(['Experiments'])
  })

  it('the tabs are links: each press is a step in the history, so Back returns', async () => {
    const location = renderAt(paths.gallery)
    expect(screen.getByRole('tab', { name: 'Experiments' })).toHaveAttribute('href', paths.experiments)
    await userEvent.click(screen.getByRole('tab', { name: 'Experiments' }))
    expect(await screen.findByText('No experiments yet.')).toBeInTheDocument()
    await userEvent.click(screen.getByRole('tab', { name: 'Gallery' }))
    expect(screen.getByText('The gallery')).toBeInTheDocument()
    expect(location.history).toEqual([paths.gallery, paths.experiments, paths.gallery])
  })

  it('is a whole tabs pattern: the view is the tab panel of the selected tab, and only that tab is in the Tab order', async () => {
    renderAt(experimentPath('abc'))
    const [gallery, experiments] = [screen.getByRole('tab', { name: 'Gallery' }), screen.getByRole('tab', { name: 'Experiments' })]
    const panel = screen.getByRole('tabpanel')
    expect(panel).toHaveAccessibleName('Experiments')
    expect(panel).toHaveAttribute('aria-labelledby', experiments.id)
    for (const tab of [gallery, experiments]) expect(tab).toHaveAttribute('aria-controls', panel.id)
    expect(experiments).toHaveAttribute('tabindex', '0')
    expect(gallery).toHaveAttribute('tabindex', '-1')
    expect(await screen.findByText(/This experiment is not in this studio/)).toBeInTheDocument()
  })

  it('Left and Right move between the tabs and open their views', async () => {
    const location = renderAt(paths.gallery)
    const user = userEvent.setup()
    await user.tab()
    expect(screen.getByRole('tab', { name: 'Gallery' })).toHaveFocus()
    await user.keyboard('{ArrowRight}')
    expect(screen.getByRole('tab', { name: 'Experiments' })).toHaveFocus()
    expect(await screen.findByText('No experiments yet.')).toBeInTheDocument()
    expect(screen.getByRole('tabpanel')).toHaveAccessibleName('Experiments')
    expect(selectedTab().map((t) => t.textContent)).toEqual(['Experiments'])
    await user.keyboard('{ArrowLeft}')
    expect(screen.getByRole('tab', { name: 'Gallery' })).toHaveFocus()
    expect(screen.getByText('The gallery')).toBeInTheDocument()
    // Left from the first tab comes round to the last.
    await user.keyboard('{ArrowLeft}')
    expect(screen.getByRole('tab', { name: 'Experiments' })).toHaveFocus()
    expect(location.history).toEqual([paths.gallery, paths.experiments, paths.gallery, paths.experiments])
  })
})
