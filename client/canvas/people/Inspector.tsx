import { X } from 'lucide-react'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { type TLShape, useEditor, useValue } from 'tldraw'
import { focusCanvas } from '../keyboard'
import { EventForm } from './EventForm'
import { PersonForm } from './PersonForm'
import { RelationForm } from './RelationForm'
import { useKeysStayHere } from './useKeysStayHere'

/** Shapes the inspector edits; tldraw's style panel stays away while only these are selected. */
export const INSPECTED_TYPES: ReadonlySet<string> = new Set(['person', 'relation', 'event'])

/** True while the selection holds only person, relation and event shapes. */
export function useOnlyAtlasShapesSelected(): boolean {
  const editor = useEditor()
  return useValue('only atlas shapes selected', () => {
    const selected = editor.getSelectedShapes()
    return selected.length > 0 && selected.every((s) => INSPECTED_TYPES.has(s.type))
  }, [editor])
}

/**
 * The editing panel for the selected person, relation or event: large fields with plain words.
 * Shown beside the canvas while one of them is selected.
 */
export function Inspector() {
  const editor = useEditor()
  const { t } = useTranslation()
  const ref = useKeysStayHere<HTMLElement>()
  const selected = useValue('inspected shapes', () => editor.getSelectedShapes(), [editor])
  const readOnly = useValue('readonly', () => editor.getIsReadonly(), [editor])
  const inspected = selected.filter((s) => INSPECTED_TYPES.has(s.type))
  // Escape goes back to the canvas with the selection kept, where Tab walks on to the next
  // shape and Enter comes back here (keyboard.ts). A dialog in the panel keeps its own Escape.
  useEffect(() => {
    const panel = ref.current
    if (!panel) return
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.isComposing || e.defaultPrevented) return
      if (e.target instanceof Element && e.target.closest('dialog')) return
      e.preventDefault()
      focusCanvas(editor)
    }
    panel.addEventListener('keydown', onKey)
    return () => panel.removeEventListener('keydown', onKey)
  })
  if (inspected.length === 0 || inspected.length !== selected.length) return null
  const shape = inspected[0] as TLShape

  return (
    <aside
      ref={ref}
      className="atlas-panel inspector"
      aria-label={t('people.inspector.label')}
      // Takes the focus when nothing in it can be changed (see keyboard.ts).
      tabIndex={-1}
      // Each field edited is its own undo step: undo takes back the name, not the whole person.
      onFocus={() => editor.markHistoryStoppingPoint('edit in inspector')}
    >
      <button
        type="button"
        className="icon-button inspector-close"
        aria-label={t('people.inspector.close')}
        title={t('people.inspector.close')}
        onClick={() => editor.selectNone()}
      >
        <X aria-hidden="true" size={22} />
      </button>
      {readOnly && <p className="muted">{t('people.inspector.readOnly')}</p>}
      {inspected.length > 1 ? (
        <p>{t('people.inspector.many')}</p>
      ) : (
        <>
          {shape.type === 'person' && (
            <PersonForm key={shape.id} shape={shape} readOnly={readOnly} />
          )}
          {shape.type === 'relation' && (
            <RelationForm key={shape.id} shape={shape} readOnly={readOnly} />
          )}
          {shape.type === 'event' && <EventForm key={shape.id} shape={shape} readOnly={readOnly} />}
        </>
      )}
    </aside>
  )
}
