import { describe, expect, it } from 'vitest'
import { insidePicture, mulberry32, planMotion } from './motion.ts'

const plan = (prompt: string, seed = 42, sampleIndex = 0, hasLast = false) => planMotion({ prompt, seed, sampleIndex, hasLast })

describe('planMotion', () => {
  it('honours motion words over the seed', () => {
    // Prompt → the move its words ask for, whatever the seed.
    const cases: Record<string, string> = {
      'A slow zoom in on the lighthouse': 'zoom-in',
      'camera pushes in towards the door': 'zoom-in',
      'Zoom out to reveal the city': 'zoom-out',
      'the camera pulls back from the stage': 'zoom-out',
      'pan left across the harbour': 'pan-left',
      'Pan to the right, following the runner': 'pan-right',
      'tilt up to the sky': 'pan-up',
      'tilt down to the street': 'pan-down',
      'static shot, locked-off': 'static',
      'a slow zoom over the valley': 'zoom-in',
    }
    for (const [prompt, move] of Object.entries(cases)) {
      for (const seed of [0, 1, 7, 4294967295]) {
        const p = plan(prompt, seed)
        expect({ prompt, move: p.move, from: p.from.move }).toEqual({ prompt, move, from: 'prompt' })
      }
    }
  })

  it('takes the earliest motion words when there are several', () => {
    expect(plan('zoom out, then pan left').move).toBe('zoom-out')
    expect(plan('pan left, then zoom out').move).toBe('pan-left')
  })

  it('honours speed, easing and transition words', () => {
    expect(plan('slowly zoom in').speed).toBe('slow')
    expect(plan('a fast push in').speed).toBe('fast')
    expect(plan('zoom in, smooth').easing).toBe('ease-in-out')
    expect(plan('zoom in at a constant pace').easing).toBe('linear')
    expect(plan('dip to black between them', 1, 0, true).transition).toBe('dip')
    expect(plan('the day morphs into night', 1, 0, true).transition).toBe('dissolve-push')
    expect(plan('a gentle crossfade', 1, 0, true).transition).toBe('crossfade')
    const slow = plan('slow zoom in', 3)
    const fast = plan('fast zoom in', 3)
    expect(fast.firstEnd.zoom).toBeGreaterThan(slow.firstEnd.zoom)
  })

  it('moves the camera the way the words say', () => {
    expect(plan('zoom in').firstEnd.zoom).toBeGreaterThan(1)
    // A zoom-out starts close and pulls back to the whole frame: it never shows more than the picture.
    expect(plan('zoom out').firstStart.zoom).toBeGreaterThan(1)
    expect(plan('zoom out').firstEnd).toEqual({ zoom: 1, x: 0, y: 0 })
    expect(plan('zoom in').firstStart).toEqual({ zoom: 1, x: 0, y: 0 })
    expect(plan('pan left').firstEnd.x).toBeLessThan(0)
    expect(plan('pan right').firstEnd.x).toBeGreaterThan(0)
    expect(plan('tilt up').firstEnd.y).toBeLessThan(0)
    expect(plan('tilt down').firstEnd.y).toBeGreaterThan(0)
    expect(plan('static').firstEnd).toEqual({ zoom: 1, x: 0, y: 0 })
  })

  it('is deterministic and JSON-serialisable', () => {
    for (const hasLast of [false, true]) {
      const a = planMotion({ prompt: 'a cat on a wall', seed: 123456, sampleIndex: 2, hasLast })
      const b = planMotion({ prompt: 'a cat on a wall', seed: 123456, sampleIndex: 2, hasLast })
      expect(a).toEqual(b)
      expect(JSON.parse(JSON.stringify(a))).toEqual(a)
    }
  })

  it('gives the samples of one task different plans, with or without motion words', () => {
    for (const prompt of ['a quiet forest', 'slow zoom in on a face']) {
      for (const seed of [0, 99, 2 ** 32 - 1]) {
        for (const hasLast of [false, true]) {
          const plans = [0, 1, 2, 3].map((i) => JSON.stringify(planMotion({ prompt, seed, sampleIndex: i, hasLast })))
          expect({ prompt, seed, hasLast, distinct: new Set(plans).size }).toEqual({ prompt, seed, hasLast, distinct: 4 })
        }
      }
    }
    // Without motion words, the four samples also show four different moves.
    const moves = [0, 1, 2, 3].map((i) => plan('a quiet forest', 5, i).move)
    expect(new Set(moves).size).toBe(4)
  })

  it('plans first/last videos that end on the identity and keep the view inside the picture', () => {
    for (let seed = 0; seed < 200; seed++) {
      const p = plan('', seed, seed % 4, true)
      expect(p.lastStart).not.toBeNull()
      expect(p.transition).not.toBeNull()
      const [from, to] = p.window ?? [0, 0]
      expect(from).toBeGreaterThan(0.1)
      expect(to).toBeLessThan(0.9)
      expect(to - from).toBeGreaterThan(0.2)
      // When the first image's camera moves in, it never leaves the picture (zooming out stays centred).
      const room = Math.max(0, (1 - 1 / p.firstEnd.zoom) / 2)
      expect(Math.abs(p.firstEnd.x)).toBeLessThanOrEqual(room + 1e-9)
      expect(Math.abs(p.firstEnd.y)).toBeLessThanOrEqual(room + 1e-9)
    }
  })

  it('keeps every camera inside the picture, for every move, speed and transition, with or without a last frame', () => {
    const prompts = ['zoom in', 'zoom out', 'pan left', 'pan right', 'tilt up', 'tilt down', 'static', 'fast zoom out, morph', '']
    for (const prompt of prompts) {
      for (let seed = 0; seed < 60; seed++) {
        for (const hasLast of [false, true]) {
          const p = plan(prompt, seed, seed % 4, hasLast)
          const poses = [p.firstStart, p.firstEnd, ...(p.lastStart ? [p.lastStart] : [])]
          expect({ prompt, seed, hasLast, inside: poses.every(insidePicture) }).toEqual({ prompt, seed, hasLast, inside: true })
        }
      }
    }
  })

  it('starts on the exact first frame whenever there is a last one', () => {
    for (const prompt of ['zoom out', 'pan left', 'zoom in', '']) {
      for (let seed = 0; seed < 20; seed++) expect(plan(prompt, seed, 0, true).firstStart).toEqual({ zoom: 1, x: 0, y: 0 })
    }
  })

  it('has no transition without a last frame, and a short human summary', () => {
    const p = plan('slow zoom in, smooth')
    expect(p.transition).toBeNull()
    expect(p.lastStart).toBeNull()
    expect(p.summary).toBe('slow zoom in, eased')
    expect(plan('slow zoom in, smooth', 1, 0, true).summary).toMatch(/^slow zoom in, eased, (crossfade|dissolve with push|dip to black)$/)
  })

  it('mulberry32 is a deterministic uniform source', () => {
    const a = mulberry32(1)
    const b = mulberry32(1)
    const xs = Array.from({ length: 1000 }, () => a())
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()))
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...xs)).toBeLessThan(1)
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1)
  })
})
