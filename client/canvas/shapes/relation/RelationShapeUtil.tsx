import { Polyline2d, ShapeUtil, SVGContainer, type TLShapeUtilCanBindOpts, Vec } from 'tldraw'
import {
  type RelationShapeProps,
  relationShapeMigrations,
  relationShapeProps,
} from '../../../../shared/schema/relation'
import { printLookOf } from '../printLook'
import {
  arrowhead,
  midpoint,
  type Pt,
  pathPoints,
  routeFor,
  slashes,
  svgPolyline,
  zigzag,
} from './path'
import { relationEndsInPage } from './RelationEndBindingUtil'
import type { RelationShape } from './shape'
import { RELATION_STYLES } from './style'

/** The corner points of a relation as drawn, in its own space. */
export function relationPoints(props: RelationShapeProps): Pt[] {
  return pathPoints(props.kind, props.start, props.end)
}

const LABEL_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'

/**
 * The SVG of a relation: line, slashes, arrowheads and label. Used on screen and in exports;
 * on paper its word may go elsewhere (`label`, in the relation's own space; null: not here).
 */
export function RelationSvg({
  props,
  print,
}: {
  props: RelationShapeProps
  print?: { label: Pt | null; size: number }
}) {
  const style = RELATION_STYLES[props.kind]
  const points = relationPoints(props)
  const drawn =
    style.zigzag && points.length === 2 ? zigzag(points[0] as Pt, points[1] as Pt) : points
  const first = points[0] as Pt
  const last = points[points.length - 1] as Pt
  const heads: Array<[Pt, Pt, Pt]> = []
  const headSize = 12 + style.width * 1.5
  if (props.direction === 'forward' || props.direction === 'both')
    heads.push(arrowhead(last, points[points.length - 2] as Pt, headSize))
  if (props.direction === 'backward' || props.direction === 'both')
    heads.push(arrowhead(first, points[1] as Pt, headSize))
  const { point: mid } = midpoint(points)
  const route = routeFor(props.kind, props.start, props.end)
  const labelY = route === 'couple' ? mid.y + 22 : mid.y
  return (
    <g className="relation">
      <path
        d={svgPolyline(drawn)}
        fill="none"
        stroke={style.color}
        strokeWidth={style.width}
        strokeDasharray={style.dash}
        strokeLinecap={style.dash && !style.dotted ? 'butt' : 'round'}
        strokeLinejoin="round"
      />
      {style.double && (
        <path
          d={svgPolyline(drawn)}
          fill="none"
          stroke="#ffffff"
          strokeWidth={style.width / 3}
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      )}
      {slashes(props.kind, points, 14, route === 'couple' ? -30 : 0).map(([a, b]) => (
        <line
          key={`${a.x},${a.y}`}
          x1={a.x}
          y1={a.y}
          x2={b.x}
          y2={b.y}
          stroke={style.color}
          strokeWidth={style.width}
          strokeLinecap="round"
        />
      ))}
      {heads.map((head) => (
        <polygon
          key={`${head[1].x},${head[1].y}`}
          points={head.map((p) => `${p.x},${p.y}`).join(' ')}
          fill={style.color}
          stroke={style.color}
          strokeWidth={2}
          strokeLinejoin="round"
        />
      ))}
      {props.label && print?.label !== null && (
        <text
          x={print?.label?.x ?? mid.x}
          y={print?.label?.y ?? labelY}
          textAnchor="middle"
          dominantBaseline="central"
          fontFamily={LABEL_FONT}
          fontSize={print?.size ?? 18}
          fontWeight={600}
          fill="#1f2a30"
          stroke="#ffffff"
          strokeWidth={6}
          strokeLinejoin="round"
          paintOrder="stroke"
        >
          {props.label}
        </text>
      )}
    </g>
  )
}

/** Draws relations: style by kind, genogram routes on the family map, support arrows, label. */
export class RelationShapeUtil extends ShapeUtil<RelationShape> {
  static override type = 'relation' as const
  static override props = relationShapeProps
  static override migrations = relationShapeMigrations

  override getDefaultProps(): RelationShapeProps {
    return {
      kind: 'normal',
      direction: 'none',
      label: '',
      fromPersonId: '',
      toPersonId: '',
      start: { x: 0, y: 0 },
      end: { x: 100, y: 0 },
      contactMeans: null,
      contactFrequency: null,
      contactBrings: '',
    }
  }

  /**
   * The props as drawn: the ends come from the bound person shapes as they are now (like
   * tldraw's arrows), so the line is right even before the stored ends catch up, e.g. in a
   * document made elsewhere. Without bindings the stored ends are used.
   */
  private drawnProps(shape: RelationShape): RelationShapeProps {
    const ends = relationEndsInPage(this.editor, shape)
    if (!ends) return shape.props
    const toShape = this.editor.getShapePageTransform(shape).clone().invert()
    const start = toShape.applyToPoint(ends.start)
    const end = toShape.applyToPoint(ends.end)
    return { ...shape.props, start: { x: start.x, y: start.y }, end: { x: end.x, y: end.y } }
  }

  override getGeometry(shape: RelationShape) {
    const points = relationPoints(this.drawnProps(shape)).map((p) => new Vec(p.x, p.y))
    return new Polyline2d({ points })
  }

  override component(shape: RelationShape) {
    return (
      <SVGContainer>
        <RelationSvg props={this.drawnProps(shape)} />
      </SVGContainer>
    )
  }

  override toSvg(shape: RelationShape) {
    const print = printLookOf(shape)?.relation
    if (!print) return <RelationSvg props={this.drawnProps(shape)} />
    // The layout placed the word in page space; the drawing is in the relation's own space.
    const label =
      print.label &&
      this.editor.getShapePageTransform(shape).clone().invert().applyToPoint(print.label)
    return (
      <RelationSvg
        props={this.drawnProps(shape)}
        print={{ label: label ? { x: label.x, y: label.y } : null, size: print.size }}
      />
    )
  }

  override getIndicatorPath(shape: RelationShape) {
    return new Path2D(svgPolyline(relationPoints(this.drawnProps(shape))))
  }

  override getText(shape: RelationShape) {
    return shape.props.label || undefined
  }

  // Other shapes never bind to a relation; a relation binds only with its own ends.
  override canBind({ bindingType }: TLShapeUtilCanBindOpts) {
    return bindingType === 'relation-end'
  }

  override canEdit() {
    return false
  }
  override canResize() {
    return false
  }
  override canSnap() {
    return false
  }
  override hideResizeHandles() {
    return true
  }
  override hideRotateHandle() {
    return true
  }
  override hideSelectionBoundsFg() {
    return true
  }
  override hideSelectionBoundsBg() {
    return true
  }
}
