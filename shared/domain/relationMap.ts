import { CLOSENESS, type Closeness, SECTORS, type Sector } from '../schema/person'

/**
 * Geometry of the relationship map (relatiekaart): a centre disc for the client, four rings of
 * closeness around it (innermost = very close) and five sectors, family at the top, then
 * clockwise friends, neighbours, work and professionals. Pure: plain points, no tldraw.
 */

/** A point in page (or any shared) space. */
export interface Point {
  x: number
  y: number
}

/** Where a person stands on the relationship map. */
export interface Placement {
  closeness: Closeness
  sector: Sector
}

/** Share of the outer radius taken by the client's centre disc. */
export const CENTRE_DISC_SHARE = 0.14

/** Angle of one sector, in degrees. */
export const SECTOR_ANGLE = 360 / SECTORS.length

/**
 * Radii of the ring boundaries for a map of this diameter: `[centre disc, ring 1 outer, …,
 * ring 4 outer]`, so ring `i` (0 = very close) lies between `radii[i]` and `radii[i + 1]`.
 */
export function ringRadii(diameter: number): number[] {
  const outer = diameter / 2
  const inner = outer * CENTRE_DISC_SHARE
  const step = (outer - inner) / CLOSENESS.length
  return [inner, ...CLOSENESS.map((_, i) => inner + step * (i + 1))]
}

/**
 * Start and end angle of a sector in degrees, clockwise from 12 o'clock. The family sector is
 * centred on the top, so its start is negative.
 */
export function sectorAngles(sector: Sector): { start: number; end: number; middle: number } {
  const i = SECTORS.indexOf(sector)
  const start = i * SECTOR_ANGLE - SECTOR_ANGLE / 2
  return { start, end: start + SECTOR_ANGLE, middle: start + SECTOR_ANGLE / 2 }
}

/** The point at `radius` and `angle` (degrees clockwise from 12 o'clock) around `centre`. */
export function polarPoint(centre: Point, radius: number, angle: number): Point {
  const a = (angle * Math.PI) / 180
  return { x: centre.x + radius * Math.sin(a), y: centre.y - radius * Math.cos(a) }
}

/** Angle of `point` around `centre` in degrees, clockwise from 12 o'clock, in [0, 360). */
export function angleOf(point: Point, centre: Point): number {
  const deg = (Math.atan2(point.x - centre.x, centre.y - point.y) * 180) / Math.PI
  return (deg + 360) % 360
}

/** The sector a direction falls in. */
export function sectorAt(angle: number): Sector {
  const shifted = (((angle + SECTOR_ANGLE / 2) % 360) + 360) % 360
  return SECTORS[Math.min(SECTORS.length - 1, Math.floor(shifted / SECTOR_ANGLE))] as Sector
}

/**
 * The closeness and sector of a point on a map centred at `mapCentre`, or null outside the
 * outer ring. The centre disc counts as "very close": whoever stands next to the client is.
 */
export function placementAt(point: Point, mapCentre: Point, diameter: number): Placement | null {
  const radii = ringRadii(diameter)
  const distance = Math.hypot(point.x - mapCentre.x, point.y - mapCentre.y)
  if (distance > (radii[radii.length - 1] as number)) return null
  let ring = 0
  for (let i = 1; i < CLOSENESS.length; i++) {
    if (distance > (radii[i] as number)) ring = i
  }
  return { closeness: CLOSENESS[ring] as Closeness, sector: sectorAt(angleOf(point, mapCentre)) }
}

/** Positions inside a sector, as shares of its angle: the middle first, then outwards. */
const ANGLE_SLOTS = [0.5, 0.28, 0.72, 0.12, 0.88]
/** Positions across a ring, as shares of its width: the middle first. */
const RADIUS_SLOTS = [0.5, 0.25, 0.75]

/**
 * A point inside the cell of this ring and sector. `slot` spreads several persons of one cell:
 * slot 0 is the middle of the cell, the next slots go sideways, then inwards and outwards. There
 * are 15 distinct slots; higher slots repeat.
 */
export function pointFor(
  closeness: Closeness,
  sector: Sector,
  mapCentre: Point,
  diameter: number,
  slot = 0,
): Point {
  const radii = ringRadii(diameter)
  const ring = CLOSENESS.indexOf(closeness)
  const inner = radii[ring] as number
  const outer = radii[ring + 1] as number
  const n = Math.max(0, Math.floor(slot)) % (ANGLE_SLOTS.length * RADIUS_SLOTS.length)
  const angleShare = ANGLE_SLOTS[n % ANGLE_SLOTS.length] as number
  const radiusShare = RADIUS_SLOTS[Math.floor(n / ANGLE_SLOTS.length)] as number
  const { start } = sectorAngles(sector)
  return polarPoint(
    mapCentre,
    inner + (outer - inner) * radiusShare,
    start + SECTOR_ANGLE * angleShare,
  )
}

/** True when two placements name the same cell. */
export function samePlacement(a: Placement | null, b: Placement | null): boolean {
  return (
    a === b || (a !== null && b !== null && a.closeness === b.closeness && a.sector === b.sector)
  )
}
