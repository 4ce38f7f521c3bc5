// The camera plan of one local preview sample: pure and deterministic, so a seed means the same video every time.

export type Move = 'zoom-in' | 'zoom-out' | 'pan-left' | 'pan-right' | 'pan-up' | 'pan-down' | 'static'
export type Easing = 'linear' | 'ease-in-out' | 'ease-out'
export type Speed = 'slow' | 'medium' | 'fast'
export type Transition = 'crossfade' | 'dissolve-push' | 'dip'

/**
 * Where the camera looks: `zoom` > 1 is closer than the fitted frame; `x`, `y` move the view's centre, as fractions
 * of the frame's width and height (negative: left, up). Every pose a plan holds is inside the picture (insidePicture):
 * zoom at least 1 and the view no further off-centre than the zoom leaves room for, so a video only ever shows pixels
 * of the picture, never a border around it. A zoom-out therefore starts close and pulls back to the whole frame.
 */
export interface Pose {
  zoom: number
  x: number
  y: number
}

export interface MotionPlan {
  move: Move
  easing: Easing
  speed: Speed
  /** The first image's camera runs from this pose (the identity, the exact fitted frame, except a lone zoom-out)… */
  firstStart: Pose
  /** …to this one. */
  firstEnd: Pose
  /** First/last only: the last image's camera runs from this pose to the identity, so the video ends on it. A pan
   * carries on in its direction; a zoom-out pulls back here; after a zoom-in the last image holds still. */
  lastStart: Pose | null
  transition: Transition | null
  /** First/last only: when the transition runs, as fractions of the duration. */
  window: [number, number] | null
  /** What decided the move, speed and transition: words in the prompt win over the seed. */
  from: { move: 'prompt' | 'seed'; speed: 'prompt' | 'seed'; transition: 'prompt' | 'seed' | null }
  summary: string
}

export interface MotionInput {
  prompt: string
  seed: number
  sampleIndex: number
  hasLast: boolean
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const MOVES: readonly Move[] = ['zoom-in', 'zoom-out', 'pan-left', 'pan-right', 'pan-up', 'pan-down']
const TRANSITIONS: readonly Transition[] = ['crossfade', 'dissolve-push', 'dip']
const EASINGS: readonly Easing[] = ['ease-in-out', 'ease-out', 'linear']

const MOVE_WORDS: [RegExp, Move][] = [
  [/\b(?:zoom(?:s|ing)?|push(?:es|ing)?|dolly(?:ing)?|mov(?:e|es|ing)|camera moves)\s+(?:in|into|closer|forward)\b/g, 'zoom-in'],
  [/\b(?:zoom(?:s|ing)?|pull(?:s|ing)?|dolly(?:ing)?|mov(?:e|es|ing))\s+(?:out|back|away)\b|\bpull-?back\b/g, 'zoom-out'],
  [/\b(?:pan(?:s|ning)?|truck(?:s|ing)?|track(?:s|ing)?)\s+(?:to\s+the\s+)?left\b/g, 'pan-left'],
  [/\b(?:pan(?:s|ning)?|truck(?:s|ing)?|track(?:s|ing)?)\s+(?:to\s+the\s+)?right\b/g, 'pan-right'],
  [/\b(?:tilt(?:s|ing)?|pan(?:s|ning)?|crane(?:s|ing)?|pedestal)\s+up(?:wards?)?\b/g, 'pan-up'],
  [/\b(?:tilt(?:s|ing)?|pan(?:s|ning)?|crane(?:s|ing)?|pedestal)\s+down(?:wards?)?\b/g, 'pan-down'],
  [/\b(?:static|locked[- ]off|tripod|still camera|no camera (?:movement|motion))\b/g, 'static'],
  // A bare "zoom" (as in "slow zoom") means closer; checked last so "zoom out" is not misread.
  [/\bzoom(?:s|ing)?\b/g, 'zoom-in'],
]
const SPEED_WORDS: [RegExp, Speed][] = [
  [/\b(?:slow(?:ly)?|gentl[ey]|subtle|subtly|calm(?:ly)?)\b/g, 'slow'],
  [/\b(?:fast|quick(?:ly)?|rapid(?:ly)?|dramatic(?:ally)?|whip)\b/g, 'fast'],
]
const TRANSITION_WORDS: [RegExp, Transition][] = [
  [/\b(?:dip|fade)s?\s+(?:to|through)\s+black\b|\bblackout\b/g, 'dip'],
  [/\b(?:morph\w*|transform\w*|push through|zoom through)\b/g, 'dissolve-push'],
  [/\b(?:cross-?fade\w*|dissolv\w*|blend\w*)\b/g, 'crossfade'],
]
const EASING_WORDS: [RegExp, Easing][] = [
  [/\b(?:smooth(?:ly)?|eased|easing)\b/g, 'ease-in-out'],
  [/\b(?:linear|constant|steady|steadily)\b/g, 'linear'],
]

/** The option whose words appear earliest in the prompt, if any. */
function earliest<T>(prompt: string, table: [RegExp, T][]): T | undefined {
  let best: { at: number; value: T } | undefined
  for (const [re, value] of table) {
    for (const m of prompt.matchAll(re)) if (!best || m.index < best.at) best = { at: m.index, value }
  }
  return best?.value
}

function pick<T>(list: readonly T[], index: number): T {
  return list[((index % list.length) + list.length) % list.length] as T
}

const ZOOM: Record<Speed, [number, number]> = { slow: [1.06, 1.1], medium: [1.12, 1.2], fast: [1.25, 1.35] }

function endPose(move: Move, zoom: number, rnd: () => number): Pose {
  // The view may move off-centre only as far as the zoomed-in frame still lies inside the picture.
  const room = (1 - 1 / zoom) / 2
  const jitter = () => (rnd() * 2 - 1) * room * 0.5
  switch (move) {
    case 'static':
      return { zoom: 1, x: 0, y: 0 }
    case 'zoom-in':
      return { zoom, x: jitter(), y: jitter() }
    case 'zoom-out':
      // Where the pull-back starts: close in, centred.
      return { zoom, x: 0, y: 0 }
    case 'pan-left':
    case 'pan-right':
      return { zoom, x: (move === 'pan-left' ? -0.9 : 0.9) * room, y: jitter() * 0.5 }
    case 'pan-up':
    case 'pan-down':
      return { zoom, x: jitter() * 0.5, y: (move === 'pan-up' ? -0.9 : 0.9) * room }
  }
}

const IDENTITY: Pose = { zoom: 1, x: 0, y: 0 }

/** The pose on the other side of the centre: from it to the identity, the camera travels the way it did to `p`. */
const mirror = (p: Pose): Pose => ({ zoom: p.zoom, x: p.x === 0 ? 0 : -p.x, y: p.y === 0 ? 0 : -p.y })

/** Whether the view of `p` lies within the picture (up to the plan's rounding): no pixel from outside it shows. */
export function insidePicture(p: Pose): boolean {
  const room = (1 - 1 / p.zoom) / 2 + 1e-6
  return p.zoom >= 1 && Math.abs(p.x) <= room && Math.abs(p.y) <= room
}

const LABEL: Record<Move, string> = {
  'zoom-in': 'zoom in',
  'zoom-out': 'zoom out',
  'pan-left': 'pan left with a push in',
  'pan-right': 'pan right with a push in',
  'pan-up': 'tilt up with a push in',
  'pan-down': 'tilt down with a push in',
  static: 'static camera',
}
const EASE_LABEL: Record<Easing, string> = { linear: 'linear', 'ease-in-out': 'eased', 'ease-out': 'easing out' }
const TRANSITION_LABEL: Record<Transition, string> = {
  crossfade: 'crossfade',
  'dissolve-push': 'dissolve with push',
  dip: 'dip to black',
}

const round = (n: number) => Math.round(n * 1e6) / 1e6

export function planMotion({ prompt, seed, sampleIndex, hasLast }: MotionInput): MotionPlan {
  const text = prompt.toLowerCase()
  // The seed alone picks a starting move and transition; the sample index steps through the lists from there,
  // so the (up to four) samples of one task never share a seeded move.
  const base = mulberry32(seed)
  const moveBase = Math.floor(base() * MOVES.length)
  const transitionBase = Math.floor(base() * TRANSITIONS.length)
  const rnd = mulberry32((seed ^ Math.imul(sampleIndex + 1, 0x9e3779b9)) >>> 0)

  const wordMove = earliest(text, MOVE_WORDS)
  const move = wordMove ?? pick(MOVES, moveBase + sampleIndex)
  const wordSpeed = earliest(text, SPEED_WORDS)
  const speed = wordSpeed ?? pick<Speed>(['slow', 'medium', 'medium'], Math.floor(rnd() * 3))
  const easing = earliest(text, EASING_WORDS) ?? pick(EASINGS, Math.floor(rnd() * EASINGS.length))
  const wordTransition = hasLast ? earliest(text, TRANSITION_WORDS) : undefined
  const transition = hasLast ? (wordTransition ?? pick(TRANSITIONS, transitionBase + sampleIndex)) : null

  const [lo, hi] = ZOOM[speed]
  let zoom = lo + (hi - lo) * rnd()
  // A push transition travels further so the cut reads as one continuous move.
  if (transition === 'dissolve-push') zoom = Math.pow(zoom, 1.6)
  const e = endPose(move, zoom, rnd)
  const end = { zoom: round(e.zoom), x: round(e.x), y: round(e.y) }
  // Every camera stays inside its picture: a zoom-out pulls back to the whole frame rather than past it (alone, it
  // starts close on the first image; with a last frame, the first holds and the last pulls back), and the last image
  // ends on its exact fitted frame.
  const firstStart = move === 'zoom-out' && !hasLast ? end : IDENTITY
  const firstEnd = move === 'zoom-out' ? IDENTITY : end
  const lastStart = !hasLast ? null : move === 'zoom-out' ? end : move === 'zoom-in' ? IDENTITY : mirror(end)

  let window: [number, number] | null = null
  if (transition) {
    const width = transition === 'dip' ? 0.25 + 0.1 * rnd() : transition === 'crossfade' ? 0.3 + 0.15 * rnd() : 0.4 + 0.2 * rnd()
    const centre = 0.45 + 0.1 * rnd()
    window = [round(centre - width / 2), round(centre + width / 2)]
  }

  const moveText = move === 'static' ? LABEL.static : `${speed === 'medium' ? '' : `${speed} `}${LABEL[move]}, ${EASE_LABEL[easing]}`
  return {
    move,
    easing,
    speed,
    firstStart,
    firstEnd,
    lastStart,
    transition,
    window,
    from: {
      move: wordMove ? 'prompt' : 'seed',
      speed: wordSpeed ? 'prompt' : 'seed',
      transition: hasLast ? (wordTransition ? 'prompt' : 'seed') : null,
    },
    summary: transition ? `${moveText}, ${TRANSITION_LABEL[transition]}` : moveText,
  }
}
