import { atom, type Editor, type TLShapeId } from 'tldraw'

/**
 * A relation just made with the keyboard ("Verbind"): its inspector takes the focus and says it
 * was made, so the keyboard goes on where the new relation is edited.
 */
export const madeRelation = atom<TLShapeId | null>('relation made with the keyboard', null)

/** True while the list of keyboard shortcuts (ShortcutsDialog) is open. */
export const shortcutsOpen = atom<boolean>('keyboard shortcuts open', false)

/** True for an element where a typed "?" is text: a field, a list box, editable text. */
function takesText(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || !!target.closest('input, textarea, select'))
  )
}

/** Puts the keyboard on the canvas, where tldraw's keys work (Tab to the next shape, arrows). */
export function focusCanvas(editor: Editor): void {
  // editor.focus() alone leaves the DOM focus where it was when the editor already counts as
  // focused: on the body, where tldraw's container hears no key.
  editor.getContainer().focus()
  editor.focus()
}

/**
 * Puts the keyboard in the inspector of the one selected person, relation or event: on its first
 * field that can be changed, or on the panel itself when nothing can be (a view link). False
 * when there is no such inspector.
 */
export function focusInspector(editor: Editor): boolean {
  // The inspector is shown only while persons, relations and events alone are selected.
  const panel = editor.getContainer().querySelector<HTMLElement>('.inspector')
  if (!panel || editor.getSelectedShapeIds().length !== 1) return false
  // `:disabled` also holds for a field in a disabled fieldset (the choice buttons of a viewer).
  const field = [
    ...panel.querySelectorAll<HTMLElement>('input, select, textarea, button:not(.inspector-close)'),
  ].find((el) => !el.matches(':disabled'))
  ;(field ?? panel).focus()
  return true
}

/**
 * Decides who gets Tab and Enter. tldraw listens for keys on its container, which also holds
 * the app's bars, panels and dialogs, and it takes Tab from every element it does not count as
 * a field (a link, a dialog): the focus then stays on that element while Tab walks the selection
 * across the canvas, and the inspector can never be reached. So:
 * - Tab on the canvas itself is tldraw's: with a shape selected it selects the next one (its
 *   shortcuts dialog says so), for keyboard and screen-reader users who walk the map.
 * - Tab anywhere else is the browser's: it moves the focus, never the selection; from the bar
 *   above it, it goes on into the inspector.
 * - Enter on the canvas, with one person, relation or event selected, goes into its inspector
 *   (Escape there comes back, see Inspector.tsx).
 */
export function registerKeyboardRouting(editor: Editor): () => void {
  const container = editor.getContainer()
  const onCanvas = (target: EventTarget | null) =>
    target === container || (target instanceof Element && !!target.closest('.tl-canvas'))
  // The focus moves between a Tab's keydown and its keyup: the keydown decides for both.
  let tabInUi = false
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Tab') {
      tabInUi = !onCanvas(e.target)
      if (tabInUi) editor.markEventAsHandled(e)
      return
    }
    if (
      e.key === 'Enter' &&
      e.target === container &&
      !(e.shiftKey || e.altKey || e.ctrlKey || e.metaKey || e.isComposing) &&
      editor.isIn('select.idle') &&
      focusInspector(editor)
    ) {
      e.preventDefault()
      editor.markEventAsHandled(e)
    }
  }
  const onKeyUp = (e: KeyboardEvent) => {
    if (e.key !== 'Tab') return
    if (tabInUi || !onCanvas(e.target)) editor.markEventAsHandled(e)
    tabInUi = false
  }
  // "?" opens the list of shortcuts from anywhere but a field: tldraw binds "/" (its cursor
  // chat) and Ctrl+Alt+/ (its own list), never "?". On the document, so it works from the body too.
  const doc = container.ownerDocument
  const onHelpKey = (e: KeyboardEvent) => {
    if (e.key !== '?' || e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return
    if (takesText(e.target) || doc.querySelector('dialog[open]')) return
    e.preventDefault()
    editor.markEventAsHandled(e)
    shortcutsOpen.set(true)
  }
  // Capture: before tldraw's own listeners on the same container.
  container.addEventListener('keydown', onKeyDown, true)
  container.addEventListener('keyup', onKeyUp, true)
  doc.addEventListener('keydown', onHelpKey, true)
  return () => {
    container.removeEventListener('keydown', onKeyDown, true)
    container.removeEventListener('keyup', onKeyUp, true)
    doc.removeEventListener('keydown', onHelpKey, true)
  }
}
