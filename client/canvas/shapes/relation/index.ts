export { connectPersons, indexBelow } from './connect'
export { RelationToolIcon } from './icon'
export {
  type RelationEndBinding,
  RelationEndBindingUtil,
  relationBindings,
  updateRelation,
} from './RelationEndBindingUtil'
export { RelationShapeUtil, RelationSvg } from './RelationShapeUtil'
export { defaultRelation, RELATION_TOOL_ID, RelationTool } from './RelationTool'
export type { RelationShape } from './shape'
export { RELATION_STYLES } from './style'
