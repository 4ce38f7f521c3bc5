import { useRef, useState, type RefObject } from 'react'
import { cn } from '../../lib/cn'

/**
 * A sample's muted preview, shared by the gallery's cards and the boards' cells: at rest its middle frame (samples of
 * one prompt start alike and differ later), from the start while played. The caller's button decides when.
 */
export function useHoverPlay(restAt: number) {
  const video = useRef<HTMLVideoElement>(null)
  const [playing, setPlaying] = useState(false)
  const play = () => {
    const v = video.current
    if (!v) return
    v.currentTime = 0
    void v.play().then(
      () => setPlaying(true),
      () => {},
    )
  }
  const rest = () => {
    const v = video.current
    if (!v) return
    v.pause()
    v.currentTime = restAt
    setPlaying(false)
  }
  return { video, playing, play, rest }
}

interface HoverVideoProps {
  videoRef: RefObject<HTMLVideoElement | null>
  /** Where it plays from; undefined once the provider's link expired before a copy was kept. */
  src: string | undefined
  poster: string | undefined
  /** The frame shown at rest, in seconds. */
  restAt: number
  /** Whether the copy on this device is made; `retrying` when making it failed once. */
  stored: boolean
  retrying?: boolean | undefined
  /** Says why the copy is not on this device, instead of "Saving…" (storage full, or dropped to free space). */
  note?: string | undefined
  /** Names the video element for assistive tech (a card's player button already names it on a board). */
  label?: string | undefined
  /** A board cell's smaller type and corners. */
  compact?: boolean | undefined
}

/** The video (or why there is none) and the "Saving…" chip, to sit inside the caller's media button. */
export function HoverVideo({ videoRef, src, poster, restAt, stored, retrying, note, label, compact }: HoverVideoProps) {
  return (
    <>
      {src ? (
        <video
          ref={videoRef}
          // With a poster the video loads only when played; without one, its middle frame stands in.
          src={poster ? src : `${src}#t=${restAt}`}
          poster={poster}
          muted
          loop
          playsInline
          preload={poster ? 'none' : 'metadata'}
          className="h-full w-full object-contain"
          aria-label={label}
        />
      ) : (
        <span className={cn('flex h-full items-center justify-center text-zinc-400', compact ? 'p-3 text-ui-sm' : 'p-4 text-ui')}>
          The video's link expired before it could be kept on this device.
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
