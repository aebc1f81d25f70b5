import {
  createShapeId,
  type Editor,
  getIndexBetween,
  type IndexKey,
  type TLShape,
  type TLShapeId,
} from 'tldraw'
import type { RelationKind } from '../../../../shared/schema/relation'
import type { RelationShape } from './shape'

type PersonShape = TLShape<'person'>

/** The sort key just below the lower of two shapes, so a line runs under the persons it joins. */
export function indexBelow(editor: Editor, a: TLShape, b: TLShape): IndexKey {
  const lower = a.index < b.index ? a : b
  const siblings = editor.getSortedChildIdsForParent(lower.parentId)
  const at = siblings.indexOf(lower.id)
  const below = at > 0 ? editor.getShape(siblings[at - 1] as TLShapeId) : undefined
  return getIndexBetween(below?.index, lower.index)
}

/**
 * Draws a relation of `kind` between two person shapes on one page and binds both ends, so the
 * line follows the persons. For `parent-child`, `from` is the parent. Returns the new relation's
 * id, or null when the shapes are not two person shapes on the same page.
 */
export function connectPersons(
  editor: Editor,
  fromPersonShapeId: TLShapeId,
  toPersonShapeId: TLShapeId,
  kind: RelationKind,
): TLShapeId | null {
  const from = editor.getShape<PersonShape>(fromPersonShapeId)
  const to = editor.getShape<PersonShape>(toPersonShapeId)
  if (!from || !to || from.type !== 'person' || to.type !== 'person' || from.id === to.id) {
    return null
  }
  const pageId = editor.getAncestorPageId(from)
  if (!pageId || pageId !== editor.getAncestorPageId(to)) return null

  const id = createShapeId()
  const fromBounds = editor.getShapePageBounds(from)
  const toBounds = editor.getShapePageBounds(to)
  const start = fromBounds?.center ?? { x: from.x, y: from.y }
  const end = toBounds?.center ?? { x: to.x, y: to.y }
  editor.run(() => {
    editor.createShape<RelationShape>({
      id,
      type: 'relation',
      parentId: pageId,
      index: indexBelow(editor, from, to),
      x: start.x,
      y: start.y,
      props: {
        kind,
        fromPersonId: from.props.personId,
        toPersonId: to.props.personId,
        start: { x: 0, y: 0 },
        end: { x: end.x - start.x, y: end.y - start.y },
      },
    })
    // Creating the bindings computes the exact end points (RelationEndBindingUtil).
    editor.createBindings([
      { type: 'relation-end', fromId: id, toId: from.id, props: { terminal: 'start' } },
      { type: 'relation-end', fromId: id, toId: to.id, props: { terminal: 'end' } },
    ])
  })
  return editor.getShape(id) ? id : null
}
