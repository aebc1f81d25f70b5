export {
  EVENT_SIZE,
  EventCard,
  type EventShape,
  EventShapeUtil,
  formatEventDate,
  MOOD_LOOK,
} from './EventShapeUtil'
export { createEvent, EVENT_TOOL_ID, EventTool, eventFocusRequest } from './EventTool'
export { EventToolIcon } from './icon'
export { axisPageY, eventSpot, isOnDate, pageXForDate, timelineOnPage } from './place'
