import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { Router } from 'wouter'
import { memoryLocation } from 'wouter/memory-location'
import { Routes, paths } from './routes'

const renderAt = (path: string) => {
  const location = memoryLocation({ path, record: true })
  render(
    <Router hook={location.hook}>
      <Routes gallery={<p>The gallery</p>} />
    </Router>,
  )
  return location
}

describe('Routes', () => {
  it('shows the gallery at its path', () => {
    renderAt(paths.gallery)
    expect(screen.getByText('The gallery')).toBeInTheDocument()
  })

  it('sends an address it does not know to the gallery, replacing it in the history', () => {
    const location = renderAt('/no-such-view')
    expect(screen.getByText('The gallery')).toBeInTheDocument()
    expect(location.history).toEqual([paths.gallery])
  })
})
