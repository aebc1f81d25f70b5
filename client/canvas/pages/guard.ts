import type { Editor, TLPage, TLShape } from 'tldraw'
import { instrumentOfPage } from '../../../shared/schema/pages'

/** Shapes that hold the atlas's structured data: removed with Delete or the inspector, never by the eraser. */
const STRUCTURED_SHAPES: ReadonlySet<string> = new Set(['person', 'relation', 'event'])

/** Whether the eraser may take this shape: free drawings yes, persons, relations and events no. */
export function isErasable(shape: TLShape): boolean {
  return !STRUCTURED_SHAPES.has(shape.type)
}

/**
 * Keeps the five instrument pages as they are, whatever route a change takes on this device
 * (a menu, a shortcut, an action): they cannot be deleted, renamed or moved in the page order.
 * The server keeps them too (an old client, a device that was offline); this guard keeps this
 * device from ever trying. Changes from other devices pass: the server already decided on them.
 * Also keeps the eraser to free drawings, so one sweep cannot take people or relations away.
 * Returns a function that removes the handlers.
 */
export function registerInstrumentPageGuard(editor: Editor): () => void {
  // tldraw's deletePage removes the page's shapes before the page itself, so refusing the page
  // record alone would still empty the map: an instrument page is refused before anything goes.
  const deletePage = editor.deletePage
  editor.deletePage = function guardedDeletePage(this: Editor, page) {
    const id = typeof page === 'string' ? page : page.id
    return instrumentOfPage(id) ? this : deletePage.call(this, page)
  }
  const disposers = [
    editor.sideEffects.registerBeforeDeleteHandler('page', (page, source) => {
      if (source === 'user' && instrumentOfPage(page.id)) return false
    }),
    editor.sideEffects.registerBeforeChangeHandler('page', (prev: TLPage, next: TLPage, source) => {
      if (source !== 'user' || !instrumentOfPage(prev.id)) return next
      const same =
        prev.name === next.name &&
        prev.index === next.index &&
        JSON.stringify(prev.meta) === JSON.stringify(next.meta)
      return same ? next : prev
    }),
    editor.sideEffects.registerBeforeChangeHandler('instance_page_state', (_prev, next) => {
      const erasing = next.erasingShapeIds.filter((id) => {
        const shape = editor.getShape(id)
        return !shape || isErasable(shape)
      })
      return erasing.length === next.erasingShapeIds.length
        ? next
        : { ...next, erasingShapeIds: erasing }
    }),
  ]
  return () => {
    editor.deletePage = deletePage
    for (const dispose of disposers) dispose()
  }
}
