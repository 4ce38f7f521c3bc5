/*
 * "Save frame": the frame every video shows now, side by side in one PNG, at the videos' own resolution, each with its
 * letter in the corner, so a still shared in a review says which sample is which.
 */

export interface StillSource {
  letter: string
  width: number
  height: number
}

export interface StillLayout {
  width: number
  height: number
  /** Where each video is drawn, scaled to the tallest one's height. */
  places: { x: number; width: number; height: number }[]
}

/** The sheet: the videos in a row, each scaled to the height of the tallest, with a gap between them. */
export function stillLayout(sources: readonly StillSource[], gap = 8): StillLayout {
  const height = Math.max(1, ...sources.map((s) => s.height))
  let x = 0
  const places = sources.map((s) => {
    const width = Math.round((s.width / Math.max(1, s.height)) * height)
    const place = { x, width, height }
    x += width + gap
    return place
  })
  return { width: Math.max(1, x - gap), height, places }
}

/** Draws the videos' current frames into one PNG. Library copies only: a provider URL would taint the canvas. */
export async function stillOfVideos(videos: readonly { letter: string; video: HTMLVideoElement }[]): Promise<Blob> {
  const layout = stillLayout(videos.map(({ letter, video }) => ({ letter, width: video.videoWidth, height: video.videoHeight })))
  const canvas = document.createElement('canvas')
  canvas.width = layout.width
  canvas.height = layout.height
  const ctx = canvas.getContext('2d')
  if (!ctx) throw new Error('This browser cannot draw the frame.')
  ctx.fillStyle = '#09090b'
  ctx.fillRect(0, 0, layout.width, layout.height)
  const label = Math.max(16, Math.round(layout.height / 24))
  videos.forEach(({ letter, video }, i) => {
    const place = layout.places[i]!
    ctx.drawImage(video, place.x, 0, place.width, place.height)
    ctx.fillStyle = 'rgba(9, 9, 11, 0.7)'
    ctx.fillRect(place.x + label / 2, label / 2, label * 1.6, label * 1.6)
    ctx.fillStyle = '#fafafa'
    ctx.font = `600 ${label}px system-ui, sans-serif`
    ctx.textAlign = 'center'
    ctx.textBaseline = 'middle'
    ctx.fillText(letter, place.x + label * 1.3, label * 1.3)
  })
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The frame could not be saved as a PNG.'))), 'image/png'),
  )
}
