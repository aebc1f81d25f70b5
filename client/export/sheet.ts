import { type Legend, SIGN_SIZE, signParts } from '../canvas/legend'
import type { InstrumentDrawing } from './drawing'
import { SHEET_FONT } from './fonts'
import { PAPER, type Paper } from './paper'

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
  /** What the map's signs mean: beside the drawing, or below it, never on it. */
  legend?: Legend | null
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
    const legend = content.legend
      ? placeLegend(content.legend, box, content.drawing, subSize / 4.6)
      : null
    const area = legend?.drawingBox ?? box
    const parsed = new DOMParser().parseFromString(content.drawing.svg, 'image/svg+xml')
    const body = doc.importNode(parsed.documentElement, true) as Element
    body.setAttribute('x', String(area.x))
    body.setAttribute('y', String(area.y))
    body.setAttribute('width', String(area.w))
    body.setAttribute('height', String(area.h))
    body.setAttribute(
      'preserveAspectRatio',
      content.align === 'top' ? 'xMidYMin meet' : 'xMidYMid meet',
    )
    if (!body.getAttribute('viewBox'))
      body.setAttribute('viewBox', `0 0 ${content.drawing.width} ${content.drawing.height}`)
    root.append(body)
    if (legend) {
      const group = el('g', { class: 'legend' })
      for (const part of legend.parts) {
        const node = doc.createElementNS(SVG_NS, part.name)
        for (const [k, v] of Object.entries(part.attrs)) node.setAttribute(k, String(v))
        for (const [i, line] of (part.lines ?? []).entries()) {
          const span = doc.createElementNS(SVG_NS, 'tspan')
          span.setAttribute('x', String(part.attrs.x))
          if (i > 0) span.setAttribute('dy', String(part.lineHeight))
          // A space between the lines keeps the words apart for a reader of the file's text.
          span.textContent = i < (part.lines?.length ?? 0) - 1 ? `${line} ` : line
          node.append(span)
        }
        group.append(node)
      }
    }
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

/** A box on the sheet, in millimetres. */
interface SheetBox {
  x: number
  y: number
  w: number
  h: number
}

/** An element of the legend: a sign's part, or a text with its lines. */
interface LegendPart {
  name: string
  attrs: Record<string, string | number>
  /** Lines of a text (tspans), the words of one sign wrapped to the column. */
  lines?: string[]
  lineHeight?: number
}

let measuring: CanvasRenderingContext2D | null | undefined

/**
 * The width of a text in the sheet's font at `size` (any unit). Measured with the sheet font
 * when the page has it loaded (the exporter loads it first); otherwise a close estimate.
 */
export function textWidth(text: string, size: number, weight: 500 | 700 = 500): number {
  if (measuring === undefined)
    measuring =
      typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d')
  if (!measuring) return text.length * size * (weight === 700 ? 0.6 : 0.56)
  measuring.font = `${weight} 100px '${SHEET_FONT}', sans-serif`
  return (measuring.measureText(text).width * size) / 100
}

/** Words wrapped into lines no wider than `width`. */
function wrap(text: string, size: number, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word
    if (line && textWidth(next, size) > width) {
      lines.push(line)
      line = word
    } else {
      line = next
    }
  }
  if (line) lines.push(line)
  return lines
}

/**
 * Where a legend goes so that the map is drawn as large as it can be: in a column on the
 * right (a round or tall map) or in a strip along the bottom (a wide one). Returns the box
 * left for the drawing and the legend's parts. `scale` is 1 on A4.
 */
function placeLegend(
  legend: Legend,
  box: SheetBox,
  drawing: { width: number; height: number },
  scale: number,
) {
  const size = 2.9 * scale
  const titleSize = 3.2 * scale
  const lineHeight = size * 1.25
  const sign = { w: SIGN_SIZE.w * scale, h: SIGN_SIZE.h * scale }
  const gap = 2 * scale
  const columnWidth = 56 * scale
  const aside = 6 * scale
  const fits = (area: SheetBox) => Math.min(area.w / drawing.width, area.h / drawing.height)

  const textWidthInColumn = columnWidth - sign.w - gap
  const rows = legend.items.map((item) => wrap(item.text, size, textWidthInColumn))
  const rowHeight = (lines: string[]) => Math.max(sign.h, lines.length * lineHeight) + 1.6 * scale
  const columnDrawing = { ...box, w: box.w - columnWidth - aside }

  // A strip: the title, then the signs one after another, on as many rows as they need.
  const stripItems = legend.items.map((item) => sign.w + gap + textWidth(item.text, size))
  const stripRows: number[][] = [[]]
  let used = textWidth(`${legend.title}`, titleSize, 700) + 4 * gap
  for (const [i, width] of stripItems.entries()) {
    const row = stripRows[stripRows.length - 1] as number[]
    if (row.length > 0 && used + width > box.w) {
      stripRows.push([i])
      used = width + 3 * gap
    } else {
      row.push(i)
      used += width + 3 * gap
    }
  }
  const stripRowHeight = sign.h + 1.5 * scale
  const stripHeight = stripRows.length * stripRowHeight
  const stripDrawing = { ...box, h: box.h - stripHeight - aside }

  const parts: LegendPart[] = []
  const text = (x: number, y: number, lines: string[], bold = false): LegendPart => ({
    name: 'text',
    attrs: {
      x,
      y,
      'font-size': bold ? titleSize : size,
      'font-weight': bold ? 700 : 500,
      fill: bold ? INK : MUTED,
    },
    lines,
    lineHeight,
  })
  const signAt = (i: number, x: number, y: number) => {
    for (const part of signParts((legend.items[i] as Legend['items'][number]).sign, x, y, scale))
      parts.push(part)
  }

  if (fits(columnDrawing) >= fits(stripDrawing)) {
    // The map and its legend side by side, together in the middle of the sheet.
    const drawn = drawing.width * fits(columnDrawing)
    const left = box.x + (columnDrawing.w - drawn) / 2
    const drawingBox = { ...columnDrawing, x: left, w: drawn }
    const x = left + drawn + aside
    let y = box.y
    parts.push(text(x, y + titleSize * 0.8, [legend.title], true))
    y += titleSize * 1.8
    for (const [i, lines] of rows.entries()) {
      const height = Math.max(sign.h, lines.length * lineHeight)
      signAt(i, x, y + (height - sign.h) / 2)
      // The first baseline sits so that the text's middle meets the sign's middle.
      const top = y + (height - lines.length * lineHeight) / 2
      parts.push(text(x + sign.w + gap, top + lineHeight * 0.5 + size * 0.35, lines))
      y += rowHeight(lines)
    }
    return { drawingBox, parts }
  }

  // The map and its legend one above the other, together in the middle of the sheet.
  const drawn = drawing.height * fits(stripDrawing)
  const top = box.y + (stripDrawing.h - drawn) / 2
  const drawingBox = { ...stripDrawing, y: top, h: drawn }
  let y = top + drawn + aside
  let first = true
  for (const row of stripRows) {
    let x = box.x
    const middle = y + sign.h / 2
    if (first) {
      parts.push(text(x, middle + titleSize * 0.35, [legend.title], true))
      x += textWidth(legend.title, titleSize, 700) + 4 * gap
      first = false
    }
    for (const i of row) {
      signAt(i, x, y)
      const words = (legend.items[i] as Legend['items'][number]).text
      parts.push(text(x + sign.w + gap, middle + size * 0.35, [words]))
      x += (stripItems[i] as number) + 3 * gap
    }
    y += stripRowHeight
  }
  return { drawingBox, parts }
}
