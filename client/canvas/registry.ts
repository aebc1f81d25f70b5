import type {
  TLAnyBindingUtilConstructor,
  TLAnyShapeUtilConstructor,
  TLStateNodeConstructor,
} from 'tldraw'
import { PosterAreaShapeUtil, RingMapShapeUtil, TimelineShapeUtil } from './shapes/background'
import { EventShapeUtil, EventTool } from './shapes/event'
import { PersonShapeUtil, PersonTool } from './shapes/person'
import { RelationEndBindingUtil, RelationShapeUtil, RelationTool } from './shapes/relation'

/** The atlas's own shapes, passed to <Tldraw> beside tldraw's defaults (one per schema shape). */
export const shapeUtils: TLAnyShapeUtilConstructor[] = [
  PersonShapeUtil,
  RelationShapeUtil,
  EventShapeUtil,
  PosterAreaShapeUtil,
  RingMapShapeUtil,
  TimelineShapeUtil,
]

/** The atlas's own bindings. */
export const bindingUtils: TLAnyBindingUtilConstructor[] = [RelationEndBindingUtil]

/** The atlas's own tools; each has a toolbar entry (see ui.tsx). */
export const tools: TLStateNodeConstructor[] = [PersonTool, RelationTool, EventTool]
