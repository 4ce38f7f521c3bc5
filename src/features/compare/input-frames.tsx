import { useState } from 'react'
import type { FrameRef, StoredRequest } from '../../db/db'
import { useFrameSrc } from '../../db/hooks'
import { cn } from '../../lib/cn'

interface InputFramesProps {
  request: Pick<StoredRequest, 'frames'>
  /** The sample's tile letter (A–D): it names the thumbnails ("First frame of A"). */
  letter: string
  /** Thumbnail height in px; 32 by default, small enough for a table cell or a tile's header. */
  size?: number
  className?: string
}

const SLOTS = [
  { slot: 'first', caption: 'First' },
  { slot: 'last', caption: 'Last' },
] as const

/**
 * The frames a sample was made from, as small thumbnails with a caption under each: the first, and the last when
 * the request had one. They stand beside the sample so a designer can see which input led to which video.
 */
export function InputFrames({ request, letter, size = 32, className }: InputFramesProps) {
  const present = SLOTS.filter(({ slot }) => request.frames[slot])
  if (present.length === 0) return <span className={cn('text-ui-xs text-zinc-500', className)}>No frames</span>
  return (
    <div className={cn('flex flex-wrap items-start gap-1', className)}>
      {present.map(({ slot, caption }) => (
        <Thumb key={slot} frame={request.frames[slot]!} caption={caption} alt={`${caption} frame of ${letter}`} height={size} />
      ))}
    </div>
  )
}

function Thumb({ frame, caption, alt, height }: { frame: FrameRef; caption: string; alt: string; height: number }) {
  const src = useFrameSrc(frame)
  // A frame the library no longer holds (or a link that died): the box keeps its place instead of a broken image.
  const [failed, setFailed] = useState<string>()
  // The frame's own shape where the request kept it (stored frames always do), so a portrait frame looks portrait.
  const aspect = frame.width && frame.height ? frame.width / frame.height : 16 / 9
  const box = { height, width: Math.round(height * aspect) }
  return (
    <figure className="flex flex-col items-center gap-0.5">
      {src && failed !== src ? (
        <img
          src={src}
          alt={alt}
          style={box}
          onError={() => setFailed(src)}
          className="rounded-sm border border-line bg-zinc-950 object-cover"
        />
      ) : (
        <span role="img" aria-label={alt} style={box} className="rounded-sm border border-dashed border-line bg-zinc-950" />
      )}
      <figcaption className="text-ui-xs leading-none text-zinc-500">{caption}</figcaption>
    </figure>
  )
}
