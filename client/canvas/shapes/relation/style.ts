import type { RelationKind } from '../../../../shared/schema/relation'

/** How a relation of one kind is drawn. */
export interface RelationStyle {
  /** Line width in canvas pixels. */
  width: number
  /** SVG dash pattern, or none for a solid line. */
  dash?: string
  zigzag?: boolean
  color: string
}

const INK = '#36454f'
const CONFLICT = '#c62828'

/**
 * Line styles per kind. Relational ties: strong thick, normal medium, weak thin, tenuous
 * dashed, stressful a red zigzag. Family ties follow the genogram: a solid couple line for a
 * marriage, dashed for living together; separated and divorced get slashes (drawn apart).
 */
export const RELATION_STYLES: Record<RelationKind, RelationStyle> = {
  strong: { width: 7, color: INK },
  normal: { width: 3.5, color: INK },
  weak: { width: 1.5, color: INK },
  tenuous: { width: 2.5, dash: '10 8', color: INK },
  stressful: { width: 3, zigzag: true, color: CONFLICT },
  married: { width: 3, color: INK },
  'living-together': { width: 3, dash: '10 7', color: INK },
  separated: { width: 3, color: INK },
  divorced: { width: 3, color: INK },
  'parent-child': { width: 2.5, color: INK },
  siblings: { width: 2.5, color: INK },
}
