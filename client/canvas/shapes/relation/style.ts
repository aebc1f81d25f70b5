import type { RelationKind, RelationShapeProps } from '../../../../shared/schema/relation'

/** How a relation of one kind is drawn. */
export interface RelationStyle {
  /** Line width in canvas pixels. */
  width: number
  /** SVG dash pattern, or none for a solid line. */
  dash?: string
  /** Round dots (the dash pattern with round caps) rather than dashes. */
  dotted?: boolean
  /** Two parallel lines: the stroke with a white line down its middle. */
  double?: boolean
  zigzag?: boolean
  color: string
}

const INK = '#36454f'
const CONFLICT = '#c62828'

/**
 * Line styles per kind. Each relational tie differs by its pattern, not by colour alone (WCAG
 * 1.4.1): strong a thick double line, normal a single line, weak dotted, tenuous dashed,
 * stressful a zigzag (and red). Family ties follow the genogram: a solid couple line for a
 * marriage, dashed for living together; separated and divorced get slashes (drawn apart).
 */
export const RELATION_STYLES: Record<RelationKind, RelationStyle> = {
  strong: { width: 8, double: true, color: INK },
  normal: { width: 3.5, color: INK },
  weak: { width: 3, dash: '0.1 6.5', dotted: true, color: INK },
  tenuous: { width: 2.5, dash: '10 8', color: INK },
  stressful: { width: 3, zigzag: true, color: CONFLICT },
  married: { width: 3, color: INK },
  'living-together': { width: 3, dash: '10 7', color: INK },
  separated: { width: 3, color: INK },
  divorced: { width: 3, color: INK },
  'parent-child': { width: 2.5, color: INK },
  siblings: { width: 2.5, color: INK },
}

/** Half the room a relation line takes across: its stroke, zigzag and arrowheads. */
export function relationHalfWidth(
  relation: Pick<RelationShapeProps, 'kind' | 'direction'>,
): number {
  const style = RELATION_STYLES[relation.kind]
  // An arrowhead is 12 + 1.5 × the stroke long and a little more than half that wide.
  const arrow = relation.direction !== 'none' ? (12 + style.width * 1.5) * 0.6 : 0
  return Math.max(style.width / 2 + (style.zigzag ? 8 : 0), arrow)
}

/** The shortest a relation line may be drawn: room for its arrowheads and a little line. */
export function relationMinLength(
  relation: Pick<RelationShapeProps, 'kind' | 'direction'>,
): number {
  const head = 12 + RELATION_STYLES[relation.kind].width * 1.5
  const heads = relation.direction === 'both' ? 2 : relation.direction === 'none' ? 0 : 1
  return heads * head + 40
}
