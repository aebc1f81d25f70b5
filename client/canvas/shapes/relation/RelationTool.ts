import {
  createShapeId,
  type Editor,
  StateNode,
  type TLShape,
  type TLShapeId,
  type TLStateNodeConstructor,
} from 'tldraw'
import { instrumentOfPage } from '../../../../shared/schema/pages'
import type { RelationKind } from '../../../../shared/schema/relation'
import { connectPersons, indexBelow } from './connect'
import { updateRelation } from './RelationEndBindingUtil'
import type { RelationShape } from './shape'

/** The id of the relation tool. */
export const RELATION_TOOL_ID = 'relation'

type PersonShape = TLShape<'person'>

/** The person shape under a page point, if any. */
function personAt(editor: Editor, point: { x: number; y: number }, except?: TLShapeId) {
  return editor.getShapeAtPoint(point, {
    hitInside: true,
    margin: 8,
    filter: (s) => s.type === 'person' && s.id !== except,
  }) as PersonShape | undefined
}

/**
 * The kind a new relation gets, and which person is its start. On the family map: a person
 * clearly above the other is a parent (parent–child, the parent first), side by side they are
 * partners (married). Elsewhere a normal tie. The inspector changes the kind afterwards.
 */
export function defaultRelation(
  editor: Editor,
  from: PersonShape,
  to: PersonShape,
): { kind: RelationKind; from: PersonShape; to: PersonShape } {
  if (instrumentOfPage(editor.getCurrentPageId()) !== 'familiekaart') {
    return { kind: 'normal', from, to }
  }
  const a = editor.getShapePageBounds(from)
  const b = editor.getShapePageBounds(to)
  if (a && b) {
    if (a.maxY <= b.minY) return { kind: 'parent-child', from, to }
    if (b.maxY <= a.minY) return { kind: 'parent-child', from: to, to: from }
  }
  return { kind: 'married', from, to }
}

class Idle extends StateNode {
  static override id = 'idle'

  override onEnter() {
    this.editor.setCursor({ type: 'cross', rotation: 0 })
  }

  override onPointerMove() {
    const person = personAt(this.editor, this.editor.inputs.getCurrentPagePoint())
    this.editor.setHintingShapes(person ? [person.id] : [])
  }

  override onPointerDown() {
    const person = personAt(this.editor, this.editor.inputs.getCurrentPagePoint())
    if (person) this.parent.transition('connecting', { fromId: person.id })
  }

  override onCancel() {
    this.editor.setCurrentTool('select')
  }

  override onExit() {
    this.editor.setHintingShapes([])
  }
}

/** While dragging: a preview line from the first person follows the pointer. */
class Connecting extends StateNode {
  static override id = 'connecting'
  private fromId: TLShapeId | null = null
  private previewId: TLShapeId | null = null
  private mark = ''

  override onEnter(info: { fromId: TLShapeId }) {
    const from = this.editor.getShape<PersonShape>(info.fromId)
    if (!from) {
      this.parent.transition('idle')
      return
    }
    this.fromId = from.id
    this.mark = this.editor.markHistoryStoppingPoint('draw relation')
    const id = createShapeId()
    this.previewId = id
    const point = this.editor.inputs.getCurrentPagePoint()
    const pageId = this.editor.getCurrentPageId()
    this.editor.createShape<RelationShape>({
      id,
      type: 'relation',
      parentId: pageId,
      index: indexBelow(this.editor, from, from),
      x: point.x,
      y: point.y,
      props: { kind: 'normal', fromPersonId: from.props.personId },
    })
    this.editor.createBinding({
      type: 'relation-end',
      fromId: id,
      toId: from.id,
      props: { terminal: 'start' },
    })
  }

  override onPointerMove() {
    if (!this.previewId || !this.fromId) return
    const point = this.editor.inputs.getCurrentPagePoint()
    const target = personAt(this.editor, point, this.fromId)
    this.editor.setHintingShapes(target ? [this.fromId, target.id] : [this.fromId])
    // The preview ends at the pointer; the line is bound to the target only on release.
    updateRelation(this.editor, this.previewId, point)
  }

  override onPointerUp() {
    const point = this.editor.inputs.getCurrentPagePoint()
    const from = this.fromId ? this.editor.getShape<PersonShape>(this.fromId) : undefined
    const target = from ? personAt(this.editor, point, from.id) : undefined
    this.editor.bailToMark(this.mark)
    this.previewId = null
    if (from && target) {
      const choice = defaultRelation(this.editor, from, target)
      const id = connectPersons(this.editor, choice.from.id, choice.to.id, choice.kind)
      if (id) {
        this.editor.setCurrentTool('select')
        this.editor.select(id)
        return
      }
    }
    this.parent.transition('idle')
  }

  override onCancel() {
    this.editor.bailToMark(this.mark)
    this.previewId = null
    this.parent.transition('idle')
  }

  override onInterrupt() {
    this.onCancel()
  }

  override onExit() {
    if (this.previewId) this.editor.bailToMark(this.mark)
    this.previewId = null
    this.fromId = null
    this.editor.setHintingShapes([])
  }
}

/**
 * Draws a relation: press on one person, drag to another, let go. The relation is created with
 * both ends bound and selected, so its kind can be set right away.
 */
export class RelationTool extends StateNode {
  static override id = RELATION_TOOL_ID
  static override initial = 'idle'
  static override children(): TLStateNodeConstructor[] {
    return [Idle, Connecting]
  }
}
