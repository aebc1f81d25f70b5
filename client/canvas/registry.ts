import type {
  TLAnyBindingUtilConstructor,
  TLAnyShapeUtilConstructor,
  TLStateNodeConstructor,
} from 'tldraw'
import { PosterAreaShapeUtil, RingMapShapeUtil, TimelineShapeUtil } from './shapes/background'
import { EventShapeUtil, EventTool } from './shapes/event'
import { AtlasGeoShapeUtil } from './shapes/geo'
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

/**
 * The shapes the on-screen canvas draws with: the atlas's own, and tldraw's geo shape with a
 * simpler drawing for pages seen from afar (same type, props and records as tldraw's).
 */
export const canvasShapeUtils: TLAnyShapeUtilConstructor[] = [...shapeUtils, AtlasGeoShapeUtil]

/** The atlas's own bindings. */
export const bindingUtils: TLAnyBindingUtilConstructor[] = [RelationEndBindingUtil]

/** The atlas's own tools; each has a toolbar entry (see ui.tsx). */
export const tools: TLStateNodeConstructor[] = [PersonTool, RelationTool, EventTool]
