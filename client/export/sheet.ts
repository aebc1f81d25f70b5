import { PAPER, type Paper } from './paper'
import type { InstrumentDrawing } from './render'

const SVG_NS = 'http://www.w3.org/2000/svg'
export const INK = '#1f2d3d'
export const MUTED = '#4a5a66'
export const LINE = '#d5dde3'
/** Margin around the sheet, in millimetres. */
const MARGIN = 12

/**
 * Where the header's parts sit on a sheet, in millimetres from the top left: the same for the
 * SVG sheet and the PDF's title page drawn as text.
 */
export function sheetMetrics(paper: Paper) {
  const { w, h } = PAPER[paper]
  const titleSize = paper === 'A3' ? 12 : 9
  const subSize = paper === 'A3' ? 6 : 4.6
  const titleY = MARGIN + titleSize * 0.8
  const subY = titleY + subSize * 1.7
  const ruleY = subY + subSize * 1.2
  const lineSize = subSize * 1.3
  return {
    w,
    h,
    margin: MARGIN,
    titleSize,
    subSize,
    titleY,
    subY,
    ruleY,
    lineSize,
    /** Baseline of the i-th line of text under the rule. */
    lineY: (i: number) => ruleY + 5 + lineSize * 1.9 * (i + 1),
  }
}

/** What one sheet (one page of paper) shows. All lengths are in millimetres. */
export interface SheetContent {
  /** Large, top left: the instrument's name (or the atlas's title on the title page). */
  title: string
  /** Under the title: the client's name and the date. */
  subtitle: string
  /** Top right, small. */
  brand: string
  /** Bottom right, small (a page number in a PDF). */
  footer?: string
  /** The map, fitted into the rest of the sheet; null shows `empty` instead. */
  drawing: InstrumentDrawing | null
  empty: string
  /** Lines of text instead of a drawing (the title page's list of contents). */
  lines?: string[]
  /** Where the drawing sits when it is less wide than the sheet: a table reads from the top. */
  align?: 'centre' | 'top'
}

/** The size the sheet's root element declares: millimetres for a file, pixels for a raster. */
export type SheetUnits = { kind: 'mm' } | { kind: 'px'; w: number; h: number }

/**
 * One landscape sheet as a self-contained SVG document: white paper, a header with the title,
 * the client's name and the date, and the instrument's drawing fitted into the rest. `css`
 * carries the embedded fonts.
 */
export function composeSheet(
  content: SheetContent,
  paper: Paper,
  units: SheetUnits,
  css: string,
): string {
  const m = sheetMetrics(paper)
  const { w, h, titleSize, subSize, titleY, subY, ruleY } = m
  const doc = document.implementation.createDocument(SVG_NS, 'svg', null)
  const root = doc.documentElement
  root.setAttribute('viewBox', `0 0 ${w} ${h}`)
  root.setAttribute('width', units.kind === 'mm' ? `${w}mm` : String(units.w))
  root.setAttribute('height', units.kind === 'mm' ? `${h}mm` : String(units.h))
  const el = (name: string, attrs: Record<string, string | number>, text?: string) => {
    const node = doc.createElementNS(SVG_NS, name)
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v))
    if (text !== undefined) node.textContent = text
    root.append(node)
    return node
  }
  el('title', {}, `${content.title} — ${content.subtitle}`)
  el('style', {}, css)
  el('rect', { x: 0, y: 0, width: w, height: h, fill: '#ffffff' })
  el(
    'text',
    { x: MARGIN, y: titleY, 'font-size': titleSize, 'font-weight': 700, fill: INK },
    content.title,
  )
  el('text', { x: MARGIN, y: subY, 'font-size': subSize, fill: MUTED }, content.subtitle)
  el(
    'text',
    { x: w - MARGIN, y: titleY, 'font-size': subSize, 'text-anchor': 'end', fill: MUTED },
    content.brand,
  )
  el('line', {
    x1: MARGIN,
    x2: w - MARGIN,
    y1: ruleY,
    y2: ruleY,
    stroke: LINE,
    'stroke-width': 0.4,
  })
  if (content.footer) {
    el(
      'text',
      {
        x: w - MARGIN,
        y: h - MARGIN / 2,
        'font-size': subSize * 0.8,
        'text-anchor': 'end',
        fill: MUTED,
      },
      content.footer,
    )
  }

  const box = { x: MARGIN, y: ruleY + 5, w: w - 2 * MARGIN, h: h - ruleY - 5 - MARGIN }
  if (content.lines) {
    content.lines.forEach((line, i) => {
      el('text', { x: box.x, y: m.lineY(i), 'font-size': m.lineSize, fill: INK }, line)
    })
  } else if (content.drawing) {
    const parsed = new DOMParser().parseFromString(content.drawing.svg, 'image/svg+xml')
    const body = doc.importNode(parsed.documentElement, true) as Element
    body.setAttribute('x', String(box.x))
    body.setAttribute('y', String(box.y))
    body.setAttribute('width', String(box.w))
    body.setAttribute('height', String(box.h))
    body.setAttribute(
      'preserveAspectRatio',
      content.align === 'top' ? 'xMidYMin meet' : 'xMidYMid meet',
    )
    if (!body.getAttribute('viewBox'))
      body.setAttribute('viewBox', `0 0 ${content.drawing.width} ${content.drawing.height}`)
    root.append(body)
  } else {
    el(
      'text',
      {
        x: w / 2,
        y: box.y + box.h / 2,
        'font-size': subSize * 1.2,
        'text-anchor': 'middle',
        fill: MUTED,
      },
      content.empty,
    )
  }
  return new XMLSerializer().serializeToString(doc)
}
