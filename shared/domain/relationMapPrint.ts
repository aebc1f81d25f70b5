import { CLOSENESS, SECTORS } from '../schema/person'
import {
  angleOf,
  type Placement,
  type Point,
  placementAt,
  polarPoint,
  ringRadii,
  sectorAngles,
} from './relationMap'

/**
 * The relationship map laid out for paper. On a sheet the whole map must fit, so its people and
 * words are drawn larger against the rings than on the screen; then they no longer fit where
 * they stand. This moves each person as little as needed, inside his own cell (so his ring and
 * sector stay what they are), until no person, word or line lies on another, and finds a free
 * place for each relation's word. Pure: boxes and points in the map's page space, no tldraw.
 */

/** An axis-aligned box, top left and size. */
export interface Box {
  x: number
  y: number
  w: number
  h: number
}

/** A person on the map: where his glyph's centre stands and how large the glyph is on paper. */
export interface PrintPerson {
  id: string
  centre: Point
  /** His cell; null for the client (the middle) and for a person outside the rings. */
  cell: Placement | null
  /** The client stays in the middle. */
  fixed: boolean
  /** Size of his glyph on paper: symbol, name and the words under it. */
  size: { w: number; h: number }
}

/** A relation line between two persons. */
export interface PrintRelation {
  id: string
  from: string
  to: string
  /** Half the room the line takes across (stroke, zigzag, arrowheads). */
  halfWidth: number
  /** The shortest the line may be between the two glyphs (room for its arrowheads). */
  minLength: number
  /** Size of its word to place beside the line, or null (no word, or one written elsewhere). */
  label: { w: number; h: number } | null
}

/** What the print layout needs. */
export interface PrintLayoutInput {
  centre: Point
  diameter: number
  persons: PrintPerson[]
  relations: PrintRelation[]
  /** Words already on the map (ring and sector names): people keep clear of them. */
  obstacles: Box[]
}

/** Where everything goes. */
export interface PrintLayout {
  /** New centre of each person's glyph. */
  centres: Map<string, Point>
  /** Centre of each relation's word, for relations that have one. */
  labels: Map<string, Point>
}

/** Room kept between two things on paper, in page units. */
export const PRINT_GAP = 14

/** The box of a glyph of `size` centred at `c`. */
export function boxAt(c: Point, size: { w: number; h: number }): Box {
  return { x: c.x - size.w / 2, y: c.y - size.h / 2, w: size.w, h: size.h }
}

/** How far two boxes (grown by `margin`) overlap along x and y; null when apart. */
function penetration(a: Box, b: Box, margin: number): { x: number; y: number } | null {
  const x = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) + margin
  const y = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) + margin
  return x > 0 && y > 0 ? { x, y } : null
}

/** Whether two boxes, one grown by `margin`, overlap. */
export function boxesOverlap(a: Box, b: Box, margin = 0): boolean {
  return penetration(a, b, margin) !== null
}

/** A straight piece of a line, with the room it takes on each side. */
export interface Segment {
  a: Point
  b: Point
  half: number
}

/**
 * How far a box must move along the segment's normal to clear it (signed: + along the left
 * normal), or 0 when they are apart. Separating axes: x, y and the segment's normal.
 */
export function segmentPush(s: Segment, box: Box, margin: number): number {
  const dx = s.b.x - s.a.x
  const dy = s.b.y - s.a.y
  const length = Math.hypot(dx, dy)
  if (length < 1e-6) return 0
  const grow = s.half + margin
  if (Math.max(s.a.x, s.b.x) + grow <= box.x || Math.min(s.a.x, s.b.x) - grow >= box.x + box.w)
    return 0
  if (Math.max(s.a.y, s.b.y) + grow <= box.y || Math.min(s.a.y, s.b.y) - grow >= box.y + box.h)
    return 0
  const nx = -dy / length
  const ny = dx / length
  const cx = box.x + box.w / 2
  const cy = box.y + box.h / 2
  const distance = (cx - s.a.x) * nx + (cy - s.a.y) * ny
  const extent = (box.w / 2) * Math.abs(nx) + (box.h / 2) * Math.abs(ny) + grow
  if (Math.abs(distance) >= extent) return 0
  return (distance >= 0 ? 1 : -1) * (extent - Math.abs(distance))
}

/** Where the segment from the centre of `box` towards `toward` leaves the box. */
export function exitPoint(box: Box, toward: Point): Point {
  const cx = box.x + box.w / 2
  const cy = box.y + box.h / 2
  const dx = toward.x - cx
  const dy = toward.y - cy
  if (dx === 0 && dy === 0) return { x: cx, y: cy }
  const sx = dx === 0 ? Number.POSITIVE_INFINITY : box.w / 2 / Math.abs(dx)
  const sy = dy === 0 ? Number.POSITIVE_INFINITY : box.h / 2 / Math.abs(dy)
  const s = Math.min(sx, sy, 1)
  return { x: cx + dx * s, y: cy + dy * s }
}

/**
 * Boxes that cover a word written along an arc (a sector's name), centred on `middle` degrees
 * at radius `r`: one box every half a letter height, each a little larger than the letters.
 */
export function arcWordBoxes(
  centre: Point,
  r: number,
  middle: number,
  width: number,
  size: number,
): Box[] {
  const boxes: Box[] = []
  const span = (width / r) * (180 / Math.PI)
  const steps = Math.max(2, Math.ceil(width / (size / 2)))
  const side = size * 1.25
  for (let i = 0; i <= steps; i++) {
    const p = polarPoint(centre, r, middle - span / 2 + (span * i) / steps)
    boxes.push({ x: p.x - side / 2, y: p.y - side / 2, w: side, h: side })
  }
  return boxes
}

/** A direction for the ring names: straight down (where a ring runs level), or straight up. */
export const RING_LABEL_ANGLES = [180, 0] as const

/**
 * Centres for the four ring names (innermost first), written level in the middle of each ring
 * straight below the client, or above him when more people stand below.
 */
export function ringLabelCentres(
  centre: Point,
  diameter: number,
  persons: readonly PrintPerson[],
): Point[] {
  const radii = ringRadii(diameter)
  const crowd = (angle: number) =>
    persons.filter((p) => {
      if (p.fixed) return false
      const a = angleOf(p.centre, centre)
      const off = Math.min(Math.abs(a - angle), 360 - Math.abs(a - angle))
      return off < 40
    }).length
  const angle = RING_LABEL_ANGLES.reduce((best, a) => (crowd(a) < crowd(best) ? a : best))
  return CLOSENESS.map((_, ring) =>
    polarPoint(centre, ((radii[ring] as number) + (radii[ring + 1] as number)) / 2, angle),
  )
}

/** Spots inside a cell where a glyph's centre may stand, a little away from the cell's edges. */
function cellSpots(cell: Placement, centre: Point, diameter: number): Point[] {
  const radii = ringRadii(diameter)
  const ring = CLOSENESS.indexOf(cell.closeness)
  const inner = (radii[ring] as number) + 4
  const outer = (radii[ring + 1] as number) - 4
  const { start, end } = sectorAngles(cell.sector)
  const spots: Point[] = []
  const rings = 12
  for (let i = 0; i <= rings; i++) {
    const r = inner + ((outer - inner) * i) / rings
    const margin = Math.min(10, (8 / r) * (180 / Math.PI))
    const from = start + margin
    const to = end - margin
    const steps = Math.max(4, Math.round(((to - from) * Math.PI * r) / 180 / 16))
    for (let j = 0; j <= steps; j++)
      spots.push(polarPoint(centre, r, from + ((to - from) * j) / steps))
  }
  return spots
}

/** Whether a glyph of `size` centred at `p` lies inside the map's square. */
function inSquare(p: Point, size: { w: number; h: number }, square: Box): boolean {
  return (
    p.x - size.w / 2 >= square.x &&
    p.y - size.h / 2 >= square.y &&
    p.x + size.w / 2 <= square.x + square.w &&
    p.y + size.h / 2 <= square.y + square.h
  )
}

/** The visible piece of the line between two glyphs: from where it leaves one to where it enters the other. */
function pieceBetween(a: Box, b: Box, half: number): Segment {
  const ca = { x: a.x + a.w / 2, y: a.y + a.h / 2 }
  const cb = { x: b.x + b.w / 2, y: b.y + b.h / 2 }
  return { a: exitPoint(a, cb), b: exitPoint(b, ca), half }
}

/** Places beside a line tried for its word: share along the line, side, distance (× the least). */
const ALL_SPOTS = [1, 1.6, 2.4].flatMap((far) =>
  [0.5, 0.4, 0.6, 0.35, 0.65, 0.3, 0.7, 0.2, 0.8].flatMap((t) =>
    [1, -1].map((side) => [t, side, far] as const),
  ),
)
/** Fewer places, while people are still moving. */
const QUICK_SPOTS = [1, 1.6].flatMap((far) =>
  [0.5, 0.35, 0.65].flatMap((t) => [1, -1].map((side) => [t, side, far] as const)),
)

/** What moving a person one page unit away from where he stands costs (against clashes). */
const MOVE_COST = 1

/** A small, seeded random number generator (mulberry32): the same sheet every time. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Area by which two boxes (one grown by `margin`) overlap; 0 when apart. */
function overlapArea(a: Box, b: Box, margin: number): number {
  const hit = penetration(a, b, margin)
  return hit ? hit.x * hit.y : 0
}

/**
 * Moves the persons as little as needed, each inside his own cell and inside the map's square
 * (the client stays), so that no glyph lies on another, on a word of the map or on a line that
 * does not end at it, and no line runs through a word. Then places each relation's word beside
 * its line where nothing else is. One person at a time takes the best spot of his cell, until
 * nobody finds a better one. Deterministic: the same map gives the same sheet.
 */
export function layoutRelationMapForPrint(input: PrintLayoutInput): PrintLayout {
  const { centre, diameter, persons, relations, obstacles } = input
  // The words' boxes in groups of neighbours, each with the box around it: most tests stop there.
  const groups: { around: Box; boxes: Box[] }[] = []
  for (let i = 0; i < obstacles.length; i += 6) {
    const boxes = obstacles.slice(i, i + 6)
    const x = Math.min(...boxes.map((b) => b.x))
    const y = Math.min(...boxes.map((b) => b.y))
    const around = {
      x,
      y,
      w: Math.max(...boxes.map((b) => b.x + b.w)) - x,
      h: Math.max(...boxes.map((b) => b.y + b.h)) - y,
    }
    groups.push({ around, boxes })
  }
  const wordsNear = (box: Box, margin: number) =>
    groups.flatMap((g) => (penetration(box, g.around, margin) ? g.boxes : []))
  const wordsNearPiece = (piece: Segment, margin: number) =>
    groups.flatMap((g) => (segmentPush(piece, g.around, margin) !== 0 ? g.boxes : []))
  const square = {
    x: centre.x - diameter / 2,
    y: centre.y - diameter / 2,
    w: diameter,
    h: diameter,
  }
  const centres = new Map(persons.map((p) => [p.id, { ...p.centre }]))
  const byId = new Map(persons.map((p) => [p.id, p]))
  const ordered = [...persons].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const movable = ordered.filter((p) => !p.fixed && p.cell)
  // Where each card and each line's piece is now; kept up to date as people move.
  const cards = new Map(persons.map((p) => [p.id, boxAt(p.centre, p.size)]))
  const boxOf = (p: PrintPerson) => cards.get(p.id) as Box
  const linked = relations.filter((r) => byId.has(r.from) && byId.has(r.to))
  const pieces = new Map<string, Segment>()
  const relationsOf = new Map<string, PrintRelation[]>(persons.map((p) => [p.id, []]))
  for (const r of linked) {
    relationsOf.get(r.from)?.push(r)
    if (r.to !== r.from) relationsOf.get(r.to)?.push(r)
  }
  const placeAt = (p: PrintPerson, at: Point) => {
    centres.set(p.id, at)
    cards.set(p.id, boxAt(at, p.size))
    for (const r of relationsOf.get(p.id) ?? [])
      pieces.set(r.id, pieceBetween(cards.get(r.from) as Box, cards.get(r.to) as Box, r.halfWidth))
  }
  for (const p of persons) placeAt(p, p.centre)
  /** A line through a glyph or a word costs in proportion to how deep it cuts. */
  const lineCost = (segment: Segment, except: readonly string[]) => {
    let total = 0
    for (const other of ordered) {
      if (except.includes(other.id)) continue
      total += Math.abs(segmentPush(segment, boxOf(other), PRINT_GAP)) * 200
    }
    for (const word of wordsNearPiece(segment, PRINT_GAP))
      total += Math.abs(segmentPush(segment, word, PRINT_GAP)) * 200
    return total
  }

  /**
   * The best place for a line's word beside its piece, and what it costs there: the area it
   * would cover of cards and words, and a full word's area for each line it would touch.
   */
  const wordSpot = (
    piece: Segment,
    size: { w: number; h: number },
    around: readonly Box[],
    tries: readonly (readonly [number, number, number])[],
    placed: readonly Box[] = [],
    pieces: readonly Segment[] = [],
  ) => {
    const dx = piece.b.x - piece.a.x
    const dy = piece.b.y - piece.a.y
    const length = Math.hypot(dx, dy) || 1
    const nx = -dy / length
    const ny = dx / length
    const offset =
      (size.w / 2) * Math.abs(nx) + (size.h / 2) * Math.abs(ny) + piece.half + PRINT_GAP
    let best: { box: Box; cost: number } = {
      box: boxAt(piece.a, size),
      cost: Number.POSITIVE_INFINITY,
    }
    for (const [t, side, far] of tries) {
      const box = boxAt(
        {
          x: piece.a.x + dx * t + nx * offset * far * side,
          y: piece.a.y + dy * t + ny * offset * far * side,
        },
        size,
      )
      let c = 0
      for (const card of around) c += overlapArea(box, card, PRINT_GAP / 2)
      for (const word of wordsNear(box, PRINT_GAP / 2)) c += overlapArea(box, word, PRINT_GAP / 2)
      for (const other of placed) c += overlapArea(box, other, PRINT_GAP / 2)
      if (segmentPush(piece, box, PRINT_GAP / 2) !== 0) c += size.w * size.h
      for (const other of pieces)
        if (segmentPush(other, box, PRINT_GAP / 2) !== 0) c += size.w * size.h
      if (!inside(box, square)) c += size.w * size.h
      // Nearer the middle and nearer the line read better: a small cost keeps it there.
      c += (Math.abs(t - 0.5) + (far - 1)) * 1e-3
      if (c < best.cost) best = { box, cost: c }
    }
    return best
  }

  /** What it costs to have `p` at `at`: what he covers, what runs through him, how far he went. */
  const cost = (p: PrintPerson, at: Point) => {
    const box = boxAt(at, p.size)
    let total = 0
    for (const other of ordered) {
      if (other.id !== p.id) total += overlapArea(box, boxOf(other), PRINT_GAP) * 4
    }
    for (const word of wordsNear(box, PRINT_GAP)) total += overlapArea(box, word, PRINT_GAP) * 4
    const own = relationsOf.get(p.id) ?? []
    for (const relation of own) {
      // His own lines move with him: they must not run through others or through words,
      // and a line's word needs room beside it.
      const otherId = relation.from === p.id ? relation.to : relation.from
      const piece = pieceBetween(box, cards.get(otherId) as Box, relation.halfWidth)
      total += lineCost(piece, [p.id, otherId])
      const length = Math.hypot(piece.b.x - piece.a.x, piece.b.y - piece.a.y)
      if (length < relation.minLength) total += (relation.minLength - length) * 200
      if (relation.label) {
        const around = ordered.map((o) => (o.id === p.id ? box : boxOf(o)))
        const lines = linked.flatMap((r) => {
          if (r === relation) return []
          if (r.from !== p.id && r.to !== p.id) return [pieces.get(r.id) as Segment]
          const far = r.from === p.id ? r.to : r.from
          return [pieceBetween(box, cards.get(far) as Box, r.halfWidth)]
        })
        total += wordSpot(piece, relation.label, around, QUICK_SPOTS, [], lines).cost * 4
      }
    }
    for (const relation of linked) {
      if (relation.from === p.id || relation.to === p.id) continue
      total += Math.abs(segmentPush(pieces.get(relation.id) as Segment, box, PRINT_GAP)) * 200
    }
    return total + Math.hypot(at.x - p.centre.x, at.y - p.centre.y) * MOVE_COST
  }
  /** Whether nothing clashes any more: all that is left of each person's cost is how far he went. */
  const clashFree = () =>
    movable.every((p) => {
      const at = centres.get(p.id) as Point
      const moved = Math.hypot(at.x - p.centre.x, at.y - p.centre.y) * MOVE_COST
      return cost(p, at) - moved < 0.01
    })

  const spots = new Map(
    movable.map((p) => [
      p.id,
      cellSpots(p.cell as Placement, centre, diameter).filter((q) => inSquare(q, p.size, square)),
    ]),
  )
  // Annealing: one person at a time tries another spot of his cell; a worse spot is taken now
  // and then while the temperature is high, so the people can get past each other. The best
  // arrangement seen is kept. A fixed seed keeps the sheet the same every time.
  const random = seededRandom(0x5eed)
  // Energies are counted from the start: a move changes exactly the terms its person is in.
  let energy = 0
  let best = { energy, centres: new Map(centres) }
  const steps = movable.length === 0 || clashFree() ? 0 : 6000 * Math.min(4, movable.length)
  for (let step = 0; step < steps; step++) {
    if (step % 250 === 249 && clashFree()) {
      best = { energy, centres: new Map(centres) }
      break
    }
    const temperature = 3000 * 0.001 ** (step / steps)
    const p = movable[Math.floor(random() * movable.length)] as PrintPerson
    const options = spots.get(p.id) ?? []
    if (options.length === 0) continue
    const here = centres.get(p.id) as Point
    let next = options[Math.floor(random() * options.length)] as Point
    if (random() < 0.6) {
      // Mostly a step to a nearby spot.
      const near = options.filter((q) => Math.hypot(q.x - here.x, q.y - here.y) < 90)
      if (near.length > 0) next = near[Math.floor(random() * near.length)] as Point
    }
    const delta = cost(p, next) - cost(p, here)
    if (delta < 0 || random() < Math.exp(-delta / temperature)) {
      placeAt(p, next)
      energy += delta
      if (energy < best.energy - 1e-6) best = { energy, centres: new Map(centres) }
    }
  }
  for (const p of movable) placeAt(p, best.centres.get(p.id) as Point)
  // Then each person takes the best spot of his cell until nobody finds a better one.
  for (let sweep = 0; sweep < 12; sweep++) {
    let moved = false
    for (const p of movable) {
      const here = centres.get(p.id) as Point
      let choice = { at: here, cost: cost(p, here) }
      for (const q of spots.get(p.id) ?? []) {
        const c = cost(p, q)
        if (c < choice.cost - 1e-6) choice = { at: q, cost: c }
      }
      if (choice.at !== here) {
        placeAt(p, choice.at)
        moved = true
      }
    }
    if (!moved) break
  }

  // Each relation's word beside its line, where no glyph, line or other word is.
  const labels = new Map<string, Point>()
  const placed: Box[] = []
  for (const relation of linked) {
    if (!relation.label) continue
    const piece = pieces.get(relation.id) as Segment
    const others = linked.filter((r) => r !== relation).map((r) => pieces.get(r.id) as Segment)
    const spot = wordSpot(piece, relation.label, [...cards.values()], ALL_SPOTS, placed, others)
    labels.set(relation.id, {
      x: spot.box.x + spot.box.w / 2,
      y: spot.box.y + spot.box.h / 2,
    })
    placed.push(spot.box)
  }
  return { centres, labels }
}

function inside(box: Box, outer: Box): boolean {
  return (
    box.x >= outer.x &&
    box.y >= outer.y &&
    box.x + box.w <= outer.x + outer.w &&
    box.y + box.h <= outer.y + outer.h
  )
}

/**
 * The card as printed on the relationship map: a larger symbol and words of at least 9 pt on
 * A4, every line of words a full line apart. Sizes in page units of the 1800-wide map.
 */
export const PRINT_CARD = {
  r: 52,
  nameSize: 40,
  lineSize: 38,
  /** From the circle's bottom to the name's baseline. */
  nameDrop: 46,
  /** From one baseline to the next. */
  linePitch: 54,
  pad: 8,
} as const

/** Sizes of the map's own words on paper, and the room their white outline takes. */
export const PRINT_WORDS = { sector: 42, ring: 38, relation: 38, halo: 8 } as const

/** A line under a printed card's name: the word of his line to the client. */
export interface PrintCardLine {
  text: string
  tone: 'relation'
}

/** Size of a printed card whose name and lines are `nameWidth` and `lineWidths` wide. */
export function printCardSize(nameWidth: number, lineWidths: readonly number[]) {
  const { r, nameDrop, linePitch, pad } = PRINT_CARD
  const w = Math.max(2 * r + 4 * pad, nameWidth, ...lineWidths) + 2 * pad
  const last = 6 + 2 * r + nameDrop + linePitch * lineWidths.length
  return { w, h: last + Math.ceil(PRINT_CARD.nameSize * 0.3) + 6 }
}

/** A person's view on the map, as the sheet needs it. */
export interface MapPersonView {
  id: string
  centre: Point
  /** As written on the card (a deceased person's name carries a cross). */
  name: string
  isClient: boolean
}

/** A relation line on the map, as the sheet needs it. */
export interface MapRelationView {
  id: string
  from: string
  to: string
  label: string
  /** Half the room the line takes across (stroke, zigzag, arrowheads). */
  halfWidth: number
  /** The shortest the line may be between the two glyphs (room for its arrowheads). */
  minLength: number
}

/** The relationship map to lay out: its frame, people, lines and the names of its parts. */
export interface RelationMapPrintData {
  centre: Point
  diameter: number
  persons: MapPersonView[]
  relations: MapRelationView[]
  /** The sectors' names, in the order of `SECTORS`. */
  sectorNames: string[]
  /** The rings' names, innermost first. */
  ringNames: string[]
}

/** The width of a bold text at `size`, in the sheet's font. */
export type MeasureText = (text: string, size: number) => number

/** Where everything of the relationship map goes on paper. */
export interface RelationMapPrintPlan {
  persons: Map<string, { centre: Point; size: { w: number; h: number }; lines: PrintCardLine[] }>
  /** Where each relation's word goes; null: not on the line (none, or under a name). */
  labels: Map<string, Point | null>
  /** Centres of the ring names, innermost first. */
  ringLabels: Point[]
}

/**
 * Lays the relationship map out for paper: larger cards and words, people moved apart inside
 * their cells, each relation's word beside its line — or under the other person's name when
 * the line leaves from the client (a short line has no room beside it, and that word says who
 * he is to the client). The ring names go where a ring runs level, on the emptier side.
 */
export function planRelationMapForPrint(
  data: RelationMapPrintData,
  measure: MeasureText,
): RelationMapPrintPlan {
  const { centre, diameter } = data
  const byId = new Map(data.persons.map((p) => [p.id, p]))
  const captions = new Map<string, string[]>()
  const captioned = new Set<string>()
  for (const relation of data.relations) {
    const label = relation.label.trim()
    const from = byId.get(relation.from)
    const to = byId.get(relation.to)
    if (!label || !from || !to) continue
    const other = from.isClient ? to : to.isClient ? from : null
    if (!other || other.isClient) continue
    captions.set(other.id, [...(captions.get(other.id) ?? []), label])
    captioned.add(relation.id)
  }

  const lines = new Map<string, PrintCardLine[]>()
  const persons: PrintPerson[] = data.persons.map((view) => {
    // A supporter is marked on his symbol (the legend says so): no line for it on paper.
    const cardLines: PrintCardLine[] = []
    const caption = captions.get(view.id)
    if (caption) cardLines.push({ text: caption.join(', '), tone: 'relation' })
    lines.set(view.id, cardLines)
    return {
      id: view.id,
      centre: view.centre,
      cell: view.isClient ? null : placementAt(view.centre, centre, diameter),
      fixed: view.isClient,
      size: printCardSize(
        measure(view.name, PRINT_CARD.nameSize),
        cardLines.map((l) => measure(l.text, PRINT_CARD.lineSize)),
      ),
    }
  })
  const relations: PrintRelation[] = data.relations.map((relation) => {
    const label = relation.label.trim()
    return {
      id: relation.id,
      from: relation.from,
      to: relation.to,
      halfWidth: relation.halfWidth,
      minLength: relation.minLength,
      label:
        label && !captioned.has(relation.id)
          ? {
              w: measure(label, PRINT_WORDS.relation) + 2 * PRINT_WORDS.halo,
              h: PRINT_WORDS.relation * 1.3,
            }
          : null,
    }
  })

  // The sector names along the outer ring and the ring names, as the map draws them.
  const outer = diameter / 2
  const obstacles: Box[] = data.sectorNames.flatMap((name, i) =>
    arcWordBoxes(
      centre,
      outer - PRINT_WORDS.sector * 1.1,
      (i * 360) / SECTORS.length,
      measure(name, PRINT_WORDS.sector),
      PRINT_WORDS.sector,
    ),
  )
  const ringLabels = ringLabelCentres(centre, diameter, persons)
  data.ringNames.forEach((name, ring) => {
    const w = measure(name, PRINT_WORDS.ring) + 2 * PRINT_WORDS.halo
    const h = PRINT_WORDS.ring * 1.3
    const c = ringLabels[ring] as Point
    obstacles.push({ x: c.x - w / 2, y: c.y - h / 2, w, h })
  })

  const layout = layoutRelationMapForPrint({ centre, diameter, persons, relations, obstacles })
  return {
    persons: new Map(
      persons.map((p) => [
        p.id,
        {
          centre: layout.centres.get(p.id) ?? p.centre,
          size: p.size,
          lines: lines.get(p.id) ?? [],
        },
      ]),
    ),
    labels: new Map(relations.map((r) => [r.id, layout.labels.get(r.id) ?? null])),
    ringLabels,
  }
}
