import { StateNode } from 'tldraw'
import { createPerson } from './personActions'

/** The person tool: a click makes a new person of the atlas with a view where it landed. */
export class PersonTool extends StateNode {
  static override id = 'person'

  override onEnter(): void {
    this.editor.setCursor({ type: 'cross', rotation: 0 })
  }

  override onPointerUp(): void {
    createPerson(this.editor, this.editor.inputs.getCurrentPagePoint())
    this.editor.setCurrentTool('select')
  }

  override onCancel(): void {
    this.editor.setCurrentTool('select')
  }
}
