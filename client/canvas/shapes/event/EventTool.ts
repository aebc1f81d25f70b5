import { createShapeId, StateNode } from 'tldraw'
import { dateForX, moodForY } from '../../../../shared/domain/timeline'
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
    const editor = this.editor
    const point = editor.inputs.getCurrentPagePoint()
    const pageId = editor.getCurrentPageId()
    const timeline = timelineOnPage(editor, pageId)
    const id = createShapeId()
    const { w, h } = EVENT_SIZE
    let date = String(new Date().getFullYear())
    let mood: 'high' | 'low' = 'high'
    let spot = { x: point.x - w / 2, y: point.y - h / 2 }
    if (timeline) {
      const { fromYear, toYear } = timeline.props
      date = dateForX(point.x - timeline.x, fromYear, toYear, timeline.props.w)
      mood = moodForY(point.y, axisPageY(timeline))
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
  }

  override onCancel() {
    this.editor.setCurrentTool('select')
  }
}
