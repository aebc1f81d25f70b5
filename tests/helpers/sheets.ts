import type { Page } from 'playwright-core'

/** A box on the paper, in millimetres from the sheet's top left. */
export interface PaperBox {
  x: number
  y: number
  w: number
  h: number
}

/** One text of a sheet as it is printed. */
export interface PrintedText {
  text: string
  /** Rendered font size on paper, in points. */
  pt: number
  /** The boxes of its characters on paper (curved text has a box per character). */
  boxes: PaperBox[]
  /** Every character lies inside the drawing area that shows it (nothing is cut off). */
  visible: boolean
  /** Part of the map drawing (not the header, footer or legend). */
  inDrawing: boolean
}

/** A relation line on paper: points along its stroke and the stroke's half width. */
export interface PrintedLine {
  points: { x: number; y: number }[]
  halfWidth: number
}

/** An HTML card inside the drawing (an event of the life-events map). */
export interface PrintedCard {
  box: PaperBox
  text: string
  /** Some text of the card is cut off (overflow, one line with "…"). */
  overflows: boolean
  /** Smallest font size of the card's text on paper, in points. */
  minPt: number
}

/** What a sheet shows, measured from its SVG as the browser lays it out. */
export interface SheetFacts {
  title: string
  paper: { w: number; h: number }
  /** The map's drawing area (the nested SVG's viewport). */
  drawing: PaperBox | null
  texts: PrintedText[]
  lines: PrintedLine[]
  /** Arrowheads and other filled marks of the relation lines, as boxes. */
  marks: PaperBox[]
  cards: PrintedCard[]
  /** Circles around one centre in the drawing (the rings of the relationship map), in mm. */
  rings: { cx: number; cy: number; radii: number[] } | null
}

/**
 * Lays a sheet's SVG out in `page` (a blank page of the test's browser, at 4 px per mm) and
 * measures it: every text's printed size and character boxes, the relation lines (elements in
 * a `.relation` group) sampled every ~0.25 mm, the HTML cards, and the concentric circles.
 */
export async function measureSheet(page: Page, svg: string): Promise<SheetFacts> {
  return page.evaluate(async (source) => {
    const PX_PER_MM = 4
    const PT_PER_MM = 72 / 25.4
    document.body.innerHTML = ''
    document.body.style.margin = '0'
    const parsed = new DOMParser().parseFromString(source, 'image/svg+xml')
    const root = document.importNode(parsed.documentElement, true) as unknown as SVGSVGElement
    const [, , w, h] = (root.getAttribute('viewBox') ?? '0 0 0 0').split(/[\s,]+/).map(Number)
    root.setAttribute('width', String((w as number) * PX_PER_MM))
    root.setAttribute('height', String((h as number) * PX_PER_MM))
    document.body.append(root)
    await document.fonts.ready
    // Fonts that arrive as data URLs may still be decoding after `ready` in a fresh document.
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
    const origin = root.getBoundingClientRect()
    const toMm = (p: DOMPoint) => ({
      x: (p.x - origin.left) / PX_PER_MM,
      y: (p.y - origin.top) / PX_PER_MM,
    })
    const scaleOf = (m: DOMMatrix) => Math.sqrt(Math.abs(m.a * m.d - m.b * m.c))
    const boxOf = (el: Element, r: { x: number; y: number; width: number; height: number }) => {
      const m = (el as SVGGraphicsElement).getScreenCTM() as DOMMatrix
      const corners = [
        new DOMPoint(r.x, r.y),
        new DOMPoint(r.x + r.width, r.y),
        new DOMPoint(r.x, r.y + r.height),
        new DOMPoint(r.x + r.width, r.y + r.height),
      ].map((p) => toMm(p.matrixTransform(m)))
      const xs = corners.map((c) => c.x)
      const ys = corners.map((c) => c.y)
      const x = Math.min(...xs)
      const y = Math.min(...ys)
      return { x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y }
    }
    const drawingEl = [...root.children].find((c) => c.tagName.toLowerCase() === 'svg') as
      | SVGSVGElement
      | undefined
    const drawing = drawingEl
      ? {
          x: Number(drawingEl.getAttribute('x')),
          y: Number(drawingEl.getAttribute('y')),
          w: Number(drawingEl.getAttribute('width')),
          h: Number(drawingEl.getAttribute('height')),
        }
      : null
    const inside = (b: { x: number; y: number; w: number; h: number }, a: typeof b) =>
      b.x >= a.x - 0.01 &&
      b.y >= a.y - 0.01 &&
      b.x + b.w <= a.x + a.w + 0.01 &&
      b.y + b.h <= a.y + a.h + 0.01
    const sheetBox = { x: 0, y: 0, w: w as number, h: h as number }

    const texts = [...root.querySelectorAll('text')].map((el) => {
      const text = el.textContent ?? ''
      const inDrawing = !!drawingEl?.contains(el)
      const size = Number.parseFloat(getComputedStyle(el).fontSize)
      const pt = ((size * scaleOf(el.getScreenCTM() as DOMMatrix)) / PX_PER_MM) * PT_PER_MM
      const boxes: { x: number; y: number; w: number; h: number }[] = []
      for (let i = 0; i < el.getNumberOfChars(); i++) {
        boxes.push(boxOf(el, el.getExtentOfChar(i)))
      }
      const area = inDrawing && drawing ? drawing : sheetBox
      return { text, pt, boxes, visible: boxes.every((b) => inside(b, area)), inDrawing }
    })

    const lines: { points: { x: number; y: number }[]; halfWidth: number }[] = []
    const marks: { x: number; y: number; w: number; h: number }[] = []
    for (const group of root.querySelectorAll('.relation')) {
      for (const el of group.querySelectorAll('path, line, polyline')) {
        const shape = el as SVGGeometryElement
        const m = shape.getScreenCTM() as DOMMatrix
        const scale = scaleOf(m) / PX_PER_MM
        const length = shape.getTotalLength()
        const steps = Math.max(2, Math.ceil((length * scale) / 0.25))
        const points = []
        for (let i = 0; i <= steps; i++) {
          const p = shape.getPointAtLength((length * i) / steps)
          points.push(toMm(new DOMPoint(p.x, p.y).matrixTransform(m)))
        }
        const stroke = Number.parseFloat(getComputedStyle(shape).strokeWidth) || 0
        lines.push({ points, halfWidth: (stroke * scale) / 2 })
      }
      for (const el of group.querySelectorAll('polygon')) {
        marks.push(boxOf(el, (el as SVGGraphicsElement).getBBox()))
      }
    }

    const cards = [...(drawingEl?.querySelectorAll('foreignObject') ?? [])].map((fo) => {
      const box = boxOf(fo, (fo as SVGGraphicsElement).getBBox())
      const scale = scaleOf((fo as SVGGraphicsElement).getScreenCTM() as DOMMatrix) / PX_PER_MM
      let overflows = false
      let minPt = Number.POSITIVE_INFINITY
      for (const el of fo.querySelectorAll('*')) {
        const html = el as HTMLElement
        if (html.scrollWidth > html.clientWidth + 1 || html.scrollHeight > html.clientHeight + 1)
          overflows = true
        const style = getComputedStyle(html)
        if (style.textOverflow === 'ellipsis' && style.whiteSpace === 'nowrap') overflows = true
        const ownText = [...html.childNodes].some(
          (n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '',
        )
        if (ownText) minPt = Math.min(minPt, Number.parseFloat(style.fontSize) * scale * PT_PER_MM)
      }
      return { box, text: fo.textContent ?? '', overflows, minPt }
    })

    let rings: { cx: number; cy: number; radii: number[] } | null = null
    const circles = [...(drawingEl?.querySelectorAll('circle') ?? [])] as SVGCircleElement[]
    const largest = circles.reduce<SVGCircleElement | null>(
      (a, c) => (!a || c.r.baseVal.value > a.r.baseVal.value ? c : a),
      null,
    )
    if (largest) {
      const same = circles.filter(
        (c) =>
          Math.abs(c.cx.baseVal.value - largest.cx.baseVal.value) < 0.01 &&
          Math.abs(c.cy.baseVal.value - largest.cy.baseVal.value) < 0.01,
      )
      const m = largest.getScreenCTM() as DOMMatrix
      const centre = toMm(
        new DOMPoint(largest.cx.baseVal.value, largest.cy.baseVal.value).matrixTransform(m),
      )
      const scale = scaleOf(m) / PX_PER_MM
      const radii = [...new Set(same.map((c) => c.r.baseVal.value))]
        .sort((a, b) => a - b)
        .map((r) => r * scale)
      if (radii.length >= 3) rings = { cx: centre.x, cy: centre.y, radii }
    }

    return {
      title: root.querySelector('title')?.textContent ?? '',
      paper: { w: w as number, h: h as number },
      drawing,
      texts,
      lines,
      marks,
      cards,
      rings,
    }
  }, svg)
}

/** How far two boxes overlap (the smaller of the two overlaps along x and y; 0 when apart). */
export function overlapOf(a: PaperBox, b: PaperBox): number {
  const x = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)
  const y = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y)
  return x > 0 && y > 0 ? Math.min(x, y) : 0
}

/** The box around a text (all its characters). */
export function boxAround(boxes: readonly PaperBox[]): PaperBox {
  const x = Math.min(...boxes.map((b) => b.x))
  const y = Math.min(...boxes.map((b) => b.y))
  return {
    x,
    y,
    w: Math.max(...boxes.map((b) => b.x + b.w)) - x,
    h: Math.max(...boxes.map((b) => b.y + b.h)) - y,
  }
}

/** Whether a line's stroke touches a box. */
export function lineTouches(line: PrintedLine, box: PaperBox): boolean {
  const r = line.halfWidth
  return line.points.some(
    (p) =>
      p.x >= box.x - r && p.x <= box.x + box.w + r && p.y >= box.y - r && p.y <= box.y + box.h + r,
  )
}

/**
 * Starts collecting the SVG of every sheet the page draws into a picture (the PDF's pages,
 * before they are rasterised): tldraw's `getSvgAsImage` hands each to an image as a data URL.
 */
/**
 * How long a test waits for a whole atlas as PDF: seconds on a quiet machine (E1), many times
 * that on a busy one; within the browser tests' 90 s.
 */
export const PDF_WAIT = { timeout: 80_000 }

export async function collectRasterisedSheets(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { sheetSvgs?: string[] }
    w.sheetSvgs = []
    if ((window as unknown as { sheetHook?: boolean }).sheetHook) return
    ;(window as unknown as { sheetHook?: boolean }).sheetHook = true
    const descriptor = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, 'src')
    if (!descriptor?.set || !descriptor.get) throw new Error('no src property on images')
    const { set, get } = descriptor
    Object.defineProperty(HTMLImageElement.prototype, 'src', {
      configurable: true,
      get() {
        return get.call(this)
      },
      set(value: string) {
        const prefix = 'data:image/svg+xml;base64,'
        if (typeof value === 'string' && value.startsWith(prefix)) {
          const bytes = Uint8Array.from(atob(value.slice(prefix.length)), (c) => c.charCodeAt(0))
          w.sheetSvgs?.push(new TextDecoder().decode(bytes))
        }
        set.call(this, value)
      },
    })
  })
}

/** The sheet SVGs collected since `collectRasterisedSheets`. */
export function rasterisedSheets(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { sheetSvgs?: string[] }).sheetSvgs ?? [])
}
