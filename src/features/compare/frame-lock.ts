/*
 * Frame lock: the rule that keeps every video of a comparison on the master's frame. Pure, so it is tested on known
 * inputs; transport.ts applies it to real <video> elements on every animation frame.
 *
 * Veo outputs 24 fps, and so does the local engine: a frame is 1/24 s, and "in sync" means within one.
 */
export const FPS = 24
export const FRAME_S = 1 / FPS

/**
 * Below this drift a follower plays at the master's rate: a quarter frame is invisible, and a dead band keeps the
 * rate from being touched on every animation frame for noise in `currentTime`.
 */
export const LOCKED_S = FRAME_S / 4
/**
 * Beyond this a follower seeks instead of catching up. A seek stalls a video while it decodes from the last key frame
 * (the local engine's files have one key frame per video, so that can be the whole file): for any drift a rate change
 * can close within a second or two it is the gentler cure. Past half a second, a seek is quicker.
 */
export const SEEK_AT_S = 0.5
/** A follower closes its drift in about this long: the rate changes by drift / CATCH_UP_S, at most ±MAX_NUDGE. */
export const CATCH_UP_S = 0.4
export const MAX_NUDGE = 0.5
/** Rates are rounded to this step, so a follower's rate changes only when the correction really changes. */
const RATE_STEP = 0.01

export type Correction =
  /** Play at this rate (the master's speed, or nudged to catch up). */
  | { kind: 'rate'; rate: number }
  /** Too far off to catch up: jump there. */
  | { kind: 'seek'; to: number }
  /** The master is past this follower's end (a shorter video): it rests on its last frame. */
  | { kind: 'end' }

/**
 * What a follower at `follower` s should do to stay on the master at `master` s, playing at `speed`. `duration` is the
 * follower's own: a shorter video stops on its last frame while a longer master plays on.
 */
export function correction(master: number, follower: number, speed: number, duration: number): Correction {
  if (Number.isFinite(duration) && master >= duration - FRAME_S / 2) return { kind: 'end' }
  const drift = follower - master
  const off = Math.abs(drift)
  if (off >= SEEK_AT_S) return { kind: 'seek', to: master }
  if (off <= LOCKED_S) return { kind: 'rate', rate: speed }
  // Ahead: slow down; behind: speed up, in proportion to the drift.
  const nudge = Math.max(-MAX_NUDGE, Math.min(MAX_NUDGE, drift / CATCH_UP_S))
  return { kind: 'rate', rate: Math.round((speed * (1 - nudge)) / RATE_STEP) * RATE_STEP }
}

/** How many frames a video of `duration` s holds (at least one). */
export const frameCount = (duration: number) => (Number.isFinite(duration) && duration > 0 ? Math.max(1, Math.round(duration * FPS)) : 1)

/**
 * The frame (from 0) shown at `time`. A time on a frame's start belongs to that frame; the small epsilon keeps
 * 49 / 24, which is a hair under 2.041666… in floating point, in frame 49.
 */
export const frameAt = (time: number) => Math.max(0, Math.floor(time * FPS + 1e-6))

/**
 * Where to seek to show frame `n`: its middle. Seeking to a frame's exact start can land on the frame before it, for a
 * rounding in the file's time base or in the browser; the middle is unambiguous.
 */
export const frameMiddle = (n: number) => (n + 0.5) / FPS

/** The frame `n` kept inside a video of `frames` frames. */
export const clampFrame = (n: number, frames: number) => Math.min(Math.max(0, n), frames - 1)

/** "2.04 s · frame 49 / 96": seconds to two places, and the frame counted from 1, as editors count them. */
export function timecode(time: number, duration: number): string {
  const frames = frameCount(duration)
  return `${time.toFixed(2)} s · frame ${clampFrame(frameAt(time), frames) + 1} / ${frames}`
}

/** The spread of a set of playheads: the largest minus the smallest, in seconds. What the frame lock keeps ≤ 1/24 s. */
export const spread = (times: readonly number[]) => (times.length < 2 ? 0 : Math.max(...times) - Math.min(...times))
