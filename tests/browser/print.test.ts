import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { mapsMessages } from '../../client/i18n/maps'
import { peopleMessages } from '../../client/i18n/people'
import type { CreateAtlasResponse } from '../../shared/api/atlases'
import { readAtlasContent } from '../../shared/domain/content'
import { buildSampleAtlas, SAMPLE_ATLAS_TITLE, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import type { Instrument } from '../../shared/schema/pages'
import { RecordsMap } from '../../shared/sync/records'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { openAtlasPage } from '../helpers/browser'
import { createAtlas, syncedClient, waitFor } from '../helpers/clients'
import type { TestServer } from '../helpers/server'
import {
  boxAround,
  collectRasterisedSheets,
  lineTouches,
  measureSheet,
  overlapOf,
  type PaperBox,
  PDF_WAIT,
  rasterisedSheets,
  type SheetFacts,
} from '../helpers/sheets'

let server: TestServer
let browser: Browser
let atlas: CreateAtlasResponse
let context: BrowserContext
let page: Page
let measuring: Page
const providers: WebsocketProvider[] = []
const records = buildSampleAtlas()
const sample = readAtlasContent(records)
const nl = mapsMessages.nl
const kinds = peopleMessages.nl.relation.kinds
const MAPS = ['familiekaart', 'relatiekaart', 'gebeurteniskaart'] as const

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
  atlas = await createAtlas(server.url, SAMPLE_ATLAS_TITLE)
  const writer = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
  providers.push(writer)
  seedAtlasDoc(writer.doc, records)
  await waitFor(async () => {
    const reader = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
    const size = new RecordsMap(reader.doc).size
    reader.destroy()
    return size === records.length
  }, 'the server to hold the sample atlas')
  context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    acceptDownloads: true,
  })
  page = await openAtlasPage(context, server.url + atlas.editUrl, 'Begeleider')
  measuring = await context.newPage()
})

afterAll(async () => {
  for (const provider of providers) provider.destroy()
  await context?.close()
  await closeAppAndBrowser(server, browser)
})

const radio = (p: Page, name: string | RegExp) => p.getByRole('radio', { name, exact: true })

/**
 * Makes the whole atlas as a PDF on `paper` through the export dialog and returns the map
 * sheets as they went to the rasteriser, measured, by instrument.
 */
async function printAtlas(paper: 'A4' | 'A3'): Promise<Map<Instrument, SheetFacts>> {
  await page.getByTestId('export-button').click()
  await page.getByTestId('export-dialog').waitFor()
  await radio(page, 'De hele atlas als PDF Om te printen en op te hangen.').check()
  await radio(page, paper).check()
  // The sheets are the same at any resolution; the lower one is quicker to make.
  await radio(page, 'Normaal (150 dpi)').check()
  await collectRasterisedSheets(page)
  await Promise.all([
    page.waitForEvent('download', PDF_WAIT),
    page.getByTestId('export-download').click(),
  ])
  await page.getByTestId('export-status').getByText(/Klaar/).waitFor()
  await page.keyboard.press('Escape')
  await page.getByTestId('export-dialog').waitFor({ state: 'detached' })
  const sheets = new Map<Instrument, SheetFacts>()
  for (const svg of await rasterisedSheets(page)) {
    const facts = await measureSheet(measuring, svg)
    const instrument = MAPS.find((i) => facts.title.startsWith(`${nl.instruments[i]} —`))
    if (instrument) sheets.set(instrument, facts)
  }
  expect([...sheets.keys()].sort()).toEqual([...MAPS].sort())
  return sheets
}

const namesOn = (instrument: Instrument) =>
  sample.persons.filter((p) => p.maps.includes(instrument)).map((p) => p.name)

/** The texts that are a person's name (a deceased person's name carries a cross). */
function nameTexts(facts: SheetFacts, instrument: Instrument) {
  const names = new Set(namesOn(instrument))
  return facts.texts.filter((t) => t.inDrawing && names.has(t.text.replace(/\s*†$/, '').trim()))
}

const describeBox = (b: PaperBox) =>
  `${b.x.toFixed(1)},${b.y.toFixed(1)} ${b.w.toFixed(1)}×${b.h.toFixed(1)} mm`

/** Every pair of texts whose characters overlap on paper. */
function overlappingTexts(facts: SheetFacts): string[] {
  const visible = facts.texts.filter((t) => t.boxes.length > 0 && t.text.trim() !== '')
  const found: string[] = []
  for (let i = 0; i < visible.length; i++) {
    for (let j = i + 1; j < visible.length; j++) {
      const a = visible[i] as (typeof visible)[number]
      const b = visible[j] as (typeof visible)[number]
      const hit = a.boxes.some((p) => b.boxes.some((q) => overlapOf(p, q) > 0.05))
      if (hit) found.push(`"${a.text}" × "${b.text}"`)
    }
  }
  return found
}

/** Every text that a relation line or arrowhead runs through. */
function textsOnLines(facts: SheetFacts): string[] {
  const found: string[] = []
  for (const t of facts.texts.filter((x) => x.inDrawing && x.text.trim() !== '')) {
    const onLine = facts.lines.some((line) => t.boxes.some((b) => lineTouches(line, b)))
    const onMark = facts.marks.some((m) => t.boxes.some((b) => overlapOf(m, b) > 0.05))
    if (onLine || onMark) found.push(`"${t.text}" at ${describeBox(boxAround(t.boxes))}`)
  }
  return found
}

/** The legend's words for a map: the catalogue's texts its signs are explained with. */
const LEGEND_WORDS: Record<(typeof MAPS)[number], string[]> = {
  familiekaart: [
    nl.legend.male,
    nl.legend.female,
    nl.legend.otherGender,
    nl.legend.deceased,
    nl.legend.client,
    kinds.married,
    kinds['living-together'],
    kinds.separated,
    kinds.divorced,
    nl.legend.household,
  ],
  relatiekaart: [
    nl.legend.rings,
    nl.legend.sectors,
    kinds.strong,
    kinds.normal,
    kinds.weak,
    kinds.tenuous,
    kinds.stressful,
    nl.legend.arrow,
  ],
  gebeurteniskaart: [nl.event.high, nl.event.low],
}

describe.each(['A4', 'A3'] as const)('the atlas printed on %s', (paper) => {
  let sheets: Map<Instrument, SheetFacts>
  beforeAll(async () => {
    sheets = await printAtlas(paper)
  })
  const sheet = (i: Instrument) => sheets.get(i) as SheetFacts

  it.each(['familiekaart', 'relatiekaart'] as const)(
    'prints every name on the %s at 9 pt or more, in full view',
    (instrument) => {
      const names = nameTexts(sheet(instrument), instrument)
      const smallest = Math.min(...names.map((n) => n.pt))
      console.log(`${paper} ${instrument}: smallest name ${smallest.toFixed(1)} pt`)
      expect(names.map((n) => n.text.replace(/\s*†$/, '')).sort()).toEqual(
        namesOn(instrument).sort(),
      )
      for (const name of names) {
        expect(name.pt, name.text).toBeGreaterThanOrEqual(9)
        expect(name.visible, name.text).toBe(true)
      }
    },
  )

  it.each(MAPS)('lets no text on the %s overlap another, nor a relation line', (instrument) => {
    const facts = sheet(instrument)
    expect(overlappingTexts(facts)).toEqual([])
    if (instrument !== 'gebeurteniskaart') {
      expect(facts.lines.length, 'relation lines found').toBeGreaterThan(0)
      expect(textsOnLines(facts)).toEqual([])
    }
  })

  it('keeps each ring label of the relatiekaart inside its ring', () => {
    const facts = sheet('relatiekaart')
    const rings = facts.rings
    expect(rings?.radii.length).toBe(5)
    if (!rings) return
    const labels = [
      nl.ringMap.closeness_very_close,
      nl.ringMap.closeness_friends,
      nl.ringMap.closeness_acquaintances,
      nl.ringMap.closeness_services,
    ]
    labels.forEach((label, ring) => {
      const text = facts.texts.find((t) => t.text === label)
      expect(text, label).toBeDefined()
      if (!text) return
      expect(text.pt, label).toBeGreaterThanOrEqual(9)
      const inner = rings.radii[ring] as number
      const outer = rings.radii[ring + 1] as number
      for (const b of text.boxes) {
        const corners = [
          [b.x, b.y],
          [b.x + b.w, b.y],
          [b.x, b.y + b.h],
          [b.x + b.w, b.y + b.h],
        ].map(([x, y]) => Math.hypot((x as number) - rings.cx, (y as number) - rings.cy))
        expect(Math.min(...corners), label).toBeGreaterThan(inner)
        expect(Math.max(...corners), label).toBeLessThan(outer)
      }
    })
  })

  it('shows the whole time axis and every event in full on the gebeurteniskaart', () => {
    const facts = sheet('gebeurteniskaart')
    const drawing = facts.drawing as PaperBox
    expect(drawing).not.toBeNull()
    expect(facts.cards).toHaveLength(sample.events.length)
    for (const card of facts.cards) {
      const where = `${card.text.slice(0, 40)} at ${describeBox(card.box)}`
      // Inside the sheet's drawing area, so inside the paper.
      expect(card.box.x, where).toBeGreaterThanOrEqual(drawing.x)
      expect(card.box.y, where).toBeGreaterThanOrEqual(drawing.y)
      expect(card.box.x + card.box.w, where).toBeLessThanOrEqual(drawing.x + drawing.w)
      expect(card.box.y + card.box.h, where).toBeLessThanOrEqual(drawing.y + drawing.h)
      expect(card.overflows, where).toBe(false)
      expect(card.minPt, where).toBeGreaterThanOrEqual(9)
    }
    const smallest = Math.min(...facts.cards.map((c) => c.minPt))
    console.log(`${paper} gebeurteniskaart: smallest card text ${smallest.toFixed(1)} pt`)
    for (const event of sample.events) {
      const card = facts.cards.find((c) => c.text.includes(event.title))
      expect(card, event.title).toBeDefined()
      expect(card?.text, event.title).toContain(event.helped)
      for (const person of event.persons) expect(card?.text, event.title).toContain(person.name)
    }
    for (let i = 0; i < facts.cards.length; i++)
      for (let j = i + 1; j < facts.cards.length; j++)
        expect(
          overlapOf(
            (facts.cards[i] as PrintedCardLike).box,
            (facts.cards[j] as PrintedCardLike).box,
          ),
        ).toBe(0)

    // The axis from its first to its last year, both labelled, and the high and low labels.
    const timeline = records.find((r) => r.id === 'shape:timeline') as unknown as {
      props: { fromYear: number; toYear: number }
    }
    const free = facts.texts.filter((t) => t.inDrawing && t.text.trim() !== '')
    for (const label of [
      String(timeline.props.fromYear),
      String(timeline.props.toYear),
      nl.timeline.high,
      nl.timeline.low,
    ]) {
      const text = free.find((t) => t.text === label)
      expect(text, label).toBeDefined()
      expect(text?.visible, label).toBe(true)
    }
    // No card covers a year or a label of the axis.
    for (const text of free) {
      for (const card of facts.cards) {
        const covered = text.boxes.some((b) => overlapOf(b, card.box) > 0.05)
        expect(covered, `"${text.text}" under ${card.text.slice(0, 30)}`).toBe(false)
      }
    }
  })

  it.each(MAPS)('gives the %s a legend beside the map, in the catalogue’s words', (instrument) => {
    const facts = sheet(instrument)
    const drawing = facts.drawing as PaperBox
    const outside = facts.texts.filter((t) => !t.inDrawing)
    for (const word of LEGEND_WORDS[instrument]) {
      const text = outside.find((t) => t.text === word)
      expect(text, word).toBeDefined()
      if (!text) continue
      expect(text.visible, word).toBe(true)
      // Small and calm, readable on paper, and not on top of the map.
      expect(text.pt, word).toBeGreaterThanOrEqual(7)
      expect(overlapOf(boxAround(text.boxes), drawing), word).toBe(0)
    }
  })
})

type PrintedCardLike = SheetFacts['cards'][number]

describe('the atlas in English', () => {
  it('names the maps in English in the dialog, its preview and on the sheets', async () => {
    const en = mapsMessages.en
    const english = await browser.newContext({
      viewport: { width: 1440, height: 1000 },
      acceptDownloads: true,
    })
    try {
      await english.addInitScript(() => localStorage.setItem('netwerkatlas:language', 'en'))
      const p = await english.newPage()
      await p.goto(server.url + atlas.editUrl)
      await p.getByRole('textbox', { name: 'Your name' }).fill('Supporter')
      await p.getByRole('button', { name: 'Done' }).click()
      await p.locator('.connection[data-state="online"]').waitFor({ timeout: 15_000 })
      await p.getByTestId('export-button').click()
      for (const name of Object.values(en.instruments))
        await p.getByRole('radio', { name, exact: true }).waitFor()
      await p.getByRole('radio', { name: en.instruments.familiekaart, exact: true }).check()
      await p.getByAltText(`Preview of ${en.instruments.familiekaart}`).waitFor()
      await p.getByRole('radio', { name: /whole atlas as a PDF/ }).check()
      for (const name of Object.values(en.instruments))
        await p.getByRole('checkbox', { name }).waitFor()
      await collectRasterisedSheets(p)
      await Promise.all([
        p.waitForEvent('download', PDF_WAIT),
        p.getByTestId('export-download').click(),
      ])
      await p.getByTestId('export-status').getByText(/Done/).waitFor()
      const titles = (await rasterisedSheets(p)).map(
        (svg) => (/<title>([^<]*)<\/title>/.exec(svg)?.[1] ?? '').split(' — ')[0],
      )
      expect(titles).toEqual(
        ['basisposter', 'familiekaart', 'relatiekaart', 'contactschema', 'gebeurteniskaart'].map(
          (i) => en.instruments[i as Instrument],
        ),
      )
    } finally {
      await english.close()
    }
  })
})
