import {
  atom,
  Box,
  createShapeId,
  type Editor,
  type TLPageId,
  type TLShape,
  type TLShapeId,
  uniqueId,
  type VecLike,
} from 'tldraw'
import {
  arrangeChildren,
  type FamilyNode,
  type FamilyRole,
  type FamilyTie,
  kinOf,
  planFamilyAddition,
} from '../../../../shared/domain/family'
import { PERSON_SIZE } from '../../../../shared/domain/pageLayout'
import { instrumentOfPage, instrumentPageId } from '../../../../shared/schema/pages'
import {
  type AtlasPerson,
  type AtlasPersonId,
  defaultPersonProperties,
  personId as makePersonId,
} from '../../../../shared/schema/person'
import type { RelationKind } from '../../../../shared/schema/relation'
import { connectPersons } from '../relation/connect'

/** Size of a new person view; the same on every map, so views line up across pages. */
export const PERSON_VIEW_SIZE = { w: PERSON_SIZE.w, h: PERSON_SIZE.h }

type PersonShape = TLShape<'person'>
type RelationShape = TLShape<'relation'>
type EventShape = TLShape<'event'>

/**
 * A request to put the keyboard in the name field of a person just made, so that making a
 * person and naming him is one flow for mouse and keyboard users alike.
 */
export const nameFocusRequest = atom<TLShapeId | null>('name focus request', null)

/** Every person of the atlas, by name (the client first). */
export function allPersons(editor: Editor): AtlasPerson[] {
  const persons = editor.store.query.records('person').get() as AtlasPerson[]
  return [...persons].sort(
    (a, b) =>
      Number(b.isClient) - Number(a.isClient) ||
      a.name.localeCompare(b.name, 'nl') ||
      a.id.localeCompare(b.id),
  )
}

function allShapesOfType<K extends TLShape['type']>(editor: Editor, type: K) {
  return (editor.store.query.records('shape').get() as TLShape[]).filter(
    (s): s is Extract<TLShape, { type: K }> => s.type === type,
  )
}

/** All views of a person, on every page. */
export function viewsOf(editor: Editor, personId: string): PersonShape[] {
  return allShapesOfType(editor, 'person').filter((s) => s.props.personId === personId)
}

/** The view of a person on a page, if he stands there. */
export function viewOnPage(
  editor: Editor,
  personId: string,
  pageId: TLPageId = editor.getCurrentPageId(),
): PersonShape | undefined {
  return viewsOf(editor, personId).find((s) => editor.getAncestorPageId(s) === pageId)
}

/** Width the editing panel takes on the right of the screen once a person is selected. */
const INSPECTOR_ROOM = 380

/**
 * The middle of the part of the canvas that stays visible once the people panel (left) and the
 * editing panel (right) are open, in page space: where a person made without a click goes.
 */
export function visibleCentre(editor: Editor): VecLike {
  const screen = editor.getViewportScreenBounds()
  const panel = editor.getContainer().querySelector('.people-panel:not(.folded)')
  const left = Math.max(screen.minX, panel?.getBoundingClientRect().right ?? screen.minX)
  const right = screen.maxX - INSPECTOR_ROOM
  const x = right - left >= PERSON_VIEW_SIZE.w + 40 ? (left + right) / 2 : screen.center.x
  return editor.screenToPage({ x, y: screen.center.y })
}

/** A spot near `centre` where a new view covers no other person. */
function freeSpot(editor: Editor, centre: VecLike): { x: number; y: number } {
  const { w, h } = PERSON_VIEW_SIZE
  const taken = editor
    .getCurrentPageShapes()
    .filter((s) => s.type === 'person')
    .map((s) => editor.getShapePageBounds(s))
    .filter((b): b is Box => !!b)
  for (let i = 0; i < 40; i++) {
    const ring = Math.ceil(i / 4)
    const dx = [0, 1, 0, -1][i % 4] as number
    const dy = [1, 0, -1, 0][i % 4] as number
    const x = centre.x - w / 2 + dx * ring * (w + 24)
    const y = centre.y - h / 2 + dy * ring * (h + 24)
    const box = new Box(x, y, w, h)
    if (!taken.some((b) => b.collides(box))) return { x, y }
  }
  return { x: centre.x - w / 2, y: centre.y - h / 2 }
}

/** Puts a new view of a person on the current page with its centre at `centre`. */
function createView(editor: Editor, personId: string, centre: VecLike, exact: boolean): TLShapeId {
  const id = createShapeId()
  const { w, h } = PERSON_VIEW_SIZE
  const at = exact ? { x: centre.x - w / 2, y: centre.y - h / 2 } : freeSpot(editor, centre)
  editor.createShape<PersonShape>({ id, type: 'person', ...at, props: { personId, w, h } })
  return id
}

/**
 * Makes a new person of the atlas and a view of him on the current page: at `point` when given
 * (a click or a drop), else in the middle of the screen. Selects the view.
 */
export function createPerson(
  editor: Editor,
  point?: VecLike,
  props: Partial<Omit<AtlasPerson, 'id' | 'typeName'>> = {},
): { personId: AtlasPersonId; shapeId: TLShapeId } {
  const personId = makePersonId(uniqueId())
  let shapeId = '' as TLShapeId
  editor.markHistoryStoppingPoint('create person')
  editor.run(() => {
    editor.store.put([{ ...defaultPersonProperties(), ...props, id: personId, typeName: 'person' }])
    shapeId = createView(editor, personId, point ?? visibleCentre(editor), !!point)
    editor.select(shapeId)
  })
  nameFocusRequest.set(shapeId)
  return { personId, shapeId }
}

/**
 * Shows a person on the current page: a new view at `point` (or in the middle of the screen), or,
 * when he already stands there, his existing view. Selects it.
 */
export function placePerson(editor: Editor, personId: string, point?: VecLike): TLShapeId {
  const existing = viewOnPage(editor, personId)
  if (existing) {
    editor.select(existing.id)
    editor.zoomToSelectionIfOffscreen(120)
    return existing.id
  }
  editor.markHistoryStoppingPoint('place person')
  const id = createView(editor, personId, point ?? visibleCentre(editor), !!point)
  editor.select(id)
  return id
}

/** Changes a person of the atlas; every view of him shows the change. Only one is the client. */
export function updatePerson(
  editor: Editor,
  personId: string,
  patch: Partial<Omit<AtlasPerson, 'id' | 'typeName'>>,
): void {
  const person = editor.store.get(personId as AtlasPersonId) as AtlasPerson | undefined
  if (!person) return
  editor.run(() => {
    if (patch.isClient) {
      const others = allPersons(editor).filter((p) => p.isClient && p.id !== personId)
      editor.store.put(others.map((p) => ({ ...p, isClient: false })))
    }
    editor.store.put([{ ...person, ...patch }])
  })
}

/** Relation shapes with this person at one end, on every page. */
export function relationsOf(editor: Editor, personId: string): RelationShape[] {
  return allShapesOfType(editor, 'relation').filter(
    (r) => r.props.fromPersonId === personId || r.props.toPersonId === personId,
  )
}

/**
 * Removes a person from the atlas: all his views, all relations to him, his place in events,
 * and the person himself. One undo step brings it all back.
 */
export function deletePersonEverywhere(editor: Editor, personId: string): void {
  editor.markHistoryStoppingPoint('delete person')
  editor.run(() => {
    const shapes = [...viewsOf(editor, personId), ...relationsOf(editor, personId)]
    editor.deleteShapes(shapes.map((s) => s.id))
    const events = allShapesOfType(editor, 'event').filter((e) =>
      e.props.personIds.includes(personId),
    )
    editor.updateShapes<EventShape>(
      events.map((e) => ({
        id: e.id,
        type: 'event',
        props: { personIds: e.props.personIds.filter((id) => id !== personId) },
      })),
    )
    editor.store.remove([personId as AtlasPersonId])
  })
}

/** Joins two person views on the current page with a relation line. */
export function connectViews(
  editor: Editor,
  from: TLShapeId,
  to: TLShapeId,
  kind: RelationKind,
): TLShapeId | null {
  editor.markHistoryStoppingPoint('connect persons')
  return connectPersons(editor, from, to, kind)
}

/** True when the page is the family map, where relatives can be added by generation. */
export function isFamilyPage(pageId: TLPageId): boolean {
  return instrumentOfPage(pageId) === 'familiekaart'
}

/** The persons on a page as family-map nodes, their views, and the ties drawn there. */
function familyState(editor: Editor, pageId: TLPageId) {
  const views = allShapesOfType(editor, 'person').filter(
    (s) => editor.getAncestorPageId(s) === pageId,
  )
  const viewOf = new Map(views.map((v) => [v.props.personId, v]))
  const nodes: FamilyNode[] = views.flatMap((v) => {
    const box = editor.getShapePageBounds(v)
    const person = editor.store.get(v.props.personId as AtlasPersonId) as AtlasPerson | undefined
    return box
      ? [
          {
            personId: v.props.personId,
            box: { x: box.x, y: box.y, w: box.w, h: box.h },
            birthYear: person?.birthYear ?? null,
          },
        ]
      : []
  })
  const ties: FamilyTie[] = allShapesOfType(editor, 'relation')
    .filter((r) => editor.getAncestorPageId(r) === pageId)
    .map((r) => ({ from: r.props.fromPersonId, to: r.props.toPersonId, kind: r.props.kind }))
  return { viewOf, nodes, ties }
}

/**
 * Puts the children of a person's parents back in birth order (oldest left) on the family map,
 * after his birth year changed. Does nothing when his parents are not on the map.
 */
export function tidySiblings(editor: Editor, personId: string): void {
  const pageId = instrumentPageId('familiekaart')
  const { viewOf, nodes, ties } = familyState(editor, pageId)
  const parents = kinOf(personId, ties)
    .parents.map((id) => nodes.find((n) => n.personId === id))
    .filter((n): n is FamilyNode => !!n)
  const first = parents[0]
  const me = nodes.find((n) => n.personId === personId)
  if (!first || !me) return
  const childIds = kinOf(first.personId, ties).children
  const row = nodes.filter((n) => childIds.includes(n.personId) && n.box.y === me.box.y)
  const under =
    parents.slice(0, 2).reduce((sum, p) => sum + p.box.x + p.box.w / 2, 0) /
    Math.min(parents.length, 2)
  const others = nodes.filter((n) => !row.includes(n))
  const placed = arrangeChildren(row, under, me.box.y, PERSON_VIEW_SIZE, others)
  editor.run(() => {
    for (const p of placed) {
      const view = viewOf.get(p.personId)
      if (view && (view.x !== p.x || view.y !== p.y))
        editor.updateShape<PersonShape>({ id: view.id, type: 'person', x: p.x, y: p.y })
    }
  })
}

/**
 * From a person on the family map, adds a new relative: a new person and his view, placed by
 * generation (see shared/domain/family.ts), and the family lines that join them.
 */
export function addRelative(editor: Editor, anchorShapeId: TLShapeId, role: FamilyRole): TLShapeId {
  const anchor = editor.getShape<PersonShape>(anchorShapeId)
  const pageId = anchor && editor.getAncestorPageId(anchor)
  if (!anchor || !pageId) throw new Error('the person to add a relative to is gone')
  const { viewOf, nodes, ties } = familyState(editor, pageId)

  const newPersonId = makePersonId(uniqueId())
  const plan = planFamilyAddition(
    role,
    anchor.props.personId,
    newPersonId,
    PERSON_VIEW_SIZE,
    nodes,
    ties,
  )
  const newShapeId = createShapeId()
  editor.markHistoryStoppingPoint('add relative')
  editor.run(() => {
    editor.store.put([{ ...defaultPersonProperties(), id: newPersonId, typeName: 'person' }])
    editor.createShape<PersonShape>({
      id: newShapeId,
      type: 'person',
      parentId: pageId,
      ...plan.position,
      props: { personId: newPersonId, ...PERSON_VIEW_SIZE },
    })
    viewOf.set(newPersonId, editor.getShape<PersonShape>(newShapeId) as PersonShape)
    for (const move of plan.moves) {
      const view = viewOf.get(move.personId)
      if (view)
        editor.updateShape<PersonShape>({ id: view.id, type: 'person', x: move.x, y: move.y })
    }
    for (const tie of plan.ties) {
      const from = viewOf.get(tie.from)
      const to = viewOf.get(tie.to)
      if (from && to) connectPersons(editor, from.id, to.id, tie.kind)
    }
    editor.select(newShapeId)
  })
  editor.zoomToSelectionIfOffscreen(80)
  nameFocusRequest.set(newShapeId)
  return newShapeId
}

/** Room between the persons of a household and its dotted outline (birth years stand above). */
const HOUSEHOLD_PADDING = 40

/** The persons of one household around a person: him, his partners, and their children. */
export function householdOf(editor: Editor, personId: string): string[] {
  const members = new Set([personId])
  for (const r of relationsOf(editor, personId)) {
    if (r.props.kind !== 'married' && r.props.kind !== 'living-together') continue
    members.add(r.props.fromPersonId === personId ? r.props.toPersonId : r.props.fromPersonId)
  }
  for (const parent of [...members]) {
    for (const r of relationsOf(editor, parent)) {
      if (r.props.kind === 'parent-child' && r.props.fromPersonId === parent) {
        members.add(r.props.toPersonId)
      }
    }
  }
  return [...members]
}

/**
 * Draws the genogram's dotted outline around one household on the family map: a plain dotted
 * rectangle behind the persons, which people may move or resize like any drawing.
 */
export function outlineHousehold(editor: Editor, shapeId: TLShapeId): TLShapeId | null {
  const shape = editor.getShape<PersonShape>(shapeId)
  if (shape?.type !== 'person') return null
  const pageId = editor.getAncestorPageId(shape)
  if (!pageId) return null
  const boxes = householdOf(editor, shape.props.personId)
    .map((id) => viewOnPage(editor, id, pageId))
    .map((view) => (view ? editor.getShapePageBounds(view) : undefined))
    .filter((box): box is Box => Boolean(box))
  if (boxes.length === 0) return null
  const bounds = Box.Common(boxes).expandBy(HOUSEHOLD_PADDING)
  const id = createShapeId()
  editor.markHistoryStoppingPoint('outline household')
  editor.createShape({
    id,
    type: 'geo',
    parentId: pageId,
    x: bounds.x,
    y: bounds.y,
    props: {
      geo: 'rectangle',
      w: bounds.w,
      h: bounds.h,
      dash: 'dotted',
      fill: 'none',
      color: 'grey',
    },
    meta: { household: true },
  })
  editor.sendToBack([id])
  return id
}
