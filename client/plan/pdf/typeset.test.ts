import { describe, expect, it } from 'vitest'
import { A4_FRAME, type Block, lineHeight, type TextStyle, typeset, wrapText } from './typeset'

/** One point per character: easy widths to reason about. */
const byLength = (s: string) => Array.from(s).length

const body: TextStyle = { font: 'regular', size: 10, colour: 'ink' }
const heading: TextStyle = { font: 'bold', size: 14, colour: 'ink' }
const measure = (text: string, style: TextStyle) => Array.from(text).length * style.size * 0.5

describe('wrapText', () => {
  it('breaks at spaces, as late as the width allows', () => {
    expect(wrapText('de kat zit op de mat', 10, byLength)).toEqual(['de kat zit', 'op de mat'])
  })

  it("keeps the writer's own line breaks and turns runs of spaces into one", () => {
    expect(wrapText('eerst\n\ndan   dit\r\nklaar', 40, byLength)).toEqual([
      'eerst',
      '',
      'dan dit',
      'klaar',
    ])
  })

  it('cuts a word longer than a line between characters, never inside an emoji', () => {
    expect(wrapText('budgetcoachafspraak', 8, byLength)).toEqual(['budgetco', 'achafspr', 'aak'])
    const lines = wrapText('🐈🐈🐈🐈🐈', 2, byLength)
    expect(lines).toEqual(['🐈🐈', '🐈🐈', '🐈'])
  })

  it('gives one empty line for an empty text, and fits a word exactly as wide as the line', () => {
    expect(wrapText('', 10, byLength)).toEqual([''])
    expect(wrapText('precies', 7, byLength)).toEqual(['precies'])
  })
})

describe('typeset', () => {
  const bottom = A4_FRAME.height - A4_FRAME.bottom

  it('fills pages to the bottom margin and goes on on the next, line by line in order', () => {
    const blocks: Block[] = Array.from({ length: 120 }, (_, i) => ({
      kind: 'text',
      text: `regel ${i}`,
      style: body,
    }))
    const pages = typeset(blocks, measure)
    expect(pages.length).toBeGreaterThan(1)
    const texts = pages.flatMap((p) => p.texts.map((t) => t.text))
    expect(texts).toEqual(blocks.map((b) => (b.kind === 'text' ? b.text : '')))
    for (const page of pages) {
      for (const t of page.texts) {
        expect(t.baseline).toBeGreaterThan(A4_FRAME.top)
        expect(t.baseline).toBeLessThanOrEqual(bottom)
      }
    }
    // A page is full: the next line would not have fit.
    const last = pages[0]?.texts.at(-1)
    expect((last?.baseline ?? 0) + lineHeight(body.size)).toBeGreaterThan(bottom - lineHeight(10))
  })

  it('never leaves a heading as the last line of a page', () => {
    const filler: Block[] = Array.from({ length: 51 }, (_, i) => ({
      kind: 'text',
      text: `regel ${i}`,
      style: body,
    }))
    for (let extra = 0; extra < 8; extra++) {
      const blocks: Block[] = [
        ...filler.slice(0, 44 + extra),
        { kind: 'text', text: 'Kop', style: heading, keepWithNext: true, space: 12 },
        { kind: 'text', text: 'eerste regel na de kop', style: body },
      ]
      const pages = typeset(blocks, measure)
      for (const page of pages) expect(page.texts.at(-1)?.text).not.toBe('Kop')
    }
  })

  it('keeps a group on one page when it fits on one, and moves it whole', () => {
    const filler: Block[] = Array.from({ length: 48 }, (_, i) => ({
      kind: 'text',
      text: `regel ${i}`,
      style: body,
    }))
    const group: Block = {
      kind: 'group',
      space: 10,
      blocks: Array.from({ length: 6 }, (_, i) => ({
        kind: 'field',
        label: 'Wat',
        value: `onderdeel ${i}`,
        labelStyle: body,
        style: body,
      })),
    }
    const pages = typeset([...filler, group], measure)
    const pageOf = (text: string) => pages.findIndex((p) => p.texts.some((t) => t.text === text))
    expect(pageOf('onderdeel 0')).toBe(pageOf('onderdeel 5'))
    expect(pageOf('onderdeel 0')).toBe(1)
    // At the top of the new page, without the space above it.
    const first = pages[1]?.texts[0]
    expect(first?.baseline).toBeLessThan(A4_FRAME.top + lineHeight(body.size))
  })

  it('puts a label and its value on one baseline, the value wrapped in its own column', () => {
    const long = 'woord '.repeat(80).trim()
    const [page] = typeset(
      [
        {
          kind: 'field',
          label: 'Als het niet lukt',
          value: long,
          labelStyle: { ...body, size: 9 },
          style: body,
        },
      ],
      measure,
    )
    const label = page?.texts.find((t) => t.text === 'Als het niet lukt')
    const values = page?.texts.filter((t) => t.x === A4_FRAME.left + A4_FRAME.labelWidth) ?? []
    expect(label?.baseline).toBe(values[0]?.baseline)
    expect(values.length).toBeGreaterThan(1)
    const width = A4_FRAME.width - A4_FRAME.left - A4_FRAME.right - A4_FRAME.labelWidth
    for (const v of values) expect(measure(v.text, body)).toBeLessThanOrEqual(width)
    expect(values.map((v) => v.text).join(' ')).toBe(long)
  })

  it('always gives at least one page', () => {
    expect(typeset([], measure)).toEqual([{ texts: [], rules: [] }])
  })
})
