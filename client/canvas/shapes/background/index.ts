export { BackgroundShapeUtil } from './BackgroundShapeUtil'
export {
  PosterAreaCard,
  type PosterAreaShape,
  PosterAreaShapeUtil,
  sortQuestions,
} from './PosterAreaShapeUtil'
export { type RingMapShape, RingMapShapeUtil, RingMapSvg } from './RingMapShapeUtil'
export { type TimelineShape, TimelineShapeUtil, TimelineSvg } from './TimelineShapeUtil'
