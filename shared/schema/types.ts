import type { EventShapeProps } from './event'
import type { AtlasPerson, PersonShapeProps } from './person'
import type {
  AtlasPoster,
  AtlasQuestion,
  PosterAreaShapeProps,
  RingMapShapeProps,
  TimelineShapeProps,
} from './poster'
import type { RelationEndBindingProps, RelationShapeProps } from './relation'

// Teach tldraw's types about the atlas's shapes, bindings and records.
declare module '@tldraw/tlschema' {
  export interface TLGlobalShapePropsMap {
    person: PersonShapeProps
    relation: RelationShapeProps
    event: EventShapeProps
    'poster-area': PosterAreaShapeProps
    'ring-map': RingMapShapeProps
    timeline: TimelineShapeProps
  }
  export interface TLGlobalBindingPropsMap {
    'relation-end': RelationEndBindingProps
  }
  export interface TLGlobalRecordPropsMap {
    person: AtlasPerson
    question: AtlasQuestion
    poster: AtlasPoster
  }
}
