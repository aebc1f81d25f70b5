import type { RelationKind } from '../../../../shared/schema/relation'

/**
 * The drawing rules of a relation line, as plain geometry (no tldraw, no React), so they can be
 * tested in Node. A relation is drawn from its `start` to its `end` point; the kind decides the
 * route between them (straight, or the elbow routes of a genogram) and the decorations.
 */

/** A point. */
export interface Pt {
  x: number
  y: number
}

/** An axis-aligned box (a person shape's bounds). */
export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

/**
 * How a line runs:
 * - `straight` from one person to the other;
 * - `elbow`: parent–child, down from the parent, across, down into the child, so the children of
 *   one couple share one horizontal bar;
 * - `couple`: partners, down from both and joined by a bar below them (genogram couple line);
 * - `sibship`: siblings, up from both and joined by a bar above them.
 */
export type Route = 'straight' | 'elbow' | 'couple' | 'sibship'

/** Couple kinds: partners. */
export const COUPLE_KINDS: readonly RelationKind[] = [
  'married',
  'living-together',
  'separated',
  'divorced',
]

/** How far a couple bar hangs below the lower partner's bottom edge. */
export const COUPLE_DROP = 28
/** How far a sibship bar rises above the higher sibling's top edge. */
export const SIBSHIP_RISE = 28
/** Below this vertical distance an elbow would be a sliver: draw straight. */
const MIN_ELBOW = 24

const centre = (r: Rect): Pt => ({ x: r.x + r.w / 2, y: r.y + r.h / 2 })

/** The route of a line of this kind between these end points. */
export function routeFor(kind: RelationKind, start: Pt, end: Pt): Route {
  const dx = Math.abs(end.x - start.x)
  const dy = Math.abs(end.y - start.y)
  if (kind === 'parent-child') return dy >= MIN_ELBOW ? 'elbow' : 'straight'
  if (COUPLE_KINDS.includes(kind)) return dx > dy * 1.5 && dx > 0 ? 'couple' : 'straight'
  if (kind === 'siblings') return dx > dy * 1.5 && dx > 0 ? 'sibship' : 'straight'
  return 'straight'
}

/**
 * Where a line of this kind would like to attach to two boxes, if the genogram route fits:
 * bottom centres for partners, top centres for siblings, the upper box's bottom and the lower
 * box's top for parent and child. Null when the boxes stand so that only a straight line fits.
 */
export function genogramAnchors(
  kind: RelationKind,
  from: Rect,
  to: Rect,
): { start: Pt; end: Pt } | null {
  const a = centre(from)
  const b = centre(to)
  let start: Pt
  let end: Pt
  if (kind === 'parent-child') {
    const fromIsUpper = a.y <= b.y
    start = fromIsUpper ? { x: a.x, y: from.y + from.h } : { x: a.x, y: from.y }
    end = fromIsUpper ? { x: b.x, y: to.y } : { x: b.x, y: to.y + to.h }
    // The boxes must not overlap vertically, or the elbow would run through them.
    if ((fromIsUpper ? end.y - start.y : start.y - end.y) < MIN_ELBOW) return null
    return { start, end }
  }
  if (COUPLE_KINDS.includes(kind)) {
    start = { x: a.x, y: from.y + from.h }
    end = { x: b.x, y: to.y + to.h }
  } else if (kind === 'siblings') {
    start = { x: a.x, y: from.y }
    end = { x: b.x, y: to.y }
  } else {
    return null
  }
  const apart = from.x + from.w <= to.x || to.x + to.w <= from.x
  if (!apart || routeFor(kind, start, end) === 'straight') return null
  return { start, end }
}

/**
 * Where the line to a child of two partners leaves their couple line: its middle, at the height
 * of the bar. Null when the two do not stand as a couple (side by side).
 */
export function coupleDescent(parent: Rect, partner: Rect): Pt | null {
  const couple = genogramAnchors('married', parent, partner)
  if (!couple) return null
  const barY = Math.max(couple.start.y, couple.end.y) + COUPLE_DROP
  return { x: (couple.start.x + couple.end.x) / 2, y: barY }
}

/** Where the segment from the centre of `box` towards `toward` leaves the box. */
export function boxExit(box: Rect, toward: Pt): Pt {
  const c = centre(box)
  const dx = toward.x - c.x
  const dy = toward.y - c.y
  if (dx === 0 && dy === 0) return c
  const sx = dx === 0 ? Number.POSITIVE_INFINITY : box.w / 2 / Math.abs(dx)
  const sy = dy === 0 ? Number.POSITIVE_INFINITY : box.h / 2 / Math.abs(dy)
  const s = Math.min(sx, sy, 1)
  return { x: c.x + dx * s, y: c.y + dy * s }
}

/** The corner points of a line of this kind from `start` to `end`. */
export function pathPoints(kind: RelationKind, start: Pt, end: Pt): Pt[] {
  switch (routeFor(kind, start, end)) {
    case 'elbow': {
      const midY = (start.y + end.y) / 2
      return [start, { x: start.x, y: midY }, { x: end.x, y: midY }, end]
    }
    case 'couple': {
      const barY = Math.max(start.y, end.y) + COUPLE_DROP
      return [start, { x: start.x, y: barY }, { x: end.x, y: barY }, end]
    }
    case 'sibship': {
      const barY = Math.min(start.y, end.y) - SIBSHIP_RISE
      return [start, { x: start.x, y: barY }, { x: end.x, y: barY }, end]
    }
    default:
      return [start, end]
  }
}

/** Total length of a polyline. */
export function polylineLength(points: readonly Pt[]): number {
  let length = 0
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as Pt
    const b = points[i] as Pt
    length += Math.hypot(b.x - a.x, b.y - a.y)
  }
  return length
}

/** The point halfway along a polyline, with the direction (unit vector) of the line there. */
export function midpoint(points: readonly Pt[]): { point: Pt; dir: Pt } {
  const half = polylineLength(points) / 2
  let walked = 0
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as Pt
    const b = points[i] as Pt
    const len = Math.hypot(b.x - a.x, b.y - a.y)
    if (len > 0 && walked + len >= half) {
      const t = (half - walked) / len
      return {
        point: { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t },
        dir: { x: (b.x - a.x) / len, y: (b.y - a.y) / len },
      }
    }
    walked += len
  }
  const p = points[0] ?? { x: 0, y: 0 }
  return { point: p, dir: { x: 1, y: 0 } }
}

/**
 * A zigzag along the straight line from `a` to `b` (a stressful tie), with teeth of about
 * `wavelength` and `amplitude`. Starts and ends exactly at `a` and `b`.
 */
export function zigzag(a: Pt, b: Pt, wavelength = 18, amplitude = 7): Pt[] {
  const len = Math.hypot(b.x - a.x, b.y - a.y)
  if (len < wavelength * 2) return [a, b]
  const ux = (b.x - a.x) / len
  const uy = (b.y - a.y) / len
  const n = Math.floor(len / (wavelength / 2))
  const step = len / n
  const points: Pt[] = [a]
  for (let i = 1; i < n; i++) {
    const side = i % 2 === 0 ? -amplitude : amplitude
    points.push({ x: a.x + ux * step * i - uy * side, y: a.y + uy * step * i + ux * side })
  }
  points.push(b)
  return points
}

/**
 * The short strokes across a couple line: one for separated, two for divorced. Each is a pair
 * of points, slanted like a "/" across the line at its middle (moved `shift` along the line, so
 * a line down to the children from the middle stays clear).
 */
export function slashes(
  kind: RelationKind,
  points: readonly Pt[],
  size = 14,
  shift = 0,
): Array<[Pt, Pt]> {
  const count = kind === 'separated' ? 1 : kind === 'divorced' ? 2 : 0
  if (count === 0) return []
  const middle = midpoint(points)
  const dir = middle.dir
  const point = { x: middle.point.x + dir.x * shift, y: middle.point.y + dir.y * shift }
  // Slant: rotate the line's direction by 60° (a "/" across a horizontal line).
  const cos = Math.cos(-Math.PI / 3)
  const sin = Math.sin(-Math.PI / 3)
  const sx = dir.x * cos - dir.y * sin
  const sy = dir.x * sin + dir.y * cos
  const gap = 8
  const result: Array<[Pt, Pt]> = []
  for (let i = 0; i < count; i++) {
    const offset = (i - (count - 1) / 2) * gap
    const c = { x: point.x + dir.x * offset, y: point.y + dir.y * offset }
    result.push([
      { x: c.x - sx * size, y: c.y - sy * size },
      { x: c.x + sx * size, y: c.y + sy * size },
    ])
  }
  return result
}

/** The three points of an arrowhead at `tip`, pointing away from `from`. */
export function arrowhead(tip: Pt, from: Pt, size = 16): [Pt, Pt, Pt] {
  const len = Math.hypot(tip.x - from.x, tip.y - from.y) || 1
  const ux = (tip.x - from.x) / len
  const uy = (tip.y - from.y) / len
  const back = { x: tip.x - ux * size, y: tip.y - uy * size }
  const half = size * 0.55
  return [
    { x: back.x - uy * half, y: back.y + ux * half },
    tip,
    { x: back.x + uy * half, y: back.y - ux * half },
  ]
}

/** SVG path data of a polyline. */
export function svgPolyline(points: readonly Pt[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(p.x)},${round(p.y)}`).join(' ')
}

function round(n: number): number {
  return Math.round(n * 100) / 100
}
