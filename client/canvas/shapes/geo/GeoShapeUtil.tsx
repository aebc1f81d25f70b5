import { memo } from 'react'
import {
  Geometry2d,
  type Geometry2dFilters,
  GeoShapeUtil,
  type GeoShapeUtilDisplayValues,
  Group2d,
  getDisplayValues,
  type TLGeoShape,
  type TLRichText,
  type TLShapeId,
  toRichText,
  track,
  type VecLike,
} from 'tldraw'

/*
 * tldraw keeps one DOM element per shape and mounts every shape of a page. For the geo shapes
 * people draw (boxes, circles with words) the canvas uses `AtlasGeoShapeUtil` (same type and
 * records as tldraw's): a shape whose words would be under 5 px on screen, or which is out of view
 * and not drawn in full yet, is one element (a box with its word bars as background, or an
 * outline) instead of an SVG and a rich-text label; and the label's part of its geometry is
 * measured in the DOM only when a hit test near the pointer or an edit asks for it (tldraw asks
 * every shape for its bounds first). The choice between the two drawings is one computed value per
 * shape. Exports keep tldraw's own drawing. What it gained, and what was tried beside it: W6 in
 * [bench/NOTES.md](../bench/NOTES.md).
 */

/**
 * Below this height on screen (CSS px) a label's letters cannot be read, so a geo shape is drawn
 * in its simple form (see `AtlasGeoShapeUtil`).
 */
const OVERVIEW_TEXT_PX = 5

/** Geo forms the overview draws as one box; the others keep their outline. */
const BOX_RADIUS: Partial<Record<TLGeoShape['props']['geo'], (w: number, h: number) => string>> = {
  rectangle: () => '0',
  ellipse: () => '50%',
  oval: (w, h) => `${Math.min(w, h) / 2}px`,
}

/**
 * tldraw's geo shape (rectangle, ellipse, …) with a level of detail for zoomed-out pages: when
 * its label would be too small to read, or the shape is out of view and has not been drawn in
 * full yet, it is drawn as one element (box, border and a bar where the text is) instead of an
 * SVG outline with rich text. A page with
 * thousands of shapes then mounts, lays out and repaints far less. Hit testing, export and
 * everything else stay tldraw's; the full drawing comes back as soon as the camera stops closer by.
 */
export class AtlasGeoShapeUtil extends GeoShapeUtil {
  /**
   * Shapes drawn in full at least once. Until then, being out of view (tldraw hides it) keeps a
   * shape simple too, as a page opens at 100 % before it is fitted, and thousands of labels
   * would be built for nothing. Once drawn, a shape no longer follows the culling.
   */
  private readonly drawnInFull = new Set<TLShapeId>()

  /**
   * Per shape: the display values (colours, sizes) for its simple form, or null for tldraw's
   * drawing. A computed value of its own, so that a shape is drawn again only when its choice
   * changes, not at every change of the zoom, the culling or the shape being edited. It reads the
   * display values, so a change of theme draws the simple form again too.
   */
  private readonly simpleForm = this.editor.store.createComputedCache(
    'atlas geo simple form',
    (shape: TLGeoShape): GeoShapeUtilDisplayValues | null => {
      const editor = this.editor
      if (editor.getEditingShapeId() === shape.id) return null
      const dv = getDisplayValues(this, shape)
      if (editor.getEfficientZoomLevel() * dv.labelFontSize * shape.props.scale < OVERVIEW_TEXT_PX)
        return dv
      return !this.drawnInFull.has(shape.id) && editor.getCulledShapes().has(shape.id) ? dv : null
    },
  )

  override component(shape: TLGeoShape) {
    const dv = this.simpleForm.get(shape.id)
    if (!dv) {
      this.drawnInFull.add(shape.id)
      return <FullGeo shape={shape} util={this} />
    }
    const box = shape.props.geo in BOX_RADIUS
    return (
      <GeoOverview
        shape={shape}
        dv={dv}
        outline={box ? '' : outline(this.editor.getShapeGeometry(shape))}
      />
    )
  }

  /**
   * tldraw's geometry, with the label's part measured when it is first asked for. tldraw asks
   * every shape of a page for its geometry to know its bounds (for its spatial index and for
   * culling), and measuring each label in the DOM for that is most of the time a large page
   * takes to open; the bounds do not depend on the label. The label's part is asked for by hit
   * tests near the pointer and by editing, and is then tldraw's own, measured as before.
   */
  override getGeometry(shape: TLGeoShape) {
    if (textLength(shape.props.richText) === 0) return super.getGeometry(shape)
    // The same shape without words: tldraw measures nothing for it, and its body is the same.
    const geometry = super.getGeometry({ ...shape, props: { ...shape.props, richText: NO_TEXT } })
    const at = geometry.children.findIndex((child) => child.isLabel)
    if (at < 0) return geometry
    geometry.children[at] = new LabelWhenAsked2d(() => {
      const label = super.getGeometry(shape).children.find((child) => child.isLabel)
      if (!label) throw new Error(`geo shape ${shape.id} has no label geometry`)
      return label
    })
    return geometry
  }
}

const NO_TEXT = toRichText('')

/** A label's geometry that is measured on its first use, then answers as the measured one. */
class LabelWhenAsked2d extends Geometry2d {
  private measured: Geometry2d | undefined

  constructor(private readonly measure: () => Geometry2d) {
    super({ isFilled: true, isClosed: true, isLabel: true, excludeFromShapeBounds: true })
  }

  private get label(): Geometry2d {
    this.measured ??= this.measure()
    return this.measured
  }

  override getBounds() {
    return this.label.getBounds()
  }
  override getVertices(filters: Geometry2dFilters) {
    return this.label.getVertices(filters)
  }
  override nearestPoint(point: VecLike, filters?: Geometry2dFilters) {
    return this.label.nearestPoint(point, filters)
  }
  override hitTestPoint(point: VecLike, margin?: number, hitInside?: boolean) {
    return this.label.hitTestPoint(point, margin, hitInside)
  }
  override distanceToPoint(point: VecLike, hitInside?: boolean) {
    return this.label.distanceToPoint(point, hitInside)
  }
  override hitTestLineSegment(a: VecLike, b: VecLike, distance?: number) {
    return this.label.hitTestLineSegment(a, b, distance)
  }
  override getLength() {
    return this.label.getLength()
  }
  override getSvgPathData(first: boolean) {
    return this.label.getSvgPathData(first)
  }
}

/**
 * tldraw's own drawing of the shape: a component of its own, so its hooks always run, and
 * tracked, so a change of theme draws it again as it would tldraw's.
 */
const FullGeo = track(function FullGeo({
  shape,
  util,
}: {
  shape: TLGeoShape
  util: AtlasGeoShapeUtil
}) {
  return GeoShapeUtil.prototype.component.call(util, shape)
})

const BAR_POSITION = { start: 'left', center: 'center', end: 'right' } as const
const BAR_ROW = { start: 'top', middle: 'center', end: 'bottom' } as const

/**
 * The simple form: a box with a bar per line of words painted as its background (one element),
 * or for other forms the outline with the bars above it.
 */
const GeoOverview = memo(function GeoOverview({
  shape,
  dv,
  outline,
}: {
  shape: TLGeoShape
  dv: GeoShapeUtilDisplayValues
  /** The outline's SVG path, for a form that is not a box. */
  outline: string
}) {
  const { w, h, growY, geo, fill, scale } = shape.props
  const radius = BOX_RADIUS[geo]
  const fillColor = fill === 'pattern' ? dv.patternFillFallbackColor : dv.fillColor
  const padding = dv.labelPadding * scale
  const text = textBlock(shape, padding, dv.labelFontSize * scale, dv.labelLineHeight)
  // A paler label colour (not `opacity`, which would give each shape its own compositing step).
  const bars = text
    ? {
        backgroundImage: `repeating-linear-gradient(transparent 0 ${text.lineHeight * 0.2}px, color-mix(in srgb, ${dv.labelColor} 45%, transparent) 0 ${text.lineHeight * 0.75}px, transparent 0 ${text.lineHeight}px)`,
        backgroundSize: `${text.width}px ${text.lines * text.lineHeight}px`,
        backgroundPosition: `${BAR_POSITION[dv.labelHorizontalAlign]} ${BAR_ROW[dv.labelVerticalAlign]}`,
      }
    : undefined
  if (radius) {
    return (
      <div
        className="atlas-geo-overview"
        data-geo={geo}
        style={{
          width: w,
          height: h + growY,
          backgroundColor: fillColor,
          border: `${dv.strokeWidth * scale}px solid ${dv.strokeColor}`,
          borderRadius: radius(w, h + growY),
          padding,
          ...bars,
        }}
      />
    )
  }
  return (
    <div className="atlas-geo-overview" data-geo={geo} style={{ width: w, height: h + growY }}>
      <svg className="tl-svg-container" aria-hidden="true">
        <path
          d={outline}
          fill={fillColor}
          stroke={dv.strokeColor}
          strokeWidth={dv.strokeWidth * scale}
        />
      </svg>
      <div className="atlas-geo-overview-text" style={{ padding, ...bars }} />
    </div>
  )
})

/** The outline of a geo shape's body as an SVG path: every part of its geometry but the label. */
function outline(geometry: Geometry2d): string {
  const parts = geometry instanceof Group2d ? geometry.children : [geometry]
  return parts
    .filter((part) => !part.isLabel)
    .map((part) => part.toSimpleSvgPath())
    .join('')
}

/**
 * Where the label's text would be, roughly: one bar per line, as wide as the text (about half a
 * font size per character), wrapped at the shape's width and cut off at its height.
 */
function textBlock(shape: TLGeoShape, padding: number, fontSize: number, lineHeightFactor: number) {
  const characters = textLength(shape.props.richText)
  if (characters === 0) return null
  const room = shape.props.w - 2 * padding
  const lineHeight = fontSize * lineHeightFactor
  const full = characters * 0.55 * fontSize
  const fits = Math.floor((shape.props.h + shape.props.growY - 2 * padding) / lineHeight)
  const lines = Math.max(1, Math.min(Math.ceil(full / room), fits))
  return { width: Math.max(0, Math.min(full, room)), lines, lineHeight }
}

/** Number of characters in a rich text, without building its HTML. */
function textLength(richText: TLRichText): number {
  let length = 0
  const visit = (node: { text?: string; content?: unknown[] }) => {
    length += node.text?.length ?? 0
    for (const child of node.content ?? []) visit(child as typeof node)
  }
  visit(richText as never)
  return length
}
