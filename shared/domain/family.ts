import type { RelationKind } from '../schema/relation'

/** The relatives that can be added from a selected person on the family map. */
export const FAMILY_ROLES = ['partner', 'child', 'parent', 'sibling'] as const
export type FamilyRole = (typeof FAMILY_ROLES)[number]

/** Couple ties: drawn as a line between partners. */
export const PARTNER_KINDS: readonly RelationKind[] = [
  'married',
  'living-together',
  'separated',
  'divorced',
]

/** The kind of couple tie a new partner gets; the inspector can change it. */
export const DEFAULT_PARTNER_KIND: RelationKind = 'married'

/** Horizontal space between two persons in one row. */
export const COLUMN_GAP = 60
/** Vertical space between two generations. */
export const GENERATION_GAP = 130

/** A box in page space. */
export interface Box {
  x: number
  y: number
  w: number
  h: number
}

/** A person as he stands on the family map. */
export interface FamilyNode {
  personId: string
  box: Box
  birthYear: number | null
}

/**
 * A tie between two persons. For `parent-child`, `from` is the parent and `to` the child; for the
 * other kinds the order does not matter.
 */
export interface FamilyTie {
  from: string
  to: string
  kind: RelationKind
}

/** The relatives of one person, read from the ties. */
export interface Kin {
  parents: string[]
  children: string[]
  partners: string[]
  siblings: string[]
}

/** What adding a relative does: where he stands, who moves aside, and which ties to draw. */
export interface FamilyAddition {
  position: { x: number; y: number }
  /** Existing persons that move, e.g. so children stay in birth order. */
  moves: Array<{ personId: string; x: number; y: number }>
  ties: FamilyTie[]
}

const unique = (ids: string[]) => [...new Set(ids)]

/** The parents, children, partners and siblings of a person. */
export function kinOf(personId: string, ties: readonly FamilyTie[]): Kin {
  const parents = ties
    .filter((t) => t.kind === 'parent-child' && t.to === personId)
    .map((t) => t.from)
  const children = ties
    .filter((t) => t.kind === 'parent-child' && t.from === personId)
    .map((t) => t.to)
  const partners = ties
    .filter((t) => PARTNER_KINDS.includes(t.kind) && (t.from === personId || t.to === personId))
    .map((t) => (t.from === personId ? t.to : t.from))
  const declaredSiblings = ties
    .filter((t) => t.kind === 'siblings' && (t.from === personId || t.to === personId))
    .map((t) => (t.from === personId ? t.to : t.from))
  const viaParents = ties
    .filter((t) => t.kind === 'parent-child' && parents.includes(t.from) && t.to !== personId)
    .map((t) => t.to)
  return {
    parents: unique(parents),
    children: unique(children),
    partners: unique(partners),
    siblings: unique([...declaredSiblings, ...viaParents]),
  }
}

function overlaps(a: Box, b: Box, margin: number): boolean {
  return (
    a.x < b.x + b.w + margin &&
    b.x < a.x + a.w + margin &&
    a.y < b.y + b.h + margin &&
    b.y < a.y + a.h + margin
  )
}

function isFree(box: Box, nodes: readonly FamilyNode[], ignore: readonly string[] = []): boolean {
  return nodes.every(
    (n) => ignore.includes(n.personId) || !overlaps(box, n.box, COLUMN_GAP / 2 - 1),
  )
}

/**
 * The first free spot in a row, trying `startX`, then one step further in the preferred
 * direction, then one step the other way, and so on outwards.
 */
export function freeSpotInRow(
  startX: number,
  y: number,
  size: { w: number; h: number },
  nodes: readonly FamilyNode[],
  prefer: 'right' | 'left' = 'right',
): { x: number; y: number } {
  const step = size.w + COLUMN_GAP
  const sign = prefer === 'right' ? 1 : -1
  for (let i = 0; i < 200; i++) {
    const offset = i === 0 ? 0 : Math.ceil(i / 2) * step * (i % 2 === 1 ? sign : -sign)
    const x = startX + offset
    if (isFree({ x, y, w: size.w, h: size.h }, nodes)) return { x, y }
  }
  return { x: startX, y }
}

/**
 * Orders a row of children by birth year, oldest on the left; children without a year keep
 * their order and come after the others. Returns the ids in the new order.
 */
export function birthOrder(children: readonly FamilyNode[]): string[] {
  return [...children]
    .map((child, i) => ({ child, i }))
    .sort((a, b) => {
      const ya = a.child.birthYear
      const yb = b.child.birthYear
      if (ya !== null && yb !== null && ya !== yb) return ya - yb
      if (ya === null && yb !== null) return 1
      if (ya !== null && yb === null) return -1
      return a.child.box.x - b.child.box.x || a.i - b.i
    })
    .map(({ child }) => child.personId)
}

/**
 * Lays out a row of children centred under `centreX`, in birth order. When the row would cover
 * someone else, it shifts right until it is free.
 */
export function arrangeChildren(
  children: readonly FamilyNode[],
  centreX: number,
  y: number,
  size: { w: number; h: number },
  others: readonly FamilyNode[],
): Array<{ personId: string; x: number; y: number }> {
  const order = birthOrder(children)
  const step = size.w + COLUMN_GAP
  const width = order.length * size.w + (order.length - 1) * COLUMN_GAP
  let left = centreX - width / 2
  const ids = children.map((c) => c.personId)
  for (let tries = 0; tries < 200; tries++) {
    const row: Box = { x: left, y, w: width, h: size.h }
    if (isFree(row, others, ids)) break
    left += step
  }
  return order.map((personId, i) => ({ personId, x: left + i * step, y }))
}

/**
 * The nearest free spot beside `anchorX` in a row: one step to the preferred side, one step to
 * the other side, then two steps, and so on.
 */
export function freeSpotBeside(
  anchorX: number,
  y: number,
  size: { w: number; h: number },
  nodes: readonly FamilyNode[],
  prefer: 'right' | 'left' = 'right',
): { x: number; y: number } {
  const step = size.w + COLUMN_GAP
  const sign = prefer === 'right' ? 1 : -1
  for (let k = 1; k < 100; k++) {
    for (const x of [anchorX + sign * k * step, anchorX - sign * k * step]) {
      if (isFree({ x, y, w: size.w, h: size.h }, nodes)) return { x, y }
    }
  }
  return { x: anchorX + sign * step, y }
}

const centreX = (box: Box) => box.x + box.w / 2

/**
 * Where a new relative of `anchorId` goes on the family map, and which ties join him:
 * parents one row up, children one row down in birth order (oldest left), partners and
 * siblings beside in the same row. `newId` is the new person's id, `size` the size of his view.
 */
export function planFamilyAddition(
  role: FamilyRole,
  anchorId: string,
  newId: string,
  size: { w: number; h: number },
  nodes: readonly FamilyNode[],
  ties: readonly FamilyTie[],
): FamilyAddition {
  const anchor = nodes.find((n) => n.personId === anchorId)
  if (!anchor) throw new Error(`person ${anchorId} is not on the family map`)
  const kin = kinOf(anchorId, ties)
  const onMap = (ids: string[]) =>
    ids.map((id) => nodes.find((n) => n.personId === id)).filter((n): n is FamilyNode => !!n)
  const { x, y, w, h } = anchor.box
  const step = w + COLUMN_GAP
  const generation = h + GENERATION_GAP

  switch (role) {
    case 'partner': {
      const position = freeSpotBeside(x, y, size, nodes, 'right')
      return {
        position,
        moves: [],
        ties: [{ from: anchorId, to: newId, kind: DEFAULT_PARTNER_KIND }],
      }
    }
    case 'parent': {
      const parents = onMap(kin.parents)
      const rowY = y - generation
      const first = parents[0]
      const position = first
        ? freeSpotInRow(first.box.x + step, rowY, size, nodes, 'right')
        : freeSpotInRow(centreX(anchor.box) - step / 2 - size.w / 2, rowY, size, nodes, 'left')
      const newTies: FamilyTie[] = [{ from: newId, to: anchorId, kind: 'parent-child' }]
      // A second parent is the first one's partner: the couple line joins them.
      if (kin.parents.length === 1)
        newTies.push({ from: kin.parents[0] as string, to: newId, kind: DEFAULT_PARTNER_KIND })
      return { position, moves: [], ties: newTies }
    }
    case 'child': {
      const partners = onMap(kin.partners)
      const coParent = partners.length === 1 ? partners[0] : undefined
      const under = coParent
        ? (centreX(anchor.box) + centreX(coParent.box)) / 2
        : centreX(anchor.box)
      const existing = onMap(kin.children)
      const newNode: FamilyNode = {
        personId: newId,
        box: { x: Number.POSITIVE_INFINITY, y: y + generation, ...size },
        birthYear: null,
      }
      const rowIds = [...existing.map((c) => c.personId), newId]
      const others = nodes.filter((n) => !rowIds.includes(n.personId))
      const placed = arrangeChildren([...existing, newNode], under, y + generation, size, others)
      const mine = placed.find((p) => p.personId === newId) as { x: number; y: number }
      const moves = placed.filter((p) => {
        if (p.personId === newId) return false
        const before = existing.find((c) => c.personId === p.personId)
        return !before || before.box.x !== p.x || before.box.y !== p.y
      })
      const newTies: FamilyTie[] = [{ from: anchorId, to: newId, kind: 'parent-child' }]
      if (coParent) newTies.push({ from: coParent.personId, to: newId, kind: 'parent-child' })
      return { position: { x: mine.x, y: mine.y }, moves, ties: newTies }
    }
    case 'sibling': {
      const partnerOnRight = onMap(kin.partners).some((p) => p.box.x > x)
      const prefer = partnerOnRight ? 'left' : 'right'
      const position = freeSpotBeside(x, y, size, nodes, prefer)
      // Siblings share their parents; without known parents a sibling tie says it.
      const newTies: FamilyTie[] =
        kin.parents.length > 0
          ? kin.parents.slice(0, 2).map((p) => ({ from: p, to: newId, kind: 'parent-child' }))
          : [{ from: anchorId, to: newId, kind: 'siblings' }]
      return { position, moves: [], ties: newTies }
    }
  }
}
