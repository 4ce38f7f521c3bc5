/*
 * What an import accepts at most. Every size is counted on the bytes actually unpacked, not only on what a zip's
 * headers declare, so a zip bomb stops at the first byte over. Tests pass smaller limits.
 */
export interface TransferLimits {
  /** One video. Veo's longest, sharpest video is far below this. */
  video: number
  /** One input frame: the provider takes at most 20 MB. */
  frame: number
  poster: number
  manifest: number
  /** Everything in the zip, unpacked. */
  total: number
  /** Files in the zip. */
  entries: number
}

const MB = 1024 * 1024

export const LIMITS: TransferLimits = {
  video: 512 * MB,
  frame: 20 * MB,
  poster: 8 * MB,
  manifest: 64 * MB,
  total: 4096 * MB,
  entries: 50_000,
}
