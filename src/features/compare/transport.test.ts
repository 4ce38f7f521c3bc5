// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { frameMiddle } from './frame-lock'
import { Transport, type MediaLike } from './transport'

/** A <video> stand-in: a playhead, a rate and the flags the transport reads; time moves only when the test says. */
class FakeVideo extends EventTarget implements MediaLike {
  private time = 0
  get currentTime() {
    return this.time
  }
  /** A seek: a video that had ended is no longer at its end. */
  set currentTime(t: number) {
    this.time = t
    this.ended = false
  }
  paused = true
  ended = false
  error: MediaError | null = null
  seeking = false
  readyState = 4
  playbackRate = 1
  muted = false
  constructor(public duration: number) {
    super()
  }
  play = () => {
    this.paused = false
    return Promise.resolve()
  }
  pause = () => {
    this.paused = true
  }
  advance(seconds: number) {
    if (this.paused) return
    this.time = Math.min(this.duration, this.time + seconds * this.playbackRate)
    // As a <video> does at its end: it stops, and says it ended (the rig tells the listeners once all have moved).
    if (this.time === this.duration) {
      this.paused = true
      this.ended = true
    }
  }
}

/** A transport whose animation frames run when the test calls `frame()`. */
function rig(...durations: number[]) {
  let pending: (() => void) | undefined
  const transport = new Transport(
    {},
    (run) => {
      pending = run
      return 1
    },
    () => {
      pending = undefined
    },
  )
  const videos = durations.map((d) => new FakeVideo(d))
  videos.forEach((v, i) => transport.attach(i, v))
  const frame = (seconds = 1 / 60) => {
    const playing = videos.filter((v) => !v.paused)
    for (const v of playing) v.advance(seconds)
    for (const v of playing) if (v.ended) v.dispatchEvent(new Event('ended'))
    const run = pending
    pending = undefined
    run?.()
  }
  return { transport, videos, frame }
}

describe('Transport', () => {
  it('plays every video from one Play, muted, at the chosen speed', () => {
    const { transport, videos, frame } = rig(4, 4, 4)
    transport.setSpeed(0.5)
    transport.play()
    frame()
    expect(videos.map((v) => v.paused)).toEqual([false, false, false])
    expect(videos.every((v) => v.muted && v.playbackRate === 0.5)).toBe(true)
    expect(transport.getState().playing).toBe(true)
  })

  it('the longest video is the master: the others follow it', () => {
    const { transport, videos, frame } = rig(4, 8, 6)
    transport.play()
    frame()
    videos[1]!.currentTime = 2
    frame()
    expect(videos[0]!.currentTime).toBe(videos[1]!.currentTime)
    expect(videos[2]!.currentTime).toBe(videos[1]!.currentTime)
  })

  it('with Loop, every video goes back to the start together at the master’s end', () => {
    const { transport, videos, frame } = rig(4, 4, 4)
    transport.seekFrame(94)
    transport.play()
    frame(0.1)
    expect(videos.map((v) => v.currentTime)).toEqual([0, 0, 0])
    frame()
    expect(transport.getState().playing).toBe(true)
    expect(videos.every((v) => !v.paused)).toBe(true)
  })

  it('nudges a follower that is behind, and holds it at speed once it is back', () => {
    const { transport, videos, frame } = rig(8, 8)
    transport.play()
    frame()
    videos[1]!.currentTime -= 0.25
    frame()
    expect(videos[1]!.playbackRate).toBeGreaterThan(1)
    for (let i = 0; i < 240; i++) frame()
    expect(Math.abs(videos[1]!.currentTime - videos[0]!.currentTime)).toBeLessThan(1 / 96)
    expect(videos[1]!.playbackRate).toBe(1)
  })

  it('seeks a follower that is far off', () => {
    const { transport, videos, frame } = rig(8, 8)
    transport.play()
    for (let i = 0; i < 60; i++) frame()
    videos[1]!.currentTime = 5
    frame()
    expect(videos[1]!.currentTime).toBeCloseTo(videos[0]!.currentTime, 6)
  })

  it('holds every video while one of them stalls, and goes on when it can play', () => {
    const { transport, videos, frame } = rig(8, 8, 8)
    transport.play()
    frame()
    videos[2]!.readyState = 2
    frame()
    expect(videos.map((v) => v.paused)).toEqual([true, true, true])
    const held = videos.map((v) => v.currentTime)
    frame(0.5)
    expect(videos.map((v) => v.currentTime)).toEqual(held)
    videos[2]!.readyState = 4
    frame()
    frame()
    expect(videos.map((v) => v.paused)).toEqual([false, false, false])
    expect(transport.getState().playing).toBe(true)
  })

  it('pauses every video on the same frame: the middle of the master’s', () => {
    const { transport, videos, frame } = rig(8, 8)
    transport.play()
    for (let i = 0; i < 61; i++) frame()
    videos[1]!.currentTime += 0.02
    transport.pause()
    const at = transport.getState().time
    expect(videos.map((v) => v.currentTime)).toEqual([at, at])
    expect(at).toBe(frameMiddle(Math.floor(videos[0]!.currentTime * 24)))
    expect(videos.every((v) => v.paused)).toBe(true)
  })

  it('steps one frame in every video, pausing playback first', () => {
    const { transport, videos, frame } = rig(4, 4, 4)
    transport.seekFrame(10)
    transport.step(1)
    expect(videos.map((v) => v.currentTime)).toEqual([frameMiddle(11), frameMiddle(11), frameMiddle(11)])
    transport.play()
    frame()
    transport.step(-1)
    expect(transport.getState().playing).toBe(false)
    expect(videos.every((v) => v.paused && v.currentTime === frameMiddle(10))).toBe(true)
  })

  it('a shorter follower rests on its last frame while the master plays on', () => {
    const { transport, videos, frame } = rig(8, 4)
    transport.seekFrame(6 * 24)
    expect(videos[1]!.currentTime).toBe(frameMiddle(95))
    transport.play()
    frame()
    expect(videos[1]!.paused).toBe(true)
    expect(videos[0]!.paused).toBe(false)
  })

  it('stops at the master’s end when Loop is off', () => {
    const { transport, videos, frame } = rig(4, 4)
    transport.setLoop(false)
    transport.seekFrame(94)
    transport.play()
    frame(0.2)
    expect(transport.getState().playing).toBe(false)
    expect(videos.map((v) => v.currentTime)).toEqual([frameMiddle(95), frameMiddle(95)])
  })

  it('plays the solo video’s sound only', () => {
    const { transport, videos } = rig(4, 4, 4)
    transport.setSolo(1)
    expect(videos.map((v) => v.muted)).toEqual([true, false, true])
    transport.setSolo(undefined)
    expect(videos.every((v) => v.muted)).toBe(true)
  })

  it('leaves out a video that cannot play: the others play on', () => {
    const { transport, videos, frame } = rig(4, 4, 4)
    videos[1]!.error = { code: 4 } as MediaError
    videos[1]!.readyState = 0
    transport.play()
    frame()
    frame()
    expect(videos.map((v) => v.paused)).toEqual([false, true, false])
  })

  it('before its length is known there is nothing to play or step; a late video joins the frame shown', () => {
    const { transport, videos } = rig(Number.NaN, Number.NaN)
    transport.play()
    transport.step(1)
    expect(transport.getState().playing).toBe(false)
    expect(videos.every((v) => v.paused && v.currentTime === 0)).toBe(true)
    videos[0]!.duration = 8
    videos[0]!.dispatchEvent(new Event('loadedmetadata'))
    transport.seekFrame(40)
    expect(videos[0]!.currentTime).toBe(frameMiddle(40))
    expect(videos[1]!.currentTime).toBe(0)
    videos[1]!.duration = 4
    videos[1]!.dispatchEvent(new Event('loadedmetadata'))
    expect(videos[1]!.currentTime).toBe(frameMiddle(40))
  })

  it('a speed change while playing: the master at the new speed, the followers around it', () => {
    const { transport, videos, frame } = rig(8, 8)
    transport.play()
    frame()
    transport.setSpeed(2)
    frame()
    expect(videos.map((v) => v.playbackRate)).toEqual([2, 2])
    videos[1]!.currentTime -= 0.1
    frame()
    expect(videos[1]!.playbackRate).toBeGreaterThan(2)
  })

  it('tells its listeners, and only when something changed', () => {
    const { transport } = rig(4, 4)
    let calls = 0
    transport.subscribe(() => calls++)
    transport.setSpeed(1)
    expect(calls).toBe(0)
    transport.setSpeed(2)
    expect(calls).toBe(1)
  })
})
