/**
 * The printed plan's text layout, pure: blocks of text become lines placed on A4 pages, wrapped at
 * word boundaries with the real font's widths (given as `measure`), with headings kept with what
 * follows them and an agreement kept on one page when it fits. No PDF library here, so it is
 * tested on its own.
 */

/** How a piece of text looks. */
export interface TextStyle {
  font: 'regular' | 'bold'
  /** Size in points. */
  size: number
  colour: 'ink' | 'muted' | 'accent'
}

/** One paragraph, or a label with its value beside it. */
export type Block =
  | {
      kind: 'text'
      text: string
      style: TextStyle
      /** Points of space above it (dropped at the top of a page). */
      space?: number
      /** Never the last thing on a page (a heading). */
      keepWithNext?: boolean
      /** A thin line under it across the page. */
      rule?: boolean
    }
  | {
      kind: 'field'
      label: string
      value: string
      labelStyle: TextStyle
      style: TextStyle
      space?: number
    }
  /** Blocks that stay on one page when they fit on one (an agreement). */
  | { kind: 'group'; blocks: Block[]; space?: number }

/** A line of text on a page: its left edge and baseline in points from the page's top left. */
export interface PlacedText {
  text: string
  x: number
  baseline: number
  style: TextStyle
}

/** A thin horizontal line on a page. */
export interface PlacedRule {
  x: number
  y: number
  width: number
}

/** One laid-out page. */
export interface TypesetPage {
  texts: PlacedText[]
  rules: PlacedRule[]
}

/** The paper and its margins, in points. */
export interface PageFrame {
  width: number
  height: number
  top: number
  bottom: number
  left: number
  right: number
  /** Width of a field's label column. */
  labelWidth: number
}

/** A4 portrait with calm margins (2 cm at the sides, room at the bottom for the page number). */
export const A4_FRAME: PageFrame = {
  width: 595.28,
  height: 841.89,
  top: 62,
  bottom: 76,
  left: 62,
  right: 62,
  labelWidth: 128,
}

/** How wide a text is in a style, in points. */
export type Measure = (text: string, style: TextStyle) => number

/** Height of a line of text of `size` points. */
export function lineHeight(size: number): number {
  return Math.round(size * 1.38 * 100) / 100
}

/**
 * Splits `text` into lines no wider than `maxWidth`: at spaces, keeping the writer's own line
 * breaks; a word wider than a line is cut between characters (never inside a surrogate pair).
 * Runs of spaces and tabs become one space; an empty text is one empty line.
 */
export function wrapText(text: string, maxWidth: number, width: (s: string) => number): string[] {
  const lines: string[] = []
  for (const paragraph of text.replace(/\r\n?/g, '\n').split('\n')) {
    const words = paragraph.split(/[ \t\u00a0]+/).filter((w) => w !== '')
    let line = ''
    for (const word of words) {
      const candidate = line ? `${line} ${word}` : word
      if (width(candidate) <= maxWidth) {
        line = candidate
        continue
      }
      if (line) lines.push(line)
      line = ''
      // A word longer than a whole line: cut it where it must be cut.
      let rest = word
      while (width(rest) > maxWidth) {
        const chars = Array.from(rest)
        let fit = 1
        while (fit < chars.length && width(chars.slice(0, fit + 1).join('')) <= maxWidth) fit++
        lines.push(chars.slice(0, fit).join(''))
        rest = chars.slice(fit).join('')
      }
      line = rest
    }
    lines.push(line)
  }
  return lines
}

/** One row of the layout: lines that sit side by side, as high as the tallest. */
interface Row {
  height: number
  space: number
  keepWithNext: boolean
  texts: Omit<PlacedText, 'baseline'>[]
  rule: boolean
  /** Baseline offsets from the row's top, per text. */
  ascents: number[]
  /** Index of the group the row belongs to (-1 for none). */
  group: number
}

function ascent(style: TextStyle): number {
  return (lineHeight(style.size) - style.size) / 2 + style.size * 0.9
}

function rowsOf(
  block: Block,
  frame: PageFrame,
  measure: Measure,
  group: number,
  groups: number[],
): Row[] {
  const content = frame.width - frame.left - frame.right
  if (block.kind === 'group') {
    const id = groups.length
    groups.push(0)
    const rows = block.blocks.flatMap((b) => rowsOf(b, frame, measure, id, groups))
    if (rows[0]) rows[0].space = Math.max(rows[0].space, block.space ?? 0)
    return rows
  }
  if (block.kind === 'text') {
    const lines = wrapText(block.text, content, (s) => measure(s, block.style))
    return lines.map((text, i) => ({
      height: lineHeight(block.style.size),
      space: i === 0 ? (block.space ?? 0) : 0,
      keepWithNext: (block.keepWithNext ?? false) || i < lines.length - 1,
      texts: [{ text, x: frame.left, style: block.style }],
      ascents: [ascent(block.style)],
      rule: (block.rule ?? false) && i === lines.length - 1,
      group,
    }))
  }
  const gap = 10
  const labels = wrapText(block.label, frame.labelWidth - gap, (s) => measure(s, block.labelStyle))
  const values = wrapText(block.value, content - frame.labelWidth, (s) => measure(s, block.style))
  const count = Math.max(labels.length, values.length)
  const rows: Row[] = []
  for (let i = 0; i < count; i++) {
    const texts: Row['texts'] = []
    const ascents: number[] = []
    const label = labels[i]
    const value = values[i]
    if (label) {
      texts.push({ text: label, x: frame.left, style: block.labelStyle })
      // On the value's baseline, whatever its size.
      ascents.push(ascent(block.style))
    }
    if (value) {
      texts.push({ text: value, x: frame.left + frame.labelWidth, style: block.style })
      ascents.push(ascent(block.style))
    }
    rows.push({
      height: lineHeight(Math.max(block.style.size, block.labelStyle.size)),
      space: i === 0 ? (block.space ?? 0) : 0,
      // A label never stands alone at the foot of a page.
      keepWithNext: i < count - 1 && i === 0,
      texts,
      ascents,
      rule: false,
      group,
    })
  }
  return rows
}

/** Lays `blocks` out on as many pages as they need (at least one). */
export function typeset(
  blocks: Block[],
  measure: Measure,
  frame: PageFrame = A4_FRAME,
): TypesetPage[] {
  const groups: number[] = []
  const rows = blocks.flatMap((b) => rowsOf(b, frame, measure, -1, groups))
  const groupHeight = new Map<number, number>()
  for (const row of rows) {
    if (row.group < 0) continue
    const before = groupHeight.get(row.group)
    groupHeight.set(row.group, (before ?? 0) + row.height + (before === undefined ? 0 : row.space))
  }

  const contentHeight = frame.height - frame.top - frame.bottom
  const bottom = frame.height - frame.bottom
  const pages: TypesetPage[] = [{ texts: [], rules: [] }]
  let y = frame.top
  const atTop = () => y === frame.top
  const newPage = () => {
    pages.push({ texts: [], rules: [] })
    y = frame.top
  }

  rows.forEach((row, i) => {
    const previous = rows[i - 1]
    const space = atTop() ? 0 : row.space
    const startsGroup = row.group >= 0 && previous?.group !== row.group
    const whole = startsGroup ? (groupHeight.get(row.group) ?? 0) : 0
    if (startsGroup && !atTop() && y + space + whole > bottom && whole <= contentHeight) {
      newPage()
    } else {
      // A heading, or a line that must not stand alone, takes the next row with it.
      let needed = space + row.height
      for (let j = i; rows[j]?.keepWithNext && rows[j + 1]; j++) {
        needed += (rows[j + 1] as Row).height + (rows[j + 1] as Row).space
        if (needed > contentHeight / 3) break
      }
      if (!atTop() && y + needed > bottom) newPage()
    }
    y += atTop() ? 0 : row.space
    const page = pages[pages.length - 1] as TypesetPage
    row.texts.forEach((text, k) => {
      page.texts.push({ ...text, baseline: y + (row.ascents[k] ?? 0) })
    })
    y += row.height
    if (row.rule) {
      page.rules.push({ x: frame.left, y: y + 4, width: frame.width - frame.left - frame.right })
      y += 10
    }
  })
  return pages
}
