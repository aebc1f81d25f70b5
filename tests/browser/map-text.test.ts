import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import type { Editor } from 'tldraw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { en } from '../../client/i18n/en'
import { nl } from '../../client/i18n/nl'
import { type AtlasContent, readAtlasContent } from '../../shared/domain/content'
import { buildSampleAtlas, SAMPLE_ATLAS_TITLE, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { addAgreement, addWho, setAgreementText } from '../../shared/plan/actions'
import { INSTRUMENTS, type Instrument, instrumentPageId } from '../../shared/schema/pages'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { answerName } from '../helpers/browser'
import { createAtlas, syncedClient } from '../helpers/clients'
import { openSampleAtlas } from '../helpers/pages'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser
const opened: BrowserContext[] = []
const providers: WebsocketProvider[] = []

type Win = { editor: Editor }

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
})

afterAll(async () => {
  for (const provider of providers) provider.destroy()
  for (const context of opened) await context.close()
  await closeAppAndBrowser(server, browser)
})

/** The sample atlas in a new context (closed at the end). */
async function sample(language: 'nl' | 'en' = 'nl'): Promise<Page> {
  const page = await openSampleAtlas(browser, server.url, language)
  opened.push(page.context())
  return page
}

/** The atlas's structured content, read from this page's records (not from its words). */
async function contentOf(page: Page): Promise<AtlasContent> {
  const records: unknown[] = await page.evaluate(
    () => (window as unknown as Win).editor.store.allRecords() as unknown[],
  )
  return readAtlasContent(records)
}

async function show(page: Page, instrument: Instrument): Promise<void> {
  await page.evaluate(
    (id) => {
      ;(window as unknown as Win).editor.setCurrentPage(id as never)
    },
    String(instrumentPageId(instrument)),
  )
}

/** The map in words as the page holds it: title, overview lines, and each part's heading and lines. */
function readRegion(region: Locator) {
  return region.evaluate((element) => ({
    title: element.querySelector('h3')?.textContent ?? '',
    intro: [...element.querySelectorAll('p')].map((p) => p.textContent ?? ''),
    sections: [...element.querySelectorAll('h4')].map((h) => ({
      heading: h.textContent ?? '',
      lines: [...(h.nextElementSibling?.querySelectorAll('li') ?? [])].map(
        (li) => li.textContent ?? '',
      ),
    })),
  }))
}

type Read = Awaited<ReturnType<typeof readRegion>>

/** The region's words once its title is that of `instrument` (it follows the page). */
async function regionOn(page: Page, instrument: Instrument, language: 'nl' | 'en'): Promise<Read> {
  const words = language === 'nl' ? nl : en
  const region = page.getByRole('region', { name: words.mapText.region })
  const mapName = words.maps.instruments[instrument]
  await expect.poll(async () => (await readRegion(region)).title).toMatch(new RegExp(`^${mapName}`))
  return readRegion(region)
}

const sectionWith = (read: Read, name: string) =>
  read.sections.filter((s) => s.lines.some((l) => l.startsWith(`${name},`)))

describe('each map in words, for a screen reader', () => {
  it('the five maps of the sample atlas say what their structured content holds', async () => {
    const page = await sample('nl')
    const content = await contentOf(page)
    const client = content.client
    if (!client) throw new Error('the sample has no client')

    // Relationship map: everyone on it, in the section of his ring, with his sector.
    await show(page, 'relatiekaart')
    const relation = await regionOn(page, 'relatiekaart', 'nl')
    expect(relation.title).toBe(`Relatiekaart van ${client.name}`)
    const onRelationMap = content.persons.filter(
      (p) => p.maps.includes('relatiekaart') && !p.isClient,
    )
    expect(onRelationMap.length).toBe(7)
    for (const person of onRelationMap) {
      const sections = sectionWith(relation, person.name)
      expect(
        sections.map((s) => s.heading),
        person.name,
      ).toEqual([nl.mapText.rings[person.closeness ?? 'none']])
      const line = sections[0]?.lines.find((l) => l.startsWith(`${person.name},`)) ?? ''
      expect(line).toContain(nl.people.person.sectors[person.sector ?? 'family'].toLowerCase())
    }

    // Family map: everyone on it named once, with his year of birth, in a generation.
    await show(page, 'familiekaart')
    const family = await regionOn(page, 'familiekaart', 'nl')
    const onFamilyMap = content.persons.filter((p) => p.maps.includes('familiekaart'))
    expect(onFamilyMap.length).toBe(6)
    for (const person of onFamilyMap) {
      const lines = family.sections.flatMap((s) =>
        s.lines.filter((l) => l.startsWith(`${person.name},`)),
      )
      expect(lines, person.name).toHaveLength(1)
      expect(lines[0]).toContain(`geboren in ${person.birthYear}`)
    }
    expect(family.sections.map((s) => s.heading)).toEqual([
      'Generatie van de grootouders',
      'Generatie van de ouders',
      `Generatie van ${client.name}`,
    ])

    // Life events: each event once, in the order of its date.
    await show(page, 'gebeurteniskaart')
    const events = await regionOn(page, 'gebeurteniskaart', 'nl')
    const lines = events.sections.flatMap((s) => s.lines)
    const byDate = [...content.events].sort((a, b) => a.date.localeCompare(b.date))
    expect(byDate.length).toBe(4)
    expect(lines).toHaveLength(byDate.length)
    byDate.forEach((event, i) => {
      expect(lines[i]).toContain(`: ${event.title}.`)
      expect(lines[i]).toContain(String(event.year))
    })

    // Basisposter: the client's story and his questions, in their order.
    await show(page, 'basisposter')
    const poster = await regionOn(page, 'basisposter', 'nl')
    expect(poster.sections.find((s) => s.heading === 'Mijn verhaal')?.lines).toEqual([
      content.poster.story,
    ])
    expect(poster.sections.find((s) => s.heading === 'Mijn vragen voor het plan')?.lines).toEqual(
      content.questions.map((q) => q.text),
    )

    // Contact schedule: already a table; the words say so, and the table is still there.
    await show(page, 'contactschema')
    const contacts = await regionOn(page, 'contactschema', 'nl')
    expect(contacts.intro[0]).toContain('Het contactschema is een tabel op deze pagina.')
    expect(contacts.intro[0]).toContain(`Er staan ${content.contacts.length} contacten in.`)
    await expect.poll(() => page.getByRole('table').count()).toBe(1)
    expect(INSTRUMENTS.length).toBe(5)
  })

  it('speaks English when the app does, and its button shows the words as a list in large type', async () => {
    const page = await sample('en')
    const region = page.getByRole('region', { name: 'Map in words' })
    const read = await regionOn(page, 'relatiekaart', 'en')
    expect(read.title).toBe('Relationship map of Sanne')
    expect(sectionWith(read, 'Ria')[0]?.heading).toBe('In the inner ring: very close')
    const list = page.getByTestId('map-text')
    // Hidden from sight (a screen reader still reads it) until the button shows it.
    expect((await list.boundingBox())?.width ?? 0).toBeLessThan(5)
    const toggle = region.getByRole('button', { name: 'Show the map in words' })
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    await toggle.click()
    await expect.poll(async () => (await list.boundingBox())?.width ?? 0).toBeGreaterThan(400)
    const fontSize = await list
      .getByRole('listitem')
      .first()
      .evaluate((li) => Number.parseFloat(getComputedStyle(li).fontSize))
    expect(fontSize).toBeGreaterThanOrEqual(20)
    await region.getByRole('button', { name: 'Hide the words' }).click()
    await expect.poll(async () => (await list.boundingBox())?.width ?? 0).toBeLessThan(5)
  })
})

describe('announcements', () => {
  it('says what is chosen on the canvas, once: the person with family role, ring and sector', async () => {
    const page = await sample('nl')
    const centre = await page.evaluate(() => {
      const editor = (window as unknown as Win).editor
      const box = editor.getShapePageBounds('shape:relatiekaart-ria' as never)
      if (!box) throw new Error('Ria is not on the relationship map')
      return editor.pageToViewport(box.center)
    })
    await page.mouse.click(centre.x, centre.y)
    // tldraw's own live region says the selection; no second region says it again.
    const saying = () =>
      page
        .locator('[aria-live], [role=status], [role=log]')
        .allTextContents()
        .then((all) => all.filter((text) => text.includes('Ria')))
    await expect.poll(saying).toHaveLength(1)
    expect((await saying())[0]).toMatch(/^Ria, moeder, binnenste ring, familie, Steunfiguur, /)

    await page.keyboard.press('Escape')
    await show(page, 'familiekaart')
    const box = await page.evaluate(() => {
      const editor = (window as unknown as Win).editor
      const found = editor.getShapePageBounds('shape:familiekaart-ria' as never)
      if (!found) throw new Error('Ria is not on the family map')
      return editor.pageToViewport(found.center)
    })
    await page.mouse.click(box.x, box.y)
    // On the family map there is no ring to say.
    await expect.poll(async () => (await saying())[0] ?? '').toMatch(/^Ria, moeder, Steunfiguur, /)
  })

  it("says what another device adds and removes, with that device's name, and not its moves", async () => {
    const a = await sample('nl')
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    opened.push(context)
    const b = await context.newPage()
    await b.goto(a.url())
    await answerName(b, 'Ria')
    await b.waitForFunction(() =>
      (window as unknown as Win).editor?.getCurrentPageShapes().some((s) => s.type === 'person'),
    )
    await show(b, 'relatiekaart')
    const showPeople = b.getByRole('button', { name: 'Toon de mensen' })
    if (await showPeople.count()) await showPeople.click()
    const log = a.getByTestId('change-announcements')
    expect(await log.getAttribute('role')).toBe('log')

    // B makes a new person and types his name, as people do.
    await b.getByRole('button', { name: 'Nieuwe persoon' }).click()
    await b.getByLabel('Naam', { exact: true }).fill('Joris')
    await expect
      .poll(() => log.locator('p').allTextContents(), { timeout: 15_000 })
      .toEqual(['Ria heeft Joris toegevoegd.'])
    // The map in words follows: Joris is on A's relationship map now.
    const linesOfA = async () =>
      (await readRegion(a.getByRole('region', { name: 'Kaart in tekst' }))).sections.flatMap(
        (section) => section.lines,
      )
    await expect.poll(async () => (await linesOfA()).some((l) => l.startsWith('Joris,'))).toBe(true)

    // B moves Ahmed, then adds Kim: only Kim is said.
    await b.evaluate(() => {
      const editor = (window as unknown as Win).editor
      editor.setCurrentPage('page:relatiekaart' as never)
      const ahmed = editor.getShape('shape:relatiekaart-ahmed' as never)
      if (!ahmed) throw new Error('Ahmed is not on the relationship map')
      for (let i = 1; i <= 10; i++) editor.updateShape({ ...ahmed, x: ahmed.x + i * 3 })
    })
    await b.getByRole('button', { name: 'Nieuwe persoon' }).click()
    await b.getByLabel('Naam', { exact: true }).fill('Kim')
    await expect
      .poll(() => log.locator('p').allTextContents(), { timeout: 15_000 })
      .toEqual(['Ria heeft Joris toegevoegd.', 'Ria heeft Kim toegevoegd.'])

    // B removes Joris.
    await b.evaluate(() => {
      const editor = (window as unknown as Win).editor
      const joris = editor.store
        .allRecords()
        .find((r) => r.typeName === 'person' && (r as { name?: string }).name === 'Joris')
      if (!joris) throw new Error('no Joris')
      const views = editor
        .getCurrentPageShapes()
        .filter(
          (s) => s.type === 'person' && (s.props as { personId: string }).personId === joris.id,
        )
      editor.deleteShapes(views.map((v) => v.id))
      editor.store.remove([joris.id])
    })
    await expect
      .poll(() => log.locator('p').allTextContents(), { timeout: 15_000 })
      .toEqual([
        'Ria heeft Joris toegevoegd.',
        'Ria heeft Kim toegevoegd.',
        'Ria heeft Joris verwijderd.',
      ])
    await expect
      .poll(async () => (await linesOfA()).some((l) => l.startsWith('Joris,')))
      .toBe(false)
  })
})

describe('read aloud', () => {
  /**
   * A recording stand-in for the browser's speech synthesis (Chromium here has no voices): an
   * online Dutch voice, which must never be used, and a Dutch and an English one of the device.
   */
  const speechWith = (voices: Array<{ name: string; lang: string; localService: boolean }>) => `
    window.__spoken = []
    window.SpeechSynthesisUtterance = class {
      constructor(text) { this.text = text; this.lang = ''; this.voice = null }
    }
    Object.defineProperty(window, 'speechSynthesis', {
      configurable: true,
      value: {
        speak(u) { window.__spoken.push({ text: u.text, lang: u.lang, voice: u.voice && u.voice.name }) },
        cancel() { window.__spoken.push('cancel') },
        getVoices() { return ${JSON.stringify(voices)} },
        addEventListener() {},
        removeEventListener() {},
      },
    })`
  const ONLINE_DUTCH = { name: 'Google Nederlands', lang: 'nl-NL', localService: false }
  const RECORDING_SPEECH = speechWith([
    ONLINE_DUTCH,
    { name: 'Xander', lang: 'nl-NL', localService: true },
    { name: 'Daniel', lang: 'en-GB', localService: true },
  ])
  type Spoken = Array<'cancel' | { text: string; lang: string; voice: string | null }>

  async function sampleWith(script: string, language: 'nl' | 'en'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    opened.push(context)
    await context.addInitScript(script)
    await context.addInitScript(`localStorage.setItem('netwerkatlas:language', '${language}')`)
    const page = await context.newPage()
    await page.goto(server.url)
    await page
      .getByRole('button', {
        name: language === 'nl' ? 'Voorbeeldatlas van Sanne' : 'Sample atlas of Sanne',
      })
      .click()
    await page
      .getByRole('textbox', { name: language === 'nl' ? 'Jouw naam' : 'Your name' })
      .fill('Truus')
    await page.getByRole('button', { name: language === 'nl' ? 'Klaar' : 'Done' }).click()
    await page.waitForFunction(() =>
      (window as unknown as Win).editor?.getCurrentPageShapes().some((s) => s.type === 'person'),
    )
    await show(page, 'relatiekaart')
    return page
  }

  it('is not there where the browser cannot speak', async () => {
    const page = await sampleWith(
      "Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: undefined })",
      'nl',
    )
    const region = page.getByRole('region', { name: 'Kaart in tekst' })
    await regionOn(page, 'relatiekaart', 'nl')
    expect(await region.getByRole('button', { name: 'Toon de kaart in tekst' }).count()).toBe(1)
    expect(await page.getByRole('button', { name: 'Voorlezen' }).count()).toBe(0)
  })

  it('is not there where the only Dutch voice is an online one (the text would leave the device)', async () => {
    const page = await sampleWith(
      speechWith([ONLINE_DUTCH, { name: 'Daniel', lang: 'en-GB', localService: true }]),
      'nl',
    )
    await regionOn(page, 'relatiekaart', 'nl')
    expect(await page.getByRole('button', { name: 'Toon de kaart in tekst' }).count()).toBe(1)
    expect(await page.getByRole('button', { name: 'Voorlezen' }).count()).toBe(0)
  })

  it('speaks the map in words on the device, in Dutch, and stops', async () => {
    const page = await sampleWith(RECORDING_SPEECH, 'nl')
    const content = await contentOf(page)
    const read = await regionOn(page, 'relatiekaart', 'nl')
    await page.getByRole('button', { name: 'Voorlezen' }).click()
    const spoken = (await page.evaluate('window.__spoken')) as Spoken
    const said = spoken.filter((s) => s !== 'cancel')
    expect(said.length).toBeGreaterThan(1)
    expect(said.every((s) => s.lang === 'nl-NL' && s.voice === 'Xander')).toBe(true)
    const text = said.map((s) => s.text).join(' ')
    expect(text.startsWith(`${read.title}. `)).toBe(true)
    for (const section of read.sections) {
      expect(text).toContain(section.heading)
      for (const line of section.lines) expect(text).toContain(line)
    }
    for (const person of content.persons.filter((p) => p.maps.includes('relatiekaart')))
      expect(text).toContain(person.name)
    // While it speaks the button stops it.
    await page.getByRole('button', { name: 'Stop met voorlezen' }).click()
    await expect.poll(() => page.getByRole('button', { name: 'Voorlezen' }).count()).toBe(1)
    expect(((await page.evaluate('window.__spoken')) as unknown[]).at(-1)).toBe('cancel')
  })

  it('speaks English when the app is in English', async () => {
    const page = await sampleWith(RECORDING_SPEECH, 'en')
    await regionOn(page, 'relatiekaart', 'en')
    await page.getByRole('button', { name: 'Read aloud' }).click()
    const spoken = (await page.evaluate('window.__spoken')) as Spoken
    const said = spoken.filter((s) => s !== 'cancel')
    expect(said[0]?.text.startsWith('Relationship map of Sanne.')).toBe(true)
    expect(said.every((s) => s.lang === 'en-GB' && s.voice === 'Daniel')).toBe(true)
  })

  it('reads an agreement of the plan aloud for a view link', async () => {
    const atlas = await createAtlas(server.url, SAMPLE_ATLAS_TITLE)
    const maps = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
    providers.push(maps)
    seedAtlasDoc(maps.doc, buildSampleAtlas())
    const content = readAtlasContent(maps.doc)
    const plan = await syncedClient(server.wsUrl, `${atlas.id}/plan`, atlas.editToken)
    providers.push(plan)
    const ria = content.persons.find((p) => p.name === 'Ria')?.id as string
    const id = addAgreement(plan.doc, content.questions[0]?.id as string, { what: 'Samen koken' })
    addWho(plan.doc, id, ria)
    setAgreementText(plan.doc, id, 'how', 'Ria neemt de pannen mee.')

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    opened.push(context)
    await context.addInitScript(RECORDING_SPEECH)
    await context.addInitScript("localStorage.setItem('netwerkatlas:language', 'nl')")
    const page = await context.newPage()
    await page.goto(server.url + atlas.viewUrl.replace(/^(\/atlas\/[^#/]+)/, '$1/plan'))
    const card = page.locator(`[data-testid="agreement"][data-agreement-id="${id}"]`)
    await card.getByText('Ria neemt de pannen mee.').waitFor({ timeout: 20_000 })
    await card.getByRole('button', { name: 'Voorlezen' }).click()
    const spoken = (await page.evaluate('window.__spoken')) as Spoken
    const said = spoken.filter((s) => s !== 'cancel')
    expect(said.map((s) => s.text).join(' ')).toBe(
      'Afspraak 1. Wat: Samen koken. Wie: Ria. Hoe: Ria neemt de pannen mee.',
    )
    expect(said.every((s) => s.lang === 'nl-NL' && s.voice === 'Xander')).toBe(true)
  })

  it("reads an agreement to an edit link, and the basisposter's texts and questions", async () => {
    const atlas = await createAtlas(server.url, SAMPLE_ATLAS_TITLE)
    const maps = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
    providers.push(maps)
    seedAtlasDoc(maps.doc, buildSampleAtlas())
    const content = readAtlasContent(maps.doc)
    const plan = await syncedClient(server.wsUrl, `${atlas.id}/plan`, atlas.editToken)
    providers.push(plan)
    const id = addAgreement(plan.doc, content.questions[0]?.id as string, { what: 'Samen koken' })
    setAgreementText(plan.doc, id, 'how', 'Ria neemt de pannen mee.')

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    opened.push(context)
    await context.addInitScript(RECORDING_SPEECH)
    await context.addInitScript("localStorage.setItem('netwerkatlas:language', 'nl')")
    await context.addInitScript(
      "localStorage.setItem('netwerkatlas:user', JSON.stringify({ id: 'u1', name: 'Begeleider', color: '#1f5fae' }))",
    )
    const page = await context.newPage()
    // The plan through the edit link: the agreement is a form, and has the speaker too.
    await page.goto(server.url + atlas.editUrl.replace(/^(\/atlas\/[^#/]+)/, '$1/plan'))
    const card = page.locator(`[data-testid="agreement"][data-agreement-id="${id}"]`)
    await card.getByRole('textbox', { name: 'Wat' }).waitFor({ timeout: 20_000 })
    await card.getByRole('button', { name: 'Voorlezen' }).click()
    const said = async () =>
      ((await page.evaluate('window.__spoken')) as Spoken)
        .filter((s) => s !== 'cancel')
        .map((s) => s.text)
        .join(' ')
    expect(await said()).toBe('Afspraak 1. Wat: Samen koken. Hoe: Ria neemt de pannen mee.')

    // The basisposter's sheet reads its texts and the questions for the plan.
    await page.evaluate('window.__spoken = []')
    await page.goto(server.url + atlas.editUrl)
    await page.waitForFunction(() => !!(window as { editor?: unknown }).editor)
    await page.evaluate("void window.editor.setCurrentPage('page:basisposter')")
    await page.getByRole('button', { name: 'Poster invullen' }).click()
    const sheet = page.getByTestId('poster-editor')
    await sheet.getByRole('button', { name: 'Voorlezen' }).click()
    const poster = await said()
    expect(poster.startsWith(`Mijn verhaal. ${content.poster.story}`)).toBe(true)
    expect(poster).toContain(`Wat lukt al wel? ${content.poster.goesWell}`)
    expect(poster).toContain(`Mijn vragen voor het plan. Vraag 1: ${content.questions[0]?.text}`)
  })
})
