import { clampFrame, correction, frameAt, frameCount, frameMiddle, FRAME_S } from './frame-lock'

/*
 * One transport for every video of a comparison. The longest video is the master clock: it plays at the chosen speed
 * and is never touched while it plays. Every other video follows it, corrected on each animation frame by the frame
 * lock's rule (frame-lock.ts): a rate nudge for a small drift, a seek for a large one, a rest on its last frame when the
 * master has passed its end. While any video stalls (a seek decoding, data not there), all of them hold still, so
 * the one that stalled does not fall behind; they go on together once every one can play.
 */

/** The part of a <video> the transport drives: an interface, so tests can drive it with fakes. */
export type MediaLike = Pick<
  HTMLVideoElement,
  | 'currentTime'
  | 'duration'
  | 'paused'
  | 'ended'
  | 'error'
  | 'seeking'
  | 'readyState'
  | 'playbackRate'
  | 'muted'
  | 'play'
  | 'pause'
  | 'addEventListener'
  | 'removeEventListener'
>

export interface TransportState {
  /** The designer pressed Play (the videos may be holding for one that stalled). */
  playing: boolean
  /** The master's playhead, in seconds; while paused, the middle of the frame shown. */
  time: number
  /** The master's duration: the longest video's. NaN until a video knows its own. */
  duration: number
  loop: boolean
  speed: number
  /** The video whose sound plays; the others are muted. None: all muted. */
  solo: number | undefined
}

const HAVE_FUTURE_DATA = 3
const EVENTS = ['loadedmetadata', 'durationchange', 'ended', 'seeked'] as const

export class Transport {
  private videos: (MediaLike | undefined)[] = []
  private state: TransportState
  private readonly listeners = new Set<() => void>()
  private frame = 0

  constructor(
    initial: Partial<Pick<TransportState, 'loop' | 'speed'>> = {},
    private readonly schedule: (run: () => void) => number = (run) => requestAnimationFrame(run),
    private readonly unschedule: (id: number) => void = (id) => cancelAnimationFrame(id),
  ) {
    this.state = { playing: false, time: 0, duration: Number.NaN, loop: initial.loop ?? true, speed: initial.speed ?? 1, solo: undefined }
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  getState = () => this.state

  private set(patch: Partial<TransportState>) {
    const next = { ...this.state, ...patch }
    if ((Object.keys(patch) as (keyof TransportState)[]).every((k) => Object.is(next[k], this.state[k]))) return
    this.state = next
    for (const listener of this.listeners) listener()
  }

  /** A video's element, as a ref callback gives it (undefined when it unmounts). */
  attach(index: number, video: MediaLike | undefined) {
    const old = this.videos[index]
    if (old === video) return
    for (const type of EVENTS) old?.removeEventListener(type, this.onMediaEvent)
    this.videos[index] = video
    if (!video) return
    for (const type of EVENTS) video.addEventListener(type, this.onMediaEvent)
    video.muted = this.state.solo !== index
    video.playbackRate = this.state.speed
    this.onMediaEvent()
  }

  /** The videos that take part: attached, and not failed (a video that cannot play must not hold the others). */
  private present(): MediaLike[] {
    return this.videos.filter((v): v is MediaLike => v !== undefined && !v.error)
  }

  /** The master clock: the longest video (the first of equals), so every other one ends on or before it. */
  private master(): MediaLike | undefined {
    let best: MediaLike | undefined
    for (const v of this.present()) if (!best || (Number.isFinite(v.duration) && !(v.duration <= best.duration))) best = v
    return best
  }

  private onMediaEvent = (e?: Event) => {
    // A video that learns its length after a seek (or a step) was sent to frame 0: it joins the others' frame now.
    const late = e?.type === 'loadedmetadata' ? this.videos.find((v) => v !== undefined && (v as unknown) === e.target) : undefined
    if (late && !this.state.playing) this.place(late)
    const master = this.master()
    if (!master) return
    this.set({ duration: master.duration })
    if (this.state.playing) this.atEnd(master)
  }

  /** Puts a video on the transport's frame (or its own last one). */
  private place(v: MediaLike) {
    if (!Number.isFinite(v.duration)) return
    v.currentTime = frameMiddle(clampFrame(frameAt(this.state.time), frameCount(v.duration)))
  }

  /** The master, once it knows its length: before that there is no timeline to play or step along. */
  private ready(): MediaLike | undefined {
    const master = this.master()
    return master && Number.isFinite(master.duration) ? master : undefined
  }

  /**
   * The master's natural end: with Loop, every video goes back to the start at once (no element loops by itself: a
   * master that wrapped on its own would leave the others at the end for an animation frame, four seconds apart);
   * without, the transport stops there, on the last frame. Whether it was the end.
   */
  private atEnd(master: MediaLike): boolean {
    if (!master.ended) return false
    if (!this.state.loop) {
      this.stop()
      return true
    }
    for (const v of this.present()) v.currentTime = 0
    this.set({ time: 0 })
    return true
  }

  play() {
    const master = this.ready()
    if (!master || this.state.playing) return
    if (master.currentTime >= master.duration - FRAME_S) this.seekFrame(0)
    this.set({ playing: true })
    this.tick()
  }

  pause() {
    if (!this.state.playing) return
    this.stop()
  }

  toggle() {
    if (this.state.playing) this.pause()
    else this.play()
  }

  /** Stops every video and puts them all on the master's frame, so the still shown is one moment in each. */
  private stop() {
    this.unschedule(this.frame)
    this.frame = 0
    for (const v of this.present()) v.pause()
    this.set({ playing: false })
    this.seekFrame(frameAt(this.master()?.currentTime ?? this.state.time))
  }

  /** Shows frame `n` (from 0) in every video: each seeks to the middle of it, or to its own last frame. */
  seekFrame(n: number) {
    const master = this.ready()
    if (!master) return
    const frame = clampFrame(n, frameCount(master.duration))
    this.set({ time: frameMiddle(frame) })
    // One that does not know its length yet is placed when it does (onMediaEvent).
    for (const v of this.present()) this.place(v)
  }

  /** Moves `by` frames; playing, it pauses first, as a frame step means looking at one frame. */
  step(by: number) {
    if (!this.ready()) return
    const from = frameAt(this.state.playing ? (this.master()?.currentTime ?? this.state.time) : this.state.time)
    if (this.state.playing) {
      this.unschedule(this.frame)
      for (const v of this.present()) v.pause()
      this.set({ playing: false })
    }
    this.seekFrame(from + by)
  }

  setLoop(loop: boolean) {
    this.set({ loop })
  }

  setSpeed(speed: number) {
    this.set({ speed })
    for (const v of this.present()) v.playbackRate = speed
  }

  setSolo(solo: number | undefined) {
    this.set({ solo })
    this.videos.forEach((v, i) => {
      if (v) v.muted = i !== solo
    })
  }

  dispose() {
    this.unschedule(this.frame)
    this.videos.forEach((_, i) => this.attach(i, undefined))
    this.listeners.clear()
  }

  /** One animation frame of playback: hold for a stalled video, or keep every follower on the master. */
  private tick = () => {
    this.frame = 0
    if (!this.state.playing) return
    const master = this.master()
    if (!master) return
    const videos = this.present()
    if (this.atEnd(master) && !this.state.playing) return
    const resting = (v: MediaLike) => v !== master && correction(master.currentTime, v.currentTime, 1, v.duration).kind === 'end'
    const stalled = videos.some((v) => v.seeking || (v.readyState < HAVE_FUTURE_DATA && !resting(v)))
    if (stalled) {
      for (const v of videos) if (!v.paused) v.pause()
    } else {
      if (master.paused) void master.play().catch(() => undefined)
      if (master.playbackRate !== this.state.speed) master.playbackRate = this.state.speed
      for (const v of videos) if (v !== master) this.follow(master, v)
    }
    this.set({ time: master.currentTime })
    this.frame = this.schedule(this.tick)
  }

  private follow(master: MediaLike, v: MediaLike) {
    const c = correction(master.currentTime, v.currentTime, this.state.speed, v.duration)
    if (c.kind === 'end') {
      // Ended by itself, or the master jumped past its end: it shows its last frame and waits for a loop or a seek.
      const last = frameMiddle(frameCount(v.duration) - 1)
      if (!v.paused) v.pause()
      if (v.currentTime < last - FRAME_S) v.currentTime = last
      return
    }
    if (c.kind === 'seek') {
      v.currentTime = c.to
      return
    }
    if (v.playbackRate !== c.rate) v.playbackRate = c.rate
    if (v.paused) void v.play().catch(() => undefined)
  }
}
