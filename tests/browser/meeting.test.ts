/**
 * The meeting screen (Bijeenkomst) in real browsers: the client's device (edit link) on a
 * beamer moves the steps, and a view link and a professional's link on phones follow live;
 * what is filled in on one device shows on the others, and privétijd shuts the professional out.
 */
import { readFile } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { CreateAtlasResponse } from '../../shared/api/atlases'
import type { CreateLinkResponse } from '../../shared/api/links'
import { type AtlasContent, readAtlasContent } from '../../shared/domain/content'
import { buildSampleAtlas, SAMPLE_ATLAS_TITLE, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { setMeetingStep } from '../../shared/plan/actions'
import { readMeetings } from '../../shared/plan/basisteam'
import { MEETING_STEPS, type MeetingStep, readPlan } from '../../shared/plan/layout'
import { RecordsMap } from '../../shared/sync/records'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import {
  connectProvider,
  createAtlas,
  createLink,
  synced,
  syncedClient,
  waitFor,
} from '../helpers/clients'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
})

afterAll(() => closeAppAndBrowser(server, browser))

const BEAMER = { width: 1920, height: 1080 }
const PHONE = { width: 390, height: 844 }

/** The sample atlas on the server, a curator's professional link, and the plan as a peer in Node. */
interface Meeting {
  atlas: CreateAtlasResponse
  curator: CreateLinkResponse
  content: AtlasContent
  /** An edit client of the plan room, to read what the pages wrote (and to set up a step). */
  plan: WebsocketProvider
  /** An edit client of the atlas room. */
  atlasPeer: WebsocketProvider
  close(): void
}

async function sampleMeeting(): Promise<Meeting> {
  const atlas = await createAtlas(server.url, SAMPLE_ATLAS_TITLE)
  const records = buildSampleAtlas()
  const atlasPeer = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
  seedAtlasDoc(atlasPeer.doc, records)
  await waitFor(
    async () => {
      const reader = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
      const stored = new RecordsMap(reader.doc).size
      reader.destroy()
      return stored === records.length
    },
    'the server to hold the sample atlas',
    15_000,
  )
  const curator = await createLink(server.url, atlas.id, atlas.editToken, 'professional', 'Curator')
  const plan = connectProvider(server.wsUrl, `${atlas.id}/plan`, atlas.editToken, new Y.Doc())
  await synced(plan)
  return {
    atlas,
    curator,
    content: readAtlasContent(atlasPeer.doc),
    plan,
    atlasPeer,
    close: () => {
      plan.destroy()
      atlasPeer.destroy()
    },
  }
}

/** Opens the meeting screen of `fragment`'s link on a fresh device of the given size. */
async function openMeeting(
  m: Meeting,
  fragment: string,
  viewport: { width: number; height: number },
): Promise<Page> {
  const context = await browser.newContext({ viewport })
  const page = await context.newPage()
  await page.goto(`${server.url}/atlas/${m.atlas.id}/bijeenkomst${fragment}`)
  await page.locator('[data-step]').waitFor({ timeout: 15_000 })
  return page
}

const editFragment = (m: Meeting) => `#edit=${m.atlas.editToken}&view=${m.atlas.viewToken}`
const viewFragment = (m: Meeting) => `#view=${m.atlas.viewToken}`
const professionalFragment = (m: Meeting) => `#professional=${m.curator.token}`

/** Waits until the page shows `step` as its step. */
function showsStep(page: Page, step: MeetingStep): Promise<void> {
  return page.locator(`main[data-step="${step}"]`).waitFor({ timeout: 15_000 })
}

/** The answer's status of GET /api/atlases/:id, asked from the page with its own link's secret. */
function atlasStatus(page: Page, id: string, token: string): Promise<number> {
  return page.evaluate(
    async ([atlasId, secret]) =>
      (await fetch(`/api/atlases/${atlasId}`, { headers: { Authorization: `Bearer ${secret}` } }))
        .status,
    [id, token] as const,
  )
}

/** Every button, link and field of the meeting that is smaller than 44 × 44 px. */
function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('.meeting button, .meeting a, .meeting input, .meeting textarea')]
      .filter((el) => {
        const box = el.getBoundingClientRect()
        return box.width > 0 && (box.width < 44 || box.height < 44)
      })
      .map((el) => el.outerHTML.slice(0, 80)),
  )
}

describe('meeting mode', () => {
  it('the client moves the steps; a view link and a professional follow live', async () => {
    const m = await sampleMeeting()
    const edit = await openMeeting(m, editFragment(m), BEAMER)
    const view = await openMeeting(m, viewFragment(m), PHONE)
    const professional = await openMeeting(m, professionalFragment(m), PHONE)
    const all = [edit, view, professional]
    for (const page of all) await showsStep(page, 'welcome')
    // Only the client's device moves the steps.
    for (const page of [view, professional]) {
      expect(await page.getByRole('button', { name: 'Volgende' }).count()).toBe(0)
      await page.getByText('Je scherm volgt de bijeenkomst vanzelf.').waitFor()
    }
    for (const [i, step] of MEETING_STEPS.entries()) {
      if (i > 0) await edit.getByRole('button', { name: 'Volgende' }).click()
      for (const page of all) {
        await showsStep(page, step)
        await expect
          .poll(() => page.getByTestId('meeting-step-count').textContent())
          .toBe(`Stap ${i + 1} van ${MEETING_STEPS.length}`)
      }
      for (const page of [edit, view]) expect(await smallTargets(page)).toEqual([])
    }
    await edit.getByRole('button', { name: 'Terug', exact: true }).click()
    for (const page of all) await showsStep(page, 'presentation')
    expect(readPlan(m.plan.doc).meeting.step).toBe('presentation')
    m.close()
    for (const page of all) await page.context().close()
  })

  it('opens from the atlas bar and goes back to the maps, keeping the link in the address bar', async () => {
    const m = await sampleMeeting()
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await page.goto(`${server.url}/atlas/${m.atlas.id}${editFragment(m)}`)
    await page.getByLabel('Jouw naam').fill('Fatima')
    await page.getByRole('button', { name: 'Klaar' }).click()
    await page.getByRole('link', { name: 'Bijeenkomst' }).click()
    await showsStep(page, 'welcome')
    expect(page.url()).toBe(`${server.url}/atlas/${m.atlas.id}/bijeenkomst${editFragment(m)}`)
    await page.getByRole('link', { name: 'Naar de kaarten' }).click()
    await page.getByTestId('atlas-canvas').waitFor({ timeout: 15_000 })
    expect(page.url()).toBe(`${server.url}/atlas/${m.atlas.id}${editFragment(m)}`)
    // The address of the meeting opens the meeting, also after a reload.
    await page.goto(`${server.url}/atlas/${m.atlas.id}/bijeenkomst${viewFragment(m)}`)
    await showsStep(page, 'welcome')
    expect(page.url()).toBe(`${server.url}/atlas/${m.atlas.id}/bijeenkomst${viewFragment(m)}`)
    m.close()
    await context.close()
  })

  it('who is here and what they hope for, typed on one device, show on another; a new person stands in the atlas', async () => {
    const m = await sampleMeeting()
    setMeetingStep(m.plan.doc, 'introductions')
    const edit = await openMeeting(m, editFragment(m), BEAMER)
    const view = await openMeeting(m, viewFragment(m), PHONE)
    for (const page of [edit, view]) await showsStep(page, 'introductions')

    const present = edit.getByTestId('meeting-present')
    await present.getByRole('button', { name: 'Ahmed' }).click()
    await expect
      .poll(() => present.getByRole('button', { name: 'Ahmed' }).getAttribute('aria-pressed'))
      .toBe('true')
    const hope = 'Dat Sanne weet wie ze kan bellen.'
    await edit.getByLabel('Wat hoopt Ahmed?').fill(hope)
    await edit.getByLabel('Naam', { exact: true }).fill('Bram')
    await edit.getByRole('button', { name: 'Toevoegen' }).click()
    await edit.getByText('Bram staat nu ook in de atlas.').waitFor()

    const seen = view.getByTestId('meeting-present')
    await seen.getByText('Ahmed').waitFor({ timeout: 15_000 })
    await seen.getByText('Bram').waitFor({ timeout: 15_000 })
    await view.getByTestId('meeting-expectations').getByText(hope).waitFor({ timeout: 15_000 })
    // A view link only follows: no buttons to tap, no fields to type in.
    expect(await view.getByTestId('meeting-present').getByRole('button').count()).toBe(0)
    expect(await view.locator('textarea').count()).toBe(0)

    // Bram is a person of the atlas now, and the plan refers to him by his id.
    await waitFor(
      () => readAtlasContent(m.atlasPeer.doc).persons.some((p) => p.name === 'Bram'),
      'Bram in the atlas',
    )
    const bram = readAtlasContent(m.atlasPeer.doc).persons.find((p) => p.name === 'Bram')
    const ahmed = m.content.persons.find((p) => p.name === 'Ahmed')
    await waitFor(
      () => readPlan(m.plan.doc).meeting.expectations[ahmed?.id ?? ''] === hope,
      'the hope in the plan',
    )
    expect(readPlan(m.plan.doc).meeting.present).toEqual(
      expect.arrayContaining([ahmed?.id, bram?.id]),
    )
    m.close()
    for (const page of [edit, view]) await page.context().close()
  })

  it("the questions step shows the basisposter's questions", async () => {
    const m = await sampleMeeting()
    const edit = await openMeeting(m, editFragment(m), BEAMER)
    const view = await openMeeting(m, viewFragment(m), PHONE)
    await edit.getByRole('button', { name: 'Volgende' }).click()
    await edit.getByRole('button', { name: 'Volgende' }).click()
    expect(m.content.questions.length).toBeGreaterThan(0)
    for (const page of [edit, view]) {
      await showsStep(page, 'questions')
      const list = page.getByTestId('meeting-questions')
      await expect
        .poll(() => list.locator('li').allTextContents())
        .toEqual(m.content.questions.map((q) => q.text))
    }
    m.close()
    for (const page of [edit, view]) await page.context().close()
  })

  it("a professional's piketpaaltje appears live in the information round on the client's screen", async () => {
    const m = await sampleMeeting()
    setMeetingStep(m.plan.doc, 'information')
    const edit = await openMeeting(m, editFragment(m), BEAMER)
    const professional = await openMeeting(m, professionalFragment(m), PHONE)
    for (const page of [edit, professional]) await showsStep(page, 'information')
    await edit.getByText('Er zijn nog geen piketpaaltjes.').waitFor()
    // Only a professional gets the form.
    expect(await edit.getByLabel('Het piketpaaltje').count()).toBe(0)

    const text = 'Sanne houdt haar budgetcoach tot 2027.'
    await professional.getByLabel('Het piketpaaltje').fill(text)
    await professional.getByLabel('Welke regel of wet?').fill('curatele')
    await professional.getByRole('button', { name: 'Piketpaaltje zetten' }).click()
    await professional.getByTestId('piketpaaltje').filter({ hasText: text }).waitFor()

    const card = edit.getByTestId('piketpaaltje').filter({ hasText: text })
    await card.waitFor({ timeout: 15_000 })
    expect(await card.textContent()).toContain('Van Curator · curatele')
    expect(readPlan(m.plan.doc).server.piketpaaltjes.map((p) => p.text)).toEqual([text])
    m.close()
    for (const page of [edit, professional]) await page.context().close()
  })

  it('privétijd: one button shuts the professional out, the network writes, and the professional is back after it', async () => {
    const m = await sampleMeeting()
    setMeetingStep(m.plan.doc, 'private-time')
    const edit = await openMeeting(m, editFragment(m), BEAMER)
    const view = await openMeeting(m, viewFragment(m), PHONE)
    const professional = await openMeeting(m, professionalFragment(m), PHONE)
    for (const page of [edit, view, professional]) await showsStep(page, 'private-time')
    expect(await atlasStatus(professional, m.atlas.id, m.curator.token)).toBe(200)

    await edit.getByRole('button', { name: 'Privétijd starten' }).click()
    for (const page of [edit, view])
      await page.locator('[data-private-time="on"]').waitFor({ timeout: 15_000 })
    await edit
      .getByText('Privétijd is aan. De procesbegeleider en de professionals zien nu niets.')
      .waitFor()

    // The professional's page has nothing of the meeting left, and the server refuses it.
    await expect
      .poll(() => professional.locator('[data-step]').count(), { timeout: 15_000 })
      .toBe(0)
    expect(await atlasStatus(professional, m.atlas.id, m.curator.token)).toBe(423)
    // What it shows instead says that it is privétijd.
    await professional.getByRole('heading', { name: /^Privétijd/ }).waitFor()

    // The network writes an agreement; the view link sees it, the professional gets nothing.
    const draft = 'Ria belt Sanne elke zondag na het eten.'
    const firstQuestion = m.content.questions[0]?.text ?? ''
    await edit.getByRole('button', { name: 'Afspraak toevoegen' }).first().click()
    await edit.getByLabel(`Afspraak bij: ${firstQuestion}`).fill(draft)
    await view.getByTestId('meeting-agreements').getByText(draft).waitFor({ timeout: 15_000 })
    expect(await professional.content()).not.toContain(draft)

    await edit.getByRole('button', { name: 'Privétijd stoppen' }).click()
    for (const page of [edit, view])
      await page.locator('[data-private-time="off"]').waitFor({ timeout: 15_000 })
    // The professional's page comes back by itself.
    await showsStep(professional, 'private-time')
    expect(await atlasStatus(professional, m.atlas.id, m.curator.token)).toBe(200)
    expect(readPlan(m.plan.doc).server.privateTime.on).toBe(false)
    m.close()
    for (const page of [edit, view, professional]) await page.context().close()
  })

  it('the basisteam step stores its members and the date and time of its first meeting', async () => {
    const m = await sampleMeeting()
    setMeetingStep(m.plan.doc, 'basisteam')
    const edit = await openMeeting(m, editFragment(m), BEAMER)
    const view = await openMeeting(m, viewFragment(m), PHONE)
    for (const page of [edit, view]) await showsStep(page, 'basisteam')
    const members = edit.getByTestId('meeting-members')
    await members.getByRole('button', { name: 'Ahmed' }).click()
    await members.getByRole('button', { name: 'Fatima' }).click()
    await edit.getByLabel('Datum', { exact: true }).fill('2026-09-14')
    await edit.getByLabel('Tijd', { exact: true }).fill('19:30')
    await edit.getByRole('button', { name: 'Datum vastleggen' }).click()

    const idOf = (name: string) => m.content.persons.find((p) => p.name === name)?.id
    await waitFor(() => {
      const meetings = readMeetings(m.plan.doc)
      return (
        readPlan(m.plan.doc).basisteam.members.length === 2 &&
        meetings[0]?.startsAt === '2026-09-14T17:30:00.000Z'
      )
    }, 'the basisteam in the plan')
    expect(readPlan(m.plan.doc).basisteam.members.sort()).toEqual(
      [idOf('Ahmed'), idOf('Fatima')].sort(),
    )

    const seen = view.getByTestId('meeting-members')
    await seen.getByText('Ahmed').waitFor({ timeout: 15_000 })
    await seen.getByText('Fatima').waitFor()
    await view
      .getByTestId('meeting-when')
      .getByText('maandag 14 september 2026 om 19:30 uur')
      .waitFor({ timeout: 15_000 })
    m.close()
    for (const page of [edit, view]) await page.context().close()
  })

  it('the whole meeting: questions, a piketpaaltje, privétijd with the professionals out, the plan presented and approved, the plan printed', async () => {
    const m = await sampleMeeting()
    const facilitator = await createLink(
      server.url,
      m.atlas.id,
      m.atlas.editToken,
      'procesbegeleider',
      'Jan (MEE)',
    )
    setMeetingStep(m.plan.doc, 'questions')
    const edit = await openMeeting(m, editFragment(m), BEAMER)
    const professional = await openMeeting(m, professionalFragment(m), PHONE)
    const jan = await openMeeting(m, `#procesbegeleider=${facilitator.token}`, PHONE)
    const everyone = [edit, professional, jan]
    for (const page of everyone) await showsStep(page, 'questions')
    const firstQuestion = m.content.questions[0]?.text ?? ''
    await edit.getByTestId('meeting-questions').getByText(firstQuestion).waitFor()

    // The information round: the curator states a piketpaaltje; it shows on every screen.
    await edit.getByRole('button', { name: 'Volgende' }).click()
    for (const page of everyone) await showsStep(page, 'information')
    const piketpaaltje = 'Sanne houdt haar budgetcoach tot 2027.'
    await professional.getByLabel('Het piketpaaltje').fill(piketpaaltje)
    await professional.getByRole('button', { name: 'Piketpaaltje zetten' }).click()
    for (const page of everyone) {
      await page.getByTestId('piketpaaltje').filter({ hasText: piketpaaltje }).waitFor()
    }

    // Privétijd: one button; the facilitator's and the curator's screens wait, the network writes.
    await edit.getByRole('button', { name: 'Volgende' }).click()
    await showsStep(edit, 'private-time')
    await edit.getByRole('button', { name: 'Privétijd starten' }).click()
    for (const page of [professional, jan]) {
      await page.getByTestId('private-time-waiting').waitFor({ timeout: 15_000 })
      await page.getByRole('heading', { name: 'Privétijd: de familie overlegt' }).waitFor()
      expect(await page.locator('[data-step]').count()).toBe(0)
    }
    const agreement = 'Ria helpt Sanne elke maand met de post.'
    await edit.getByRole('button', { name: 'Afspraak toevoegen' }).first().click()
    await edit.getByLabel(`Afspraak bij: ${firstQuestion}`).fill(agreement)
    await waitFor(
      () => readPlan(m.plan.doc).agreements.some((a) => a.what === agreement),
      'the agreement to reach the server',
    )
    for (const page of [professional, jan]) {
      expect(await page.content()).not.toContain(agreement)
    }
    await edit.getByRole('button', { name: 'Privétijd stoppen' }).click()
    for (const page of [professional, jan]) await showsStep(page, 'private-time')

    // The presentation: the plan large for the room; the curator approves it on his own phone.
    await edit.getByRole('button', { name: 'Volgende' }).click()
    for (const page of everyone) {
      await showsStep(page, 'presentation')
      await page.getByTestId('meeting-plan').getByText(agreement).waitFor()
    }
    expect(await jan.getByRole('button', { name: 'Goedkeuren' }).count()).toBe(0)
    await professional.getByRole('button', { name: 'Goedkeuren' }).click()
    await edit.getByText(/Goedgekeurd door Curator/).waitFor({ timeout: 15_000 })
    expect(readPlan(m.plan.doc).server.approvals.map((a) => a.decision)).toEqual(['approved'])

    // The printed plan: a text PDF with the client, the piketpaaltje, the agreement, the approval.
    await edit.goto(`${server.url}/atlas/${m.atlas.id}/plan${editFragment(m)}`)
    const [download] = await Promise.all([
      edit.waitForEvent('download', { timeout: 20_000 }),
      edit.getByRole('button', { name: 'Plan printen' }).click(),
    ])
    const bytes = new Uint8Array(await readFile(await download.path()))
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs')
    const pdf = await pdfjs.getDocument({ data: bytes }).promise
    let text = ''
    for (let n = 1; n <= pdf.numPages; n++) {
      const content = await (await pdf.getPage(n)).getTextContent()
      text += `${content.items.map((item) => ('str' in item ? item.str : '')).join(' ')}\n`
    }
    await pdf.destroy()
    for (const expected of ['Sanne', piketpaaltje, agreement, 'Curator']) {
      expect(text.replace(/\s+/g, ' '), expected).toContain(expected)
    }
    m.close()
    for (const page of everyone) await page.context().close()
  })
})
