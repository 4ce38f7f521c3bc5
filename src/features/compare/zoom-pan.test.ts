// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { WHOLE_VIEW, clampView, panBy, panRoom, viewTransform, zoomTo } from './zoom-pan'

describe('zoom and pan', () => {
  it.each([
    [1, 0],
    [2, 0.25],
    [4, 0.375],
  ])('at %i× the centre may move ±%f', (zoom, room) => expect(panRoom(zoom)).toBe(room))

  it('keeps the view inside the picture', () => {
    expect(clampView({ zoom: 2, x: 0.4, y: -0.4 })).toEqual({ zoom: 2, x: 0.25, y: -0.25 })
    expect(clampView({ zoom: 1, x: 0.1, y: 0 })).toEqual({ zoom: 1, x: 0, y: 0 })
  })

  it('zooming out pulls a panned view back inside', () => {
    expect(zoomTo({ zoom: 4, x: 0.3, y: 0.3 }, 2)).toEqual({ zoom: 2, x: 0.25, y: 0.25 })
  })

  it('a drag moves the picture with the pointer: the centre goes the other way, less when zoomed in', () => {
    expect(panBy({ zoom: 2, x: 0, y: 0 }, 100, 0, 800, 450)).toEqual({ zoom: 2, x: -100 / 1600, y: 0 })
    expect(panBy({ zoom: 4, x: 0, y: 0 }, 0, -90, 800, 450)).toEqual({ zoom: 4, x: 0, y: 90 / 1800 })
    expect(panBy(WHOLE_VIEW, 300, 300, 800, 450)).toEqual(WHOLE_VIEW)
    expect(panBy({ zoom: 2, x: 0.1, y: 0 }, 5, 5, 0, 0)).toEqual({ zoom: 2, x: 0.1, y: 0 })
  })

  it('writes the transform: scale about the centre, then shift the picture', () => {
    expect(viewTransform(WHOLE_VIEW)).toBeUndefined()
    expect(viewTransform({ zoom: 2, x: 0.25, y: -0.1 })).toBe('scale(2) translate(-25%, 10%)')
  })
})
