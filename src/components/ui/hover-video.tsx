import { useEffect, useRef, useState, type RefObject } from 'react'
import { cn } from '../../lib/cn'

/** How long the page must have been still before a hover plays: longer than a frame, shorter than a glance. */
const SCROLL_QUIET_MS = 100
let lastScrollAt = Number.NEGATIVE_INFINITY
let watching = false
/** When anything on the page last scrolled: one passive listener for the whole page, from the first preview on. */
function watchScroll() {
  if (watching) return
  watching = true
  document.addEventListener('scroll', () => void (lastScrollAt = performance.now()), { capture: true, passive: true })
}
/** Milliseconds until nothing on the page will have scrolled for SCROLL_QUIET_MS; 0 when that is now. */
const untilScrollQuiet = () => Math.max(0, lastScrollAt + SCROLL_QUIET_MS - performance.now())

/**
 * A sample's muted preview, shared by the gallery's cards and the boards' cells: at rest its middle frame (samples of
 * one prompt start alike and differ later), from the start while played. The caller's button decides when.
 * `live` says whether the preview holds a video now: from the first play until it rests again. A HoverVideo given
 * `live` shows only its stored poster at rest (an `<img>`, no `<video>`), and mounts the video when played.
 */
export function useHoverPlay(restAt: number) {
  const video = useRef<HTMLVideoElement>(null)
  const [playing, setPlaying] = useState(false)
  const [live, setLive] = useState(false)
  // Whether a play was asked and not rested since: a video mounted by it starts at once, one rested meanwhile never.
  const wanted = useRef(false)
  // A hover's play waiting for the page to be still.
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined)
  const start = () => {
    const v = video.current
    if (!v || !wanted.current) return
    v.currentTime = 0
    void v.play().then(
      () => wanted.current && setPlaying(true),
      () => {},
    )
  }
  const play = () => {
    wanted.current = true
    setLive(true)
    start()
  }
  // The video a play mounted: it is there once the play's render is committed.
  // oxlint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => (live ? start() : undefined), [live])
  useEffect(() => {
    watchScroll()
    return () => clearTimeout(pending.current)
  }, [])
  const rest = () => {
    clearTimeout(pending.current)
    pending.current = undefined
    wanted.current = false
    const v = video.current
    if (v) {
      v.pause()
      // A video kept at rest (a HoverVideo not given `live`) shows its middle frame again.
      v.currentTime = restAt
    }
    setPlaying(false)
    setLive(false)
  }
  /**
   * For the pointer (onMouseEnter): plays once the page is still. While a list scrolls under a resting pointer, the
   * cards passing under it would each mount and start a video on the way past; the one it stops on plays.
   */
  const hoverPlay = () => {
    if (wanted.current || pending.current !== undefined) return
    const wait = untilScrollQuiet()
    if (wait === 0) return play()
    pending.current = setTimeout(() => {
      pending.current = undefined
      hoverPlay()
    }, wait)
  }
  return { video, playing, live, play, hoverPlay, rest }
}

interface HoverVideoProps {
  videoRef: RefObject<HTMLVideoElement | null>
  /** Where it plays from; undefined once the provider's link expired before a copy was kept. */
  src: string | undefined
  poster: string | undefined
  /** The frame shown at rest, in seconds. */
  restAt: number
  /**
   * Whether it is played (useHoverPlay's `live`). Given, it holds a `<video>` only while played and shows its poster
   * as an image at rest, which costs a scrolling gallery far less than a media element per card. Left out, the video
   * is always there.
   */
  live?: boolean | undefined
  /** Whether the library holds its copy; `retrying` when making it failed once. */
  stored: boolean
  retrying?: boolean | undefined
  /** Says why the library holds no copy yet, instead of "Saving…" (the copy failed). */
  note?: string | undefined
  /** Names the video element for assistive tech (a card's player button already names it on a board). */
  label?: string | undefined
  /** A board cell's smaller type and corners. */
  compact?: boolean | undefined
}

/** The video (or its poster, or why there is none) and the "Saving…" chip, to sit inside the caller's media button. */
export function HoverVideo(props: HoverVideoProps) {
  const { videoRef, src, poster, restAt, live, stored, retrying, note, label, compact } = props
  // Given `live`, at rest its poster is an image; with no poster (not kept yet, or none could be made) the video's
  // middle frame stands in, as it always does without `live`.
  const deferred = live !== undefined
  const still = deferred && poster !== undefined
  const withVideo = Boolean(src) && (!still || Boolean(live))
  return (
    <>
      {still && (
        // Contained and centred on the button's black, as the video draws its poster: nothing moves when it mounts.
        <img src={poster} alt="" decoding="async" draggable={false} className="h-full w-full object-contain" />
      )}
      {withVideo && (
        <video
          ref={videoRef}
          // With a poster the video loads only when played; without one, its middle frame stands in.
          src={poster ? src : `${src}#t=${restAt}`}
          poster={poster}
          muted
          loop
          playsInline
          preload={live ? 'auto' : poster ? 'none' : 'metadata'}
          // Over its poster image, which stays beneath it while it loads.
          className={still ? 'absolute inset-0 h-full w-full object-contain' : 'h-full w-full object-contain'}
          aria-label={label}
        />
      )}
      {!src && !still && (
        <span className={cn('flex h-full items-center justify-center text-zinc-400', compact ? 'p-3 text-ui-sm' : 'p-4 text-ui')}>
          The video's link expired before it could be kept in the library.
        </span>
      )}
      {!stored && src && (
        <span
          className={cn(
            'absolute rounded-full bg-black/70 px-2 py-0.5 text-ui-xs text-amber-300',
            compact ? 'top-1.5 left-1.5' : 'top-2 left-2',
          )}
        >
          {note ?? (retrying ? 'Not saved yet: retrying' : 'Saving…')}
        </span>
      )}
    </>
  )
}
