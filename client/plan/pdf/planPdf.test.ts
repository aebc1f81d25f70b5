/**
 * The printed plan built as the browser builds it (the app's own IBM Plex Sans, WOFF2 → TTF, the
 * catalogue's words), read back with pdf.js: real, searchable text on A4 pages, no pictures.
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import i18next from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import decompress from 'wawoff2/decompress.js'
import type { Agreement } from '../../../shared/plan/layout'
import { nl } from '../../i18n/nl'
import type { PlanView } from '../planView'
import { pdfWordsFrom } from '../words'
import { composePlan } from './compose'
import { buildPlanPdf, type PlanFonts } from './planPdf'

const fontDir = fileURLToPath(
  new URL('../../../node_modules/@tldraw/assets/fonts/', import.meta.url),
)
let fonts: PlanFonts
let t: typeof i18next.t

beforeAll(async () => {
  const woff2 = (name: string) => readFile(`${fontDir}IBMPlexSans-${name}.woff2`)
  fonts = {
    // Copies: the converter hands out a view of its own memory, which its next call reuses.
    regular: new Uint8Array(await decompress(await woff2('Medium'))),
    bold: new Uint8Array(await decompress(await woff2('Bold'))),
  }
  const i18n = i18next.createInstance()
  await i18n.init({ resources: { nl: { translation: nl } }, lng: 'nl', returnNull: false })
  t = i18n.t
})

const agreement = (id: string, questionId: string, fields: Partial<Agreement>): Agreement => ({
  id,
  questionId,
  index: id,
  what: '',
  who: [],
  where: '',
  when: '',
  date: null,
  frequency: null,
  how: '',
  fallback: '',
  backupPersonId: null,
  status: null,
  note: '',
  createdAt: '2026-12-05T10:00:00.000Z',
  ...fields,
})

function samplePlan(extra: Agreement[] = []): PlanView {
  return {
    name: 'Sanne de Vries',
    questions: [
      { id: 'question:buurt', text: 'Hoe leer ik mensen kennen in mijn buurt?', index: 'a1' },
      { id: 'question:geld', text: 'Wie helpt mij met mijn geld?', index: 'a2' },
    ],
    persons: [
      { id: 'person:ria', name: 'Ria', pictogram: 'heart', photo: null, isClient: false },
      { id: 'person:kees', name: 'Kees', pictogram: null, photo: null, isClient: false },
    ],
    agreements: [
      agreement('a1', 'question:buurt', {
        what: 'Samen naar het buurthuis op woensdag',
        who: ['person:ria'],
        where: 'Buurthuis De Linde',
        when: 'woensdagmiddag',
        frequency: 'weekly',
        how: 'Ria haalt Sanne op met de fiets.',
        fallback: 'Sanne belt Kees 🐈',
        backupPersonId: 'person:kees',
      }),
      agreement('a2', 'question:geld', {
        what: 'Post één keer per week samen openmaken',
        who: ['person:weg'],
        date: '2027-01-04',
      }),
      agreement('a3', 'question:oud', { what: 'Afspraak bij een vraag die weg is' }),
      ...extra,
    ],
    server: {
      piketpaaltjes: [
        {
          id: 'p1',
          text: 'Sanne houdt haar budgetcoach tot 2027.',
          framework: 'Beschermingsbewind',
          linkId: 'l1',
          setBy: 'curator',
          setAt: '2026-12-05T09:00:00.000Z',
        },
        {
          id: 'p2',
          text: 'Geen verhuizing zonder overleg met jeugdzorg.',
          framework: '',
          linkId: 'l2',
          setBy: '',
          setAt: '2026-12-05T09:05:00.000Z',
        },
      ],
      approvals: [
        {
          id: 'ap1',
          linkId: 'l1',
          by: 'curator',
          decision: 'approved',
          comment: 'Goed plan.',
          planHash: 'a'.repeat(64),
          at: '2026-12-05T11:00:00.000Z',
        },
      ],
      privateTime: { on: false, since: null },
    },
  }
}

async function build(view: PlanView): Promise<Uint8Array> {
  const words = pdfWordsFrom(t, 'nl', view.name)
  const blocks = composePlan(view, words, new Date('2026-12-05T12:00:00Z'), 'b'.repeat(64))
  return buildPlanPdf(blocks, fonts, {
    title: words.title(view.name),
    language: 'nl',
    footer: words.footer,
    createdAt: new Date('2026-12-05T12:00:00Z'),
  })
}

/** Each page's text as pdf.js reads it, and whether a page paints any image. */
async function readBack(bytes: Uint8Array) {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs')
  const doc = await pdfjs.getDocument({ data: bytes.slice(), useSystemFonts: false }).promise
  const pages: { text: string; images: number; width: number; height: number }[] = []
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n)
    const content = await page.getTextContent()
    const ops = await page.getOperatorList()
    const images = ops.fnArray.filter(
      (fn) => fn === pdfjs.OPS.paintImageXObject || fn === pdfjs.OPS.paintInlineImageXObject,
    ).length
    const [, , width, height] = page.view
    pages.push({
      text: content.items.map((item) => ('str' in item ? item.str : '')).join('\n'),
      images,
      width: width ?? 0,
      height: height ?? 0,
    })
  }
  await doc.destroy()
  return pages
}

describe('the printed plan', () => {
  it('is text: the client, the piketpaaltjes with who set them, every agreement, the approvals', async () => {
    const pages = await readBack(await build(samplePlan()))
    const text = pages.map((p) => p.text).join('\n')
    for (const expected of [
      'Plan van Sanne de Vries',
      'Sanne houdt haar budgetcoach tot 2027.',
      'gesteld door curator, 5 december 2026 · Regel: Beschermingsbewind',
      'Geen verhuizing zonder overleg met jeugdzorg.',
      'gesteld door een professional',
      '1. Hoe leer ik mensen kennen in mijn buurt?',
      'Samen naar het buurthuis op woensdag',
      'Buurthuis De Linde',
      'woensdagmiddag · elke week',
      'Ria haalt Sanne op met de fiets.',
      'Kees helpt dan',
      '2. Wie helpt mij met mijn geld?',
      'Post één keer per week samen openmaken',
      'onbekend',
      'op 4 januari 2027',
      'Andere afspraken',
      'Afspraak bij een vraag die weg is',
      'Goedgekeurd door curator, 5 december 2026',
      'Goed plan.',
      'Veranderd na goedkeuring',
      'Pagina 1 van 1',
    ]) {
      expect(text, expected).toContain(expected)
    }
    // A character the font cannot draw is left out, the rest of the line stays.
    expect(text).toContain('Sanne belt Kees')
    expect(pages.every((p) => p.images === 0)).toBe(true)
    // A4 portrait.
    expect(pages[0]?.width).toBeCloseTo(595.28, 1)
    expect(pages[0]?.height).toBeCloseTo(841.89, 1)
  })

  it('goes on over as many pages as it needs, each numbered, losing no agreement', async () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      agreement(`m${String(i).padStart(2, '0')}`, 'question:buurt', {
        what: `Afspraak nummer ${i}: ${'samen iets doen, '.repeat(4)}klaar.`,
        who: ['person:ria', 'person:kees'],
        when: 'elke dag om negen uur',
      }),
    )
    const bytes = await build(samplePlan(many))
    const pages = await readBack(bytes)
    expect(pages.length).toBeGreaterThan(3)
    pages.forEach((page, i) => {
      expect(page.text).toContain(`Pagina ${i + 1} van ${pages.length}`)
    })
    const text = pages.map((p) => p.text).join('\n')
    for (let i = 0; i < 60; i++) expect(text).toContain(`Afspraak nummer ${i}:`)
    // The font is embedded as a subset: the file stays small.
    expect(bytes.length).toBeLessThan(120_000)
  })
})
