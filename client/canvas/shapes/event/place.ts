import type { Editor, TLParentId, TLShape, TLShapeId } from 'tldraw'
import {
  eventTopY,
  freeLane,
  type Span,
  TIMELINE_AXIS_Y,
  TIMELINE_GEOMETRY,
  xForDate,
} from '../../../../shared/domain/timeline'
import type { EventMood } from '../../../../shared/schema/event'

type EventShape = TLShape<'event'>
type TimelineShape = TLShape<'timeline'>

/** The time axis on a page (the first, if someone made more). */
export function timelineOnPage(editor: Editor, pageId: TLParentId): TimelineShape | undefined {
  for (const id of editor.getSortedChildIdsForParent(pageId)) {
    const shape = editor.getShape(id)
    if (shape?.type === 'timeline') return shape as TimelineShape
  }
  return undefined
}

/** The page y of a timeline's axis. */
export function axisPageY(timeline: TimelineShape): number {
  return timeline.y + TIMELINE_AXIS_Y
}

/** The page x of the centre of an event card dated `date` on this axis (NaN for a bad date). */
export function pageXForDate(timeline: TimelineShape, date: string): number {
  const { w, fromYear, toYear } = timeline.props
  return timeline.x + xForDate(date, fromYear, toYear, w)
}

/**
 * Where an event belongs on the axis: centred on its date, above the axis for a high point and
 * below for a low point, in the first lane where it covers no other event of the same side.
 */
export function eventSpot(
  editor: Editor,
  timeline: TimelineShape,
  event: { id?: TLShapeId; date: string; mood: EventMood; w: number; h: number },
): { x: number; y: number } | null {
  const centreX = pageXForDate(timeline, event.date)
  if (Number.isNaN(centreX)) return null
  const left = centreX - event.w / 2
  const axisY = axisPageY(timeline)
  const taken: Span[] = []
  for (const id of editor.getSortedChildIdsForParent(timeline.parentId)) {
    const other = editor.getShape(id)
    if (other?.type !== 'event' || other.id === event.id) continue
    const o = other as EventShape
    const above = o.y + o.props.h / 2 < axisY
    if (above !== (event.mood === 'high')) continue
    // Which lane the other card stands in, from its distance to the axis.
    const distance = above ? axisY - (o.y + o.props.h) : o.y - axisY
    const { axisGap, laneGap } = TIMELINE_GEOMETRY
    const lane = Math.max(0, Math.round((distance - axisGap) / (o.props.h + laneGap)))
    taken.push({ left: o.x, right: o.x + o.props.w, lane })
  }
  const lane = freeLane(left, left + event.w, taken)
  return { x: left, y: eventTopY(event.mood, axisY, event.h, lane) }
}

/** True when an event card stands (centred) on its date's place on the axis. */
export function isOnDate(timeline: TimelineShape, event: EventShape): boolean {
  const x = pageXForDate(timeline, event.props.date)
  return Number.isNaN(x) || Math.abs(event.x + event.props.w / 2 - x) < 0.5
}
