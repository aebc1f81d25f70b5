import { atom, createShapeId, type Editor, StateNode, type TLShapeId, type VecLike } from 'tldraw'
import { dateForX, moodForY } from '../../../../shared/domain/timeline'
import { visibleCentre } from '../person/personActions'
import { EVENT_SIZE, type EventShape } from './EventShapeUtil'
import { axisPageY, eventSpot, timelineOnPage } from './place'

/** The id of the event tool. */
export const EVENT_TOOL_ID = 'event'

/**
 * Adds a life event with one click: the place on the time axis gives its year, above the axis
 * makes it a high point and below a low point. The new event is selected so its title can be
 * filled in right away.
 */
export class EventTool extends StateNode {
  static override id = EVENT_TOOL_ID

  override onEnter() {
    this.editor.setCursor({ type: 'cross', rotation: 0 })
  }

  override onPointerUp() {
    createEvent(this.editor, this.editor.inputs.getCurrentPagePoint())
  }

  override onCancel() {
    this.editor.setCurrentTool('select')
  }
}

/** An event just made without a pointer: its form puts the keyboard in its title. */
export const eventFocusRequest = atom<TLShapeId | null>('event focus request', null)

/**
 * Makes a life event at `point` (a click), or in the middle of the screen: on a time axis the place
 * gives its year, above the axis makes it a high point and below a low point. Selects it, so its
 * title can be filled in right away; made without a point (the keyboard), the title gets the focus.
 */
export function createEvent(editor: Editor, point?: VecLike): TLShapeId {
  const at = point ?? visibleCentre(editor)
  const pageId = editor.getCurrentPageId()
  const timeline = timelineOnPage(editor, pageId)
  const id = createShapeId()
  const { w, h } = EVENT_SIZE
  let date = String(new Date().getFullYear())
  let mood: 'high' | 'low' = 'high'
  let spot = { x: at.x - w / 2, y: at.y - h / 2 }
  if (timeline) {
    const { fromYear, toYear } = timeline.props
    date = dateForX(at.x - timeline.x, fromYear, toYear, timeline.props.w)
    mood = moodForY(at.y, axisPageY(timeline))
    spot = eventSpot(editor, timeline, { date, mood, w, h }) ?? spot
  }
  editor.markHistoryStoppingPoint('add event')
  editor.createShape<EventShape>({
    id,
    type: 'event',
    parentId: pageId,
    x: spot.x,
    y: spot.y,
    props: { date, mood, w, h },
  })
  editor.setCurrentTool('select')
  editor.select(id)
  if (!point) eventFocusRequest.set(id)
  return id
}
