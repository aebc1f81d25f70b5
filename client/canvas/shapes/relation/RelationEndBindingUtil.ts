import {
  type BindingOnChangeOptions,
  type BindingOnCreateOptions,
  type BindingOnDeleteOptions,
  type BindingOnShapeChangeOptions,
  type BindingOnShapeDeleteOptions,
  BindingUtil,
  type Editor,
  Geometry2dFilters,
  type TLBinding,
  type TLShape,
  type TLShapeId,
  Vec,
} from 'tldraw'
import {
  type RelationEndBindingProps,
  relationEndBindingMigrations,
  relationEndBindingProps,
} from '../../../../shared/schema/relation'
import { boxExit, COUPLE_KINDS, coupleDescent, genogramAnchors, type Pt, type Rect } from './path'
import type { RelationShape } from './shape'

/** A binding from a relation shape (fromId) to the person shape at one of its ends (toId). */
export type RelationEndBinding = TLBinding<'relation-end'>

type PersonShape = TLShape<'person'>

/** The start and end bindings of a relation shape. */
export function relationBindings(
  editor: Editor,
  relationId: TLShapeId,
): { start?: RelationEndBinding; end?: RelationEndBinding } {
  const result: { start?: RelationEndBinding; end?: RelationEndBinding } = {}
  for (const b of editor.getBindingsFromShape<RelationEndBinding>(relationId, 'relation-end')) {
    result[b.props.terminal] = b
  }
  return result
}

function pageRect(editor: Editor, shape: TLShape): Rect | null {
  const box = editor.getShapePageBounds(shape)
  return box ? { x: box.x, y: box.y, w: box.w, h: box.h } : null
}

/**
 * Where the line from the centre of `shape` towards `toward` (page space) crosses the shape's
 * outline, so lines end at a circle or diamond rather than at its bounding box.
 */
function outlineExit(editor: Editor, shape: TLShape, rect: Rect, toward: Pt): Pt {
  const fallback = boxExit(rect, toward)
  try {
    const transform = editor.getShapePageTransform(shape)
    const geometry = editor.getShapeGeometry(shape)
    const a = geometry.bounds.center
    const b = transform.clone().invert().applyToPoint(toward)
    const hits = geometry.intersectLineSegment(a, b, Geometry2dFilters.EXCLUDE_LABELS)
    if (hits.length === 0) return fallback
    // The crossing nearest to the other end: the outer edge of the symbol.
    let best = hits[0] as Vec
    for (const h of hits) if (Vec.Dist(h, b) < Vec.Dist(best, b)) best = Vec.From(h)
    return transform.applyToPoint(best)
  } catch {
    return fallback
  }
}

/** The person shape at the other end of a relation. */
function otherEnd(editor: Editor, relationId: TLShapeId, notId: TLShapeId): TLShapeId | undefined {
  const { start, end } = relationBindings(editor, relationId)
  return [start?.toId, end?.toId].find((id) => id !== undefined && id !== notId)
}

/** Relations bound to a person shape, with their kind. */
function relationsAt(editor: Editor, personShapeId: TLShapeId): RelationShape[] {
  return editor
    .getBindingsToShape<RelationEndBinding>(personShapeId, 'relation-end')
    .map((b) => editor.getShape<RelationShape>(b.fromId))
    .filter((r): r is RelationShape => r?.type === 'relation')
}

/**
 * The partner of `parent` who is also a parent of `child` (both drawn on this page), if any:
 * then the line to the child hangs from the middle of the couple line.
 */
function coParent(
  editor: Editor,
  parent: PersonShape,
  child: PersonShape,
  self: RelationShape,
): PersonShape | undefined {
  const otherParents = new Set<TLShapeId>()
  for (const r of relationsAt(editor, child.id)) {
    if (r.id === self.id || r.props.kind !== 'parent-child') continue
    const other = otherEnd(editor, r.id, child.id)
    if (other && other !== parent.id) otherParents.add(other)
  }
  if (otherParents.size === 0) return undefined
  for (const r of relationsAt(editor, parent.id)) {
    if (!COUPLE_KINDS.includes(r.props.kind)) continue
    const partner = otherEnd(editor, r.id, parent.id)
    if (partner && otherParents.has(partner)) return editor.getShape<PersonShape>(partner)
  }
  return undefined
}

const near = (a: Pt, b: Pt) => Math.abs(a.x - b.x) < 0.01 && Math.abs(a.y - b.y) < 0.01

/**
 * Where a relation's ends are (page space), computed from the person shapes it is bound to: the
 * genogram anchors on the family map where they fit, else where the line between the two
 * centres crosses each symbol's outline. With only the start bound, the end is `loose` (e.g.
 * the pointer while drawing) or the stored end. Null when the start is not bound.
 */
export function relationEndsInPage(
  editor: Editor,
  relation: RelationShape,
  loose?: Pt,
): { start: Pt; end: Pt; fromShape: PersonShape; toShape?: PersonShape } | null {
  const { start, end } = relationBindings(editor, relation.id)
  const fromShape = start ? editor.getShape<PersonShape>(start.toId) : undefined
  const toShape = end ? editor.getShape<PersonShape>(end.toId) : undefined
  const fromRect = fromShape && pageRect(editor, fromShape)
  const toRect = toShape && pageRect(editor, toShape)
  if (!fromShape || !fromRect) return null
  if (toShape && toRect) {
    const genogram = genogramAnchors(relation.props.kind, fromRect, toRect)
    if (genogram && relation.props.kind === 'parent-child') {
      // A child of a couple hangs from the middle of their couple line.
      const fromIsParent = fromRect.y + fromRect.h / 2 <= toRect.y + toRect.h / 2
      const [parent, child] = fromIsParent ? [fromShape, toShape] : [toShape, fromShape]
      const parentRect = fromIsParent ? fromRect : toRect
      const partner = coParent(editor, parent, child, relation)
      const partnerRect = partner && pageRect(editor, partner)
      const descent = partnerRect && coupleDescent(parentRect, partnerRect)
      const childTop = fromIsParent ? genogram.end : genogram.start
      if (descent && childTop.y - descent.y >= 24) {
        return fromIsParent
          ? { start: descent, end: childTop, fromShape, toShape }
          : { start: childTop, end: descent, fromShape, toShape }
      }
    }
    if (genogram) return { ...genogram, fromShape, toShape }
    const fromCentre = { x: fromRect.x + fromRect.w / 2, y: fromRect.y + fromRect.h / 2 }
    const toCentre = { x: toRect.x + toRect.w / 2, y: toRect.y + toRect.h / 2 }
    return {
      start: outlineExit(editor, fromShape, fromRect, toCentre),
      end: outlineExit(editor, toShape, toRect, fromCentre),
      fromShape,
      toShape,
    }
  }
  const endPage = loose ?? editor.getShapePageTransform(relation).applyToPoint(relation.props.end)
  return { start: outlineExit(editor, fromShape, fromRect, endPage), end: endPage, fromShape }
}

/**
 * Recomputes a relation from the person shapes it is bound to: its end points and the person
 * ids at both ends. Writes only when something changed, so it is safe to call from any hook.
 * `loose` is where a still unbound end should go (page space), e.g. the pointer while drawing.
 */
export function updateRelation(editor: Editor, relationId: TLShapeId, loose?: Pt): void {
  const relation = editor.getShape<RelationShape>(relationId)
  if (relation?.type !== 'relation') return
  const ends = relationEndsInPage(editor, relation, loose)
  if (!ends) return
  const { start: startPage, end: endPage, fromShape, toShape } = ends

  // The shape sits at its start point; start is its origin, end is relative to it.
  const origin = editor.getPointInParentSpace(relation, startPage)
  const endInParent = editor.getPointInParentSpace(relation, endPage)
  const next = {
    x: origin.x,
    y: origin.y,
    start: { x: 0, y: 0 },
    end: { x: endInParent.x - origin.x, y: endInParent.y - origin.y },
    fromPersonId: fromShape.props.personId,
    toPersonId: toShape?.props.personId ?? relation.props.toPersonId,
  }
  const p = relation.props
  if (
    near({ x: relation.x, y: relation.y }, next) &&
    relation.rotation === 0 &&
    near(p.start, next.start) &&
    near(p.end, next.end) &&
    p.fromPersonId === next.fromPersonId &&
    p.toPersonId === next.toPersonId
  ) {
    return
  }
  editor.updateShape<RelationShape>({
    id: relation.id,
    type: 'relation',
    x: next.x,
    y: next.y,
    rotation: 0,
    props: {
      start: next.start,
      end: next.end,
      fromPersonId: next.fromPersonId,
      toPersonId: next.toPersonId,
    },
  })
}

/**
 * Keeps a relation on its persons: when a bound person shape moves, resizes or shows another
 * person, the line follows; when a bound person shape is deleted, the relation goes too.
 */
export class RelationEndBindingUtil extends BindingUtil<RelationEndBinding> {
  static override type = 'relation-end' as const
  static override props = relationEndBindingProps
  static override migrations = relationEndBindingMigrations

  override getDefaultProps(): RelationEndBindingProps {
    return { terminal: 'start' }
  }

  override onAfterCreate({ binding }: BindingOnCreateOptions<RelationEndBinding>) {
    updateRelation(this.editor, binding.fromId)
  }

  override onAfterChange({ bindingAfter }: BindingOnChangeOptions<RelationEndBinding>) {
    updateRelation(this.editor, bindingAfter.fromId)
  }

  override onAfterChangeToShape({ binding }: BindingOnShapeChangeOptions<RelationEndBinding>) {
    updateRelation(this.editor, binding.fromId)
  }

  // Dragging or changing the relation itself: it snaps back onto its persons.
  override onAfterChangeFromShape({ binding }: BindingOnShapeChangeOptions<RelationEndBinding>) {
    updateRelation(this.editor, binding.fromId)
  }

  // No dangling relation: a relation without one of its persons is removed with him.
  override onBeforeDeleteToShape({ binding }: BindingOnShapeDeleteOptions<RelationEndBinding>) {
    const relation = this.editor.getShape(binding.fromId)
    if (relation) this.editor.deleteShapes([relation.id])
  }

  override onAfterDelete({ binding }: BindingOnDeleteOptions<RelationEndBinding>) {
    updateRelation(this.editor, binding.fromId)
  }
}
