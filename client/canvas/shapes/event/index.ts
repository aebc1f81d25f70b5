export {
  EVENT_SIZE,
  EventCard,
  type EventShape,
  EventShapeUtil,
  formatEventDate,
  MOOD_LOOK,
} from './EventShapeUtil'
export { EVENT_TOOL_ID, EventTool } from './EventTool'
export { EventToolIcon } from './icon'
export { axisPageY, eventSpot, isOnDate, pageXForDate, timelineOnPage } from './place'
