import {
  type Editor,
  GeoShapeUtil,
  Group2d,
  getDisplayValues,
  type TLGeoShape,
  type TLRichText,
  useColorMode,
  useEditor,
  useValue,
} from 'tldraw'

/**
 * Below this height on screen (CSS px) a label's letters cannot be read, so a geo shape is drawn
 * in its overview form (see `OverviewGeo`).
 */
export const OVERVIEW_TEXT_PX = 5

/** Geo forms the overview draws as one box; the others keep their outline. */
const BOX_RADIUS: Partial<Record<TLGeoShape['props']['geo'], (w: number, h: number) => string>> = {
  rectangle: () => '0',
  ellipse: () => '50%',
  oval: (w, h) => `${Math.min(w, h) / 2}px`,
}

/**
 * tldraw's geo shape (rectangle, ellipse, …) with a level of detail for zoomed-out pages: when
 * its label would be too small to read, it is drawn as one element (box, border and a bar where
 * the text is) instead of an SVG outline with rich text. A page with thousands of shapes in view
 * then mounts, lays out and repaints far less. Geometry, hit testing, export and everything
 * else stay tldraw's; the full drawing comes back as soon as the camera stops closer by.
 */
export class AtlasGeoShapeUtil extends GeoShapeUtil {
  override component(shape: TLGeoShape) {
    return <GeoWithOverview shape={shape} util={this} />
  }
}

function GeoWithOverview({ shape, util }: { shape: TLGeoShape; util: AtlasGeoShapeUtil }) {
  const editor = useEditor()
  const colorMode = useColorMode()
  const dv = getDisplayValues(util, shape, colorMode)
  const fontSize = dv.labelFontSize * shape.props.scale
  const overview = useValue(
    'geo overview',
    () =>
      editor.getEfficientZoomLevel() * fontSize < OVERVIEW_TEXT_PX &&
      editor.getEditingShapeId() !== shape.id,
    [editor, shape.id, fontSize],
  )
  if (!overview) return <FullGeo shape={shape} util={util} />
  const { w, h, growY, geo, fill } = shape.props
  const radius = BOX_RADIUS[geo]
  const fillColor = fill === 'pattern' ? dv.patternFillFallbackColor : dv.fillColor
  const text = textBlock(shape, dv.labelPadding, fontSize, dv.labelLineHeight)
  return (
    <div
      className="atlas-geo-overview"
      data-geo={geo}
      style={{
        width: w,
        height: h + growY,
        background: radius ? fillColor : undefined,
        border: radius
          ? `${dv.strokeWidth * shape.props.scale}px solid ${dv.strokeColor}`
          : undefined,
        borderRadius: radius?.(w, h + growY),
        justifyContent: dv.labelHorizontalAlign === 'center' ? 'center' : dv.labelHorizontalAlign,
        alignItems: dv.labelVerticalAlign === 'middle' ? 'center' : dv.labelVerticalAlign,
        padding: dv.labelPadding,
      }}
    >
      {!radius && (
        <svg className="tl-svg-container" aria-hidden="true">
          <path
            d={outline(editor.getShapeGeometry(shape))}
            fill={fillColor}
            stroke={dv.strokeColor}
            strokeWidth={dv.strokeWidth * shape.props.scale}
          />
        </svg>
      )}
      {text && (
        <div
          className="atlas-geo-overview-text"
          style={{
            width: text.width,
            height: text.lines * text.lineHeight,
            backgroundImage: `repeating-linear-gradient(transparent 0 ${text.lineHeight * 0.2}px, ${dv.labelColor} 0 ${text.lineHeight * 0.75}px, transparent 0 ${text.lineHeight}px)`,
          }}
        />
      )}
    </div>
  )
}

/** tldraw's own drawing of the shape (a component of its own, so its hooks always run). */
function FullGeo({ shape, util }: { shape: TLGeoShape; util: AtlasGeoShapeUtil }) {
  return GeoShapeUtil.prototype.component.call(util, shape)
}

/** The outline of a geo shape's body as an SVG path (its geometry's first part; the second is the label). */
function outline(geometry: ReturnType<Editor['getShapeGeometry']>): string {
  const body = geometry instanceof Group2d ? geometry.children[0] : geometry
  return body ? body.toSimpleSvgPath() : ''
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
