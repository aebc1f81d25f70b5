import {
  ChevronDown,
  ChevronUp,
  GripVertical,
  LocateFixed,
  MapPinPlus,
  UserPlus,
  Users,
} from 'lucide-react'
import { useId, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type Editor, useEditor, useValue } from 'tldraw'
import { instrumentOfPage } from '../../../shared/schema/pages'
import type { AtlasPerson } from '../../../shared/schema/person'
import { allPersons, createPerson, placePerson, viewOnPage } from '../shapes/person/personActions'
import { PICTOGRAM_ICONS } from '../shapes/person/pictograms'
import { useKeysStayHere } from './useKeysStayHere'

/** Distance a pointer travels before a press on a name becomes a drag. */
const DRAG_THRESHOLD = 6

/** True when the screen point is over the canvas itself, not over a panel or the toolbar. */
function isOverCanvas(editor: Editor, x: number, y: number): boolean {
  const target = editor.getContainer().ownerDocument.elementFromPoint(x, y)
  return !!target?.closest('.tl-canvas')
}

/**
 * Drags a person from the list onto the map with pointer events, so that it works with a mouse,
 * a pen and a finger alike. Dropped on the canvas, the person gets a view there (or his view on
 * this map moves there).
 */
function startDrag(editor: Editor, person: AtlasPerson, label: string, e: React.PointerEvent) {
  if (e.button !== 0) return
  const start = { x: e.clientX, y: e.clientY }
  const doc = editor.getContainer().ownerDocument
  let ghost: HTMLDivElement | null = null
  const move = (ev: PointerEvent) => {
    if (!ghost && Math.hypot(ev.clientX - start.x, ev.clientY - start.y) < DRAG_THRESHOLD) return
    const shown = ghost ?? doc.createElement('div')
    if (!ghost) {
      shown.className = 'person-drag-ghost'
      shown.textContent = label
      doc.body.appendChild(shown)
      ghost = shown
    }
    shown.style.transform = `translate(${ev.clientX}px, ${ev.clientY}px)`
  }
  const finish = (ev: PointerEvent) => {
    doc.removeEventListener('pointermove', move)
    doc.removeEventListener('pointerup', finish)
    doc.removeEventListener('pointercancel', cancel)
    if (!ghost) return
    ghost.remove()
    if (!isOverCanvas(editor, ev.clientX, ev.clientY)) return
    const point = editor.screenToPage({ x: ev.clientX, y: ev.clientY })
    const existing = viewOnPage(editor, person.id)
    if (existing) {
      editor.markHistoryStoppingPoint('move person')
      editor.updateShape({
        id: existing.id,
        type: 'person',
        x: point.x - existing.props.w / 2,
        y: point.y - existing.props.h / 2,
      })
      editor.select(existing.id)
    } else {
      placePerson(editor, person.id, point)
    }
  }
  const cancel = () => {
    ghost?.remove()
    ghost = null
    doc.removeEventListener('pointermove', move)
    doc.removeEventListener('pointerup', finish)
    doc.removeEventListener('pointercancel', cancel)
  }
  doc.addEventListener('pointermove', move)
  doc.addEventListener('pointerup', finish)
  doc.addEventListener('pointercancel', cancel)
}

/**
 * The list starts open on the maps, where people are drawn; on the basisposter and the contact
 * schedule it starts folded, to leave room for their own panels. Small screens start folded.
 */
function openByDefault(pageId: string): boolean {
  const instrument = instrumentOfPage(pageId)
  if (instrument === 'basisposter' || instrument === 'contactschema') return false
  return window.innerWidth >= 900
}

/**
 * Everyone in the atlas. Drag a person onto the map to show him there, or use the button
 * beside his name ("Zet op deze kaart"); a person already on this map can be found with "Laat zien".
 */
export function PeoplePanel() {
  const editor = useEditor()
  const { t } = useTranslation()
  const ref = useKeysStayHere<HTMLElement>()
  const listId = useId()
  const pageId = useValue('page', () => editor.getCurrentPageId(), [editor])
  const [openOn, setOpenOn] = useState<Record<string, boolean>>({})
  const open = openOn[pageId] ?? openByDefault(pageId)
  const setOpen = (value: boolean) => setOpenOn({ ...openOn, [pageId]: value })
  const persons = useValue('all persons', () => allPersons(editor), [editor])
  // The person shapes, from the store's query by type: a moved drawing does not recompute it.
  const personShapes = useMemo(
    () => editor.store.query.records('shape', () => ({ type: { eq: 'person' } })),
    [editor],
  )
  // A string, so dragging a shape on the page does not re-render the list at every frame.
  const onPageKey = useValue('persons on this page', () => {
    const current = editor.getCurrentPageId()
    const ids = new Set<string>()
    for (const shape of personShapes.get())
      if (shape.type === 'person' && editor.getAncestorPageId(shape) === current)
        ids.add(shape.props.personId)
    return [...ids].sort().join('\n')
  }, [editor, personShapes])
  const onPage = useMemo(() => new Set(onPageKey.split('\n')), [onPageKey])
  const readOnly = useValue('readonly', () => editor.getIsReadonly(), [editor])
  const name = (p: AtlasPerson) => p.name.trim() || t('people.unnamed')

  return (
    <nav
      ref={ref}
      className={open ? 'atlas-panel people-panel' : 'atlas-panel people-panel folded'}
      aria-label={t('people.panel.title')}
    >
      <div className="people-head">
        <button
          type="button"
          className="button people-toggle"
          aria-expanded={open}
          aria-controls={listId}
          onClick={() => setOpen(!open)}
          title={open ? t('people.panel.hide') : t('people.panel.show')}
        >
          <Users aria-hidden="true" size={20} />
          <span>
            {t('people.panel.title')} ({persons.length})
          </span>
          {open ? (
            <ChevronUp aria-hidden="true" size={20} />
          ) : (
            <ChevronDown aria-hidden="true" size={20} />
          )}
        </button>
      </div>
      <div id={listId} hidden={!open} className="people-body">
        {!readOnly && (
          <button type="button" className="button primary" onClick={() => createPerson(editor)}>
            <UserPlus aria-hidden="true" size={20} /> {t('people.panel.add')}
          </button>
        )}
        {persons.length === 0 ? (
          <p className="muted">{t('people.panel.empty')}</p>
        ) : (
          !readOnly && <p className="field-hint">{t('people.panel.hint')}</p>
        )}
        <ul className="people-list">
          {persons.map((person) => {
            const Icon = PICTOGRAM_ICONS[person.pictogram ?? 'person']
            const here = onPage.has(person.id)
            const label = name(person)
            return (
              <li key={person.id} className="person-row" data-person-id={person.id}>
                <div
                  className={readOnly ? 'person-row-name' : 'person-row-name draggable'}
                  title={readOnly ? undefined : t('people.panel.dragging', { name: label })}
                  onPointerDown={readOnly ? undefined : (e) => startDrag(editor, person, label, e)}
                >
                  {!readOnly && <GripVertical aria-hidden="true" size={18} className="grip" />}
                  {person.photo ? (
                    <img className="person-row-photo" src={person.photo} alt="" />
                  ) : (
                    <Icon aria-hidden="true" size={22} />
                  )}
                  <span className="person-row-text">
                    <span className="person-row-label">{label}</span>
                    {(person.isClient || person.isSupporter || here) && (
                      <span className="person-row-meta">
                        {[
                          person.isClient && t('people.client'),
                          person.isSupporter && t('people.supporter'),
                          here && t('people.panel.onThisMap'),
                        ]
                          .filter(Boolean)
                          .join(' · ')}
                      </span>
                    )}
                  </span>
                </div>
                {here ? (
                  <button
                    type="button"
                    className="button row-action"
                    aria-label={t('people.panel.locateWho', { name: label })}
                    onClick={() => placePerson(editor, person.id)}
                  >
                    <LocateFixed aria-hidden="true" size={20} />
                    <span aria-hidden="true">{t('people.panel.locate')}</span>
                  </button>
                ) : (
                  !readOnly && (
                    <button
                      type="button"
                      className="button row-action"
                      aria-label={t('people.panel.placeWho', { name: label })}
                      onClick={() => placePerson(editor, person.id)}
                    >
                      <MapPinPlus aria-hidden="true" size={20} />
                      <span aria-hidden="true">{t('people.panel.placeShort')}</span>
                    </button>
                  )
                )}
              </li>
            )
          })}
        </ul>
      </div>
    </nav>
  )
}
