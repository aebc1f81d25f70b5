import { type Editor, react, type TLParentId, type TLShape, type TLShapeId } from 'tldraw'
import {
  type Placement,
  placementAt,
  pointFor,
  samePlacement,
} from '../../../shared/domain/relationMap'
import { dateForX, moodForY, withYear, yearOf } from '../../../shared/domain/timeline'
import { instrumentPageId } from '../../../shared/schema/pages'
import type { AtlasPerson, AtlasPersonId } from '../../../shared/schema/person'
import { axisPageY, eventSpot, pageXForDate, timelineOnPage } from '../shapes/event/place'

type PersonShape = TLShape<'person'>
type EventShape = TLShape<'event'>
type RingMapShape = TLShape<'ring-map'>
type TimelineShape = TLShape<'timeline'>

const RELATIEKAART = instrumentPageId('relatiekaart')

function firstOnPage<T extends TLShape>(editor: Editor, pageId: TLParentId, type: T['type']) {
  for (const id of editor.getSortedChildIdsForParent(pageId)) {
    const shape = editor.getShape(id)
    if (shape?.type === type) return shape as T
  }
  return undefined
}

/** Centre (page space) and diameter of a ring map. */
function mapFrame(editor: Editor, map: RingMapShape) {
  const centre = editor
    .getShapePageTransform(map)
    .applyToPoint({ x: map.props.w / 2, y: map.props.w / 2 })
  return { centre, diameter: map.props.w }
}

function centreOf(editor: Editor, shape: TLShape) {
  return editor.getShapePageBounds(shape)?.center ?? null
}

// ----- relationship map: position IS closeness and sector -----

/** Writes the cell a person shape stands in into his person record (if it differs). */
function personShapePlaced(editor: Editor, shape: PersonShape) {
  if (editor.getAncestorPageId(shape) !== RELATIEKAART) return
  const map = firstOnPage<RingMapShape>(editor, RELATIEKAART, 'ring-map')
  const person = editor.store.get(shape.props.personId as AtlasPersonId)
  const centre = centreOf(editor, shape)
  // The client is the middle of the map, not a person in one of its rings.
  if (!map || !person || person.isClient || !centre) return
  const { centre: mapCentre, diameter } = mapFrame(editor, map)
  const placement = placementAt(centre, mapCentre, diameter)
  const next = placement ?? { closeness: null, sector: null }
  if (person.closeness === next.closeness && person.sector === next.sector) return
  editor.store.put([{ ...person, closeness: next.closeness, sector: next.sector }])
}

/** Moves a person's shapes on the relationship map into the cell his record names. */
function personRecordChanged(editor: Editor, prev: AtlasPerson, next: AtlasPerson) {
  if (prev.closeness === next.closeness && prev.sector === next.sector) return
  const map = firstOnPage<RingMapShape>(editor, RELATIEKAART, 'ring-map')
  if (!map) return
  const { centre: mapCentre, diameter } = mapFrame(editor, map)
  const persons = editor
    .getSortedChildIdsForParent(RELATIEKAART)
    .map((id) => editor.getShape(id))
    .filter((s): s is PersonShape => s?.type === 'person')
  for (const shape of persons) {
    if (shape.props.personId !== next.id) continue
    const centre = centreOf(editor, shape)
    if (!centre) continue
    const current = placementAt(centre, mapCentre, diameter)
    const closeness = next.closeness ?? current?.closeness
    const sector = next.sector ?? current?.sector
    if (!closeness || !sector) continue
    const target: Placement = { closeness, sector }
    if (samePlacement(current, target)) continue
    // The first spot of the cell that nobody stands on yet.
    const others = persons
      .filter((p) => p.id !== shape.id)
      .map((p) => centreOf(editor, p))
      .filter((p) => p !== null)
    const room = Math.min(shape.props.w, shape.props.h) * 0.75
    let point = pointFor(closeness, sector, mapCentre, diameter, 0)
    for (let slot = 0; slot < 15; slot++) {
      const candidate = pointFor(closeness, sector, mapCentre, diameter, slot)
      if (others.every((o) => Math.hypot(o.x - candidate.x, o.y - candidate.y) > room)) {
        point = candidate
        break
      }
    }
    editor.updateShape<PersonShape>({
      id: shape.id,
      type: 'person',
      x: shape.x + point.x - centre.x,
      y: shape.y + point.y - centre.y,
    })
  }
}

// ----- life-events map: position IS date (year) and mood -----

const isDragging = (editor: Editor) => editor.isIn('select.translating')

/** Puts an event's centre on its date's x (keeping its height). */
function snapToDate(editor: Editor, timeline: TimelineShape, event: EventShape) {
  const x = pageXForDate(timeline, event.props.date) - event.props.w / 2
  if (Number.isNaN(x) || Math.abs(x - event.x) < 0.5) return
  editor.updateShape<EventShape>({ id: event.id, type: 'event', x })
}

/** A new event goes to its place: its date's x, above or below the axis by mood. */
function eventCreated(editor: Editor, event: EventShape) {
  const timeline = timelineOnPage(editor, event.parentId)
  if (!timeline) return
  const spot = eventSpot(editor, timeline, { id: event.id, ...event.props })
  if (!spot || (Math.abs(spot.x - event.x) < 0.5 && Math.abs(spot.y - event.y) < 0.5)) return
  editor.updateShape<EventShape>({ id: event.id, type: 'event', x: spot.x, y: spot.y })
}

function eventChanged(editor: Editor, prev: EventShape, next: EventShape) {
  if (prev.parentId !== next.parentId) return
  const timeline = timelineOnPage(editor, next.parentId)
  if (!timeline) return
  const moved = prev.x !== next.x || prev.y !== next.y
  const dateChanged = prev.props.date !== next.props.date
  const moodChanged = prev.props.mood !== next.props.mood
  if (moved && !dateChanged && !moodChanged) {
    // Dragged: another year's span changes the year (month and day stay); across the axis
    // flips high and low. Small moves within the year keep the date as it was.
    const { fromYear, toYear, w } = timeline.props
    const centreX = next.x + next.props.w / 2 - timeline.x
    const year = Number(dateForX(centreX, fromYear, toYear, w))
    const date =
      year === yearOf(next.props.date) ? next.props.date : withYear(next.props.date, year)
    const mood = moodForY(next.y + next.props.h / 2, axisPageY(timeline))
    const x = isDragging(editor) ? next.x : pageXForDate(timeline, date) - next.props.w / 2
    if (date === next.props.date && mood === next.props.mood && Math.abs(x - next.x) < 0.5) return
    editor.updateShape<EventShape>({ id: next.id, type: 'event', x, props: { date, mood } })
    return
  }
  if (moved || isDragging(editor)) return
  if (moodChanged) {
    // Edited to the other side: it moves across the axis, into the first free lane.
    const spot = eventSpot(editor, timeline, { id: next.id, ...next.props })
    if (spot) editor.updateShape<EventShape>({ id: next.id, type: 'event', ...spot })
  } else if (dateChanged) {
    snapToDate(editor, timeline, next)
  }
}

/** A changed axis (other years, other width): every event moves to its date again. */
function timelineChanged(editor: Editor, prev: TimelineShape, next: TimelineShape) {
  const p = prev.props
  const n = next.props
  if (p.w === n.w && p.fromYear === n.fromYear && p.toYear === n.toYear && prev.x === next.x) return
  for (const id of editor.getSortedChildIdsForParent(next.parentId)) {
    const shape = editor.getShape(id)
    if (shape?.type === 'event') snapToDate(editor, next, shape as EventShape)
  }
}

/** After a drag ends, dragged events settle on their date's x. */
function draggingEnded(editor: Editor, ids: readonly TLShapeId[]) {
  editor.run(() => {
    for (const id of ids) {
      const shape = editor.getShape(id)
      if (shape?.type !== 'event') continue
      const timeline = timelineOnPage(editor, shape.parentId)
      if (timeline) snapToDate(editor, timeline, shape as EventShape)
    }
  })
}

/**
 * Keeps position and data of the maps in step, for changes made on this device:
 * - relationship map: moving or dropping a person sets his closeness and sector; editing them
 *   moves his shape into that ring and sector;
 * - life-events map: a new or re-dated event moves to its date on the axis, a high point above
 *   and a low point below; dragging an event into another year changes its year (month and day
 *   stay), dragging it across the axis makes a high point low or back; after the drag it
 *   settles on its date.
 * Changes from other devices are never answered with writes: the device that made them did
 * this already. Returns a function that removes the handlers.
 */
export function registerMapSideEffects(editor: Editor): () => void {
  const canWrite = (source: 'user' | 'remote') => source === 'user' && !editor.getIsReadonly()

  const disposers = [
    editor.sideEffects.registerAfterCreateHandler('shape', (shape, source) => {
      if (!canWrite(source)) return
      if (shape.type === 'person') personShapePlaced(editor, shape as PersonShape)
      else if (shape.type === 'event') eventCreated(editor, shape as EventShape)
    }),
    editor.sideEffects.registerAfterChangeHandler('shape', (prev, next, source) => {
      if (!canWrite(source)) return
      if (next.type === 'person' && prev.type === 'person') {
        const a = prev as PersonShape
        const b = next as PersonShape
        const moved =
          a.x !== b.x ||
          a.y !== b.y ||
          a.parentId !== b.parentId ||
          a.props.w !== b.props.w ||
          a.props.h !== b.props.h ||
          a.props.personId !== b.props.personId
        if (moved) personShapePlaced(editor, b)
      } else if (next.type === 'event' && prev.type === 'event') {
        eventChanged(editor, prev as EventShape, next as EventShape)
      } else if (next.type === 'timeline' && prev.type === 'timeline') {
        timelineChanged(editor, prev as TimelineShape, next as TimelineShape)
      }
    }),
    editor.sideEffects.registerAfterChangeHandler('person', (prev, next, source) => {
      if (!canWrite(source)) return
      personRecordChanged(editor, prev, next)
    }),
  ]

  let dragged: TLShapeId[] = []
  const stopWatchingDrag = react('settle dragged events', () => {
    const dragging = isDragging(editor)
    if (dragging) {
      dragged = editor.getSelectedShapeIds()
    } else if (dragged.length > 0) {
      const ids = dragged
      dragged = []
      if (!editor.getIsReadonly()) queueMicrotask(() => draggingEnded(editor, ids))
    }
  })

  return () => {
    for (const dispose of disposers) dispose()
    stopWatchingDrag()
  }
}
