import { createShapeId, type Editor, type TLShape, type TLShapeId } from 'tldraw'
import { PERSON_SIZE, RING_MAP_LAYOUT, ringMapCentre } from '../../../shared/domain/pageLayout'
import { pointFor } from '../../../shared/domain/relationMap'
import { instrumentPageId } from '../../../shared/schema/pages'
import type { AtlasPerson, AtlasPersonId } from '../../../shared/schema/person'
import type { RelationShapeProps } from '../../../shared/schema/relation'
import { connectPersons } from '../shapes/relation/connect'

type PersonShape = TLShape<'person'>

const RELATION_MAP = instrumentPageId('relatiekaart')

/** The person's view on the relationship map, if he has one. */
function viewOnRelationMap(editor: Editor, personId: string): PersonShape | undefined {
  return editor
    .getSortedChildIdsForParent(RELATION_MAP)
    .map((id) => editor.getShape(id))
    .find((s): s is PersonShape => s?.type === 'person' && s.props.personId === personId)
}

/**
 * Puts a person on the relationship map: in his ring and sector when he has them, otherwise in
 * a column beside the rings, so that nobody is given a closeness he did not choose.
 */
function placeOnRelationMap(editor: Editor, person: AtlasPerson): PersonShape {
  const id = createShapeId()
  let centre: { x: number; y: number }
  if (person.closeness && person.sector) {
    const slot = editor
      .getSortedChildIdsForParent(RELATION_MAP)
      .map((sid) => editor.getShape(sid))
      .filter((s): s is PersonShape => s?.type === 'person')
      .map((s) => editor.store.get(s.props.personId as AtlasPersonId))
      .filter((p) => p?.closeness === person.closeness && p?.sector === person.sector).length
    centre = pointFor(person.closeness, person.sector, ringMapCentre(), RING_MAP_LAYOUT.w, slot)
  } else {
    const waiting = editor
      .getSortedChildIdsForParent(RELATION_MAP)
      .map((sid) => editor.getShape(sid))
      .filter((s) => s?.type === 'person' && s.x > RING_MAP_LAYOUT.x + RING_MAP_LAYOUT.w).length
    centre = {
      x: RING_MAP_LAYOUT.x + RING_MAP_LAYOUT.w + 80 + PERSON_SIZE.w / 2,
      y: RING_MAP_LAYOUT.y + PERSON_SIZE.h / 2 + waiting * (PERSON_SIZE.h + 24),
    }
  }
  editor.createShape<PersonShape>({
    id,
    type: 'person',
    parentId: RELATION_MAP,
    x: centre.x - PERSON_SIZE.w / 2,
    y: centre.y - PERSON_SIZE.h / 2,
    props: { personId: person.id, w: PERSON_SIZE.w, h: PERSON_SIZE.h },
  })
  return editor.getShape<PersonShape>(id) as PersonShape
}

/**
 * Adds a row to the contact schedule: a relation between two persons on the relationship map
 * (placing either of them there first if needed). Returns the relation's id, or null when the
 * persons are unknown or the same. One undo step.
 */
export function addContact(editor: Editor, whoId: string, withWhomId: string): TLShapeId | null {
  const who = editor.store.get(whoId as AtlasPersonId)
  const withWhom = editor.store.get(withWhomId as AtlasPersonId)
  if (!who || !withWhom || who.id === withWhom.id) return null
  editor.markHistoryStoppingPoint('add contact')
  let relationId: TLShapeId | null = null
  editor.run(() => {
    const from = viewOnRelationMap(editor, who.id) ?? placeOnRelationMap(editor, who)
    const to = viewOnRelationMap(editor, withWhom.id) ?? placeOnRelationMap(editor, withWhom)
    relationId = connectPersons(editor, from.id, to.id, 'normal')
  })
  return relationId
}

/** The contact fields of a relation, as the schedule edits them. */
export type ContactPatch = Partial<
  Pick<RelationShapeProps, 'contactMeans' | 'contactFrequency' | 'contactBrings'>
>

/** Writes contact fields to a relation shape, like any canvas edit (synced, undoable). */
export function updateContact(editor: Editor, relationId: string, patch: ContactPatch): void {
  const shape = editor.getShape(relationId as TLShapeId)
  if (shape?.type !== 'relation') return
  editor.updateShape({ id: shape.id, type: 'relation', props: patch })
}
