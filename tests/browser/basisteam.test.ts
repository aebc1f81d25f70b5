/**
 * The basisteam in real browsers: formed at the end of the meedenkbijeenkomst (members, the first
 * meeting with its calendar file, version 1), held on its date (who is here, statuses, the plan
 * adjusted, finished as version 2 with the next date), looked back on (versions 1 and 2 compared,
 * version 1 printed), and its next date on the home page, the atlas bar and a member's phone.
 */
import { mkdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ICAL from 'ical.js'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { addAgreement, addWho, setMeetingStep } from '../../shared/plan/actions'
import {
  addMeeting,
  readMeetingPresent,
  readMeetings,
  readMembers,
  readNote,
  readStatusLog,
  setMember,
} from '../../shared/plan/basisteam'
import { readAgreements } from '../../shared/plan/layout'
import { type SampleOnServer, setUpBrowserApp } from '../helpers/app'
import { waitFor } from '../helpers/clients'

const app = setUpBrowserApp()

const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }
/** Screenshots to look at, not assertions. */
const SHOTS = join(tmpdir(), 'basisteam-shots')

interface Sample extends SampleOnServer {
  agreements: { buurthuis: string; post: string }
}

/** The sample atlas with two agreements in its plan: Ria's and Ahmed's. */
async function sampleAtlas(): Promise<Sample> {
  const sample = await app.sampleAtlas()
  const { plan, person } = sample
  const [first, second] = sample.questions
  const buurthuis = addAgreement(plan.doc, first as string, {
    what: 'Elke woensdag samen naar het buurthuis',
  })
  addWho(plan.doc, buurthuis, person('Ria'))
  const post = addAgreement(plan.doc, second as string, { what: 'De post samen openmaken' })
  addWho(plan.doc, post, person('Ahmed'))
  return { ...sample, agreements: { buurthuis, post } }
}

async function device(viewport = DESKTOP, options: { name?: string } = {}): Promise<Page> {
  return (await app.device({ viewport, name: options.name })).newPage()
}

const editFragment = (s: Sample) => `#edit=${s.atlas.editToken}&view=${s.atlas.viewToken}`
const viewFragment = (s: Sample) => `#view=${s.atlas.viewToken}`

/** Downloads are read where the browser put them: they go with their context after each test. */
async function download(
  page: Page,
  click: () => Promise<void>,
): Promise<{ path: string; name: string }> {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), click()])
  return { path: await file.path(), name: file.suggestedFilename() }
}

async function pdfText(path: string): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs')
  const pdf = await pdfjs.getDocument({ data: new Uint8Array(await readFile(path)) }).promise
  let text = ''
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent()
    text += `${content.items.map((item) => ('str' in item ? item.str : '')).join('\n')}\n`
  }
  await pdf.destroy()
  return text
}

/** Every button, link and field of the page's main part smaller than 44 × 44 px. */
function smallTargets(page: Page, scope: string): Promise<string[]> {
  return page.evaluate(
    (selector) =>
      [...document.querySelectorAll(`${selector} :is(button, a, input, textarea, select)`)]
        .filter((el) => {
          const box = el.getBoundingClientRect()
          return box.width > 0 && (box.width < 44 || box.height < 44)
        })
        .map((el) => el.outerHTML.slice(0, 100)),
    scope,
  )
}

describe('the basisteam', () => {
  it('the whole cycle: formed at the meeting, held on its date, versions compared and printed', async () => {
    await mkdir(SHOTS, { recursive: true })
    const s = await sampleAtlas()
    setMeetingStep(s.plan.doc, 'basisteam')

    // --- the end of the meedenkbijeenkomst: the team, the first date, version 1 ---
    const meeting = await device()
    await meeting.goto(`${app.server.url}/atlas/${s.atlas.id}/bijeenkomst${editFragment(s)}`)
    await meeting.locator('main[data-step="basisteam"]').waitFor({ timeout: 20_000 })
    const team = meeting.getByTestId('meeting-members')
    for (const name of ['Sanne', 'Ria', 'Ahmed', 'Marleen']) {
      await team.getByRole('button', { name, exact: true }).click()
    }
    const member = (name: string) =>
      meeting.getByTestId('basisteam-member').filter({ hasText: name })
    await member('Ria').getByRole('button', { name: 'Bellen' }).click()
    await meeting.getByLabel('Wat moet je weten? (Ria)').fill('belt liever na zessen')
    await member('Ahmed').getByRole('button', { name: 'Appen' }).click()
    await meeting.getByLabel('Wat doet Marleen in het basisteam?').fill('jobcoach')
    await member('Marleen').getByLabel('Is een professional, zoals een jobcoach').check()
    await meeting.getByLabel('Datum', { exact: true }).fill('2027-03-12')
    await meeting.getByLabel('Tijd', { exact: true }).fill('19:30')
    await meeting.getByLabel('Waar?').fill('Bij Sanne thuis')
    await meeting.getByRole('button', { name: 'Datum vastleggen' }).click()
    await meeting
      .getByTestId('meeting-when')
      .getByText('vrijdag 12 maart 2027 om 19:30 uur')
      .waitFor({ timeout: 10_000 })
    expect(await smallTargets(meeting, '.meeting')).toEqual([])
    await meeting.screenshot({ path: join(SHOTS, 'meeting-step-1280.png'), fullPage: true })

    const icsFile = await download(meeting, () =>
      meeting.getByRole('button', { name: 'In mijn agenda zetten' }).click(),
    )
    const ics = await readFile(icsFile.path, 'utf8')
    expect(ics).toContain('\r\n')
    expect(ics.replace(/\r\n/g, '').includes('\n')).toBe(false)
    const event = new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')
    expect(event?.getFirstPropertyValue('summary')).toBe('Basisteam van Sanne')
    const start = event?.getFirstPropertyValue('dtstart') as ICAL.Time
    expect(start.toJSDate().toISOString()).toBe('2027-03-12T18:30:00.000Z')
    expect(ics).toMatch(/DTSTART:20270312T183000Z/)
    expect(ics).not.toMatch(/Ria|Ahmed|Marleen|Bij Sanne thuis|https?:/)

    await meeting.getByRole('button', { name: 'Bijeenkomst afronden' }).click()
    await meeting.getByText('Het plan is bewaard als versie 1.').waitFor({ timeout: 10_000 })

    await waitFor(
      () => readMembers(s.plan.doc).length === 4 && readMeetings(s.plan.doc).length === 1,
      'the team and its first meeting in the plan',
    )
    await waitFor(
      () => readMembers(s.plan.doc).some((m) => m.contactNote === 'belt liever na zessen'),
      'the contact note in the plan',
    )
    const members = new Map(readMembers(s.plan.doc).map((m) => [m.personId, m]))
    expect(members.get(s.person('Ria'))).toMatchObject({ contact: 'call' })
    expect(members.get(s.person('Ahmed'))).toMatchObject({ contact: 'app' })
    expect(members.get(s.person('Marleen'))).toMatchObject({
      professional: true,
      teamRole: 'jobcoach',
    })
    const [first] = readMeetings(s.plan.doc)
    expect(first).toMatchObject({ startsAt: '2027-03-12T18:30:00.000Z', place: 'Bij Sanne thuis' })
    expect(ics).toContain(`UID:${first?.id}@netwerkatlas`)

    // --- the team opens "Basisteam" and is guided through the meeting. (Playwright's fake clock
    // replaces Date, which the time-zone code subclasses, so the page keeps today's date: the
    // meeting of 12 March is the next one either way.) ---
    const page = await device()
    await page.goto(`${app.server.url}/atlas/${s.atlas.id}/basisteam${editFragment(s)}`)
    await page.getByTestId('basisteam-screen').waitFor({ timeout: 20_000 })
    await page
      .getByTestId('next-meeting')
      .getByText('vrijdag 12 maart 2027 om 19:30 uur')
      .waitFor({ timeout: 15_000 })
    await page.getByTestId('version').first().waitFor({ timeout: 10_000 })
    expect(await smallTargets(page, '.plan-main')).toEqual([])
    await page.screenshot({ path: join(SHOTS, 'basisteam-1280.png'), fullPage: true })
    // Reachable by keyboard: Tab to "Start de bijeenkomst", Enter starts it.
    let focused = ''
    for (let i = 0; i < 40 && focused !== 'Start de bijeenkomst'; i++) {
      await page.keyboard.press('Tab')
      focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '')
    }
    expect(focused).toBe('Start de bijeenkomst')
    await page.keyboard.press('Enter')

    const present = page.getByTestId('review-present')
    await present.getByRole('button', { name: 'Ria' }).click()
    await present.getByRole('button', { name: 'Ahmed' }).click()
    await page.getByRole('button', { name: 'Volgende' }).click()

    const reviewed = (id: string) =>
      page.locator(`[data-testid="reviewed-agreement"][data-agreement-id="${id}"]`)
    await reviewed(s.agreements.buurthuis).getByLabel('Wat gaat goed?').fill('Sanne gaat graag')
    await reviewed(s.agreements.buurthuis).getByRole('button', { name: 'Op koers' }).click()
    await reviewed(s.agreements.post)
      .getByLabel('Wat heeft aandacht nodig?')
      .fill('Ahmed is vaak weg')
    await reviewed(s.agreements.post).getByRole('button', { name: 'Aandacht nodig' }).click()
    // Each change enters the agreement's history, and a status set here keeps it in view.
    await reviewed(s.agreements.buurthuis).getByText('Zo ging het eerder (1)').waitFor()
    await page.screenshot({ path: join(SHOTS, 'review-agreements-1280.png'), fullPage: true })
    await page.getByRole('button', { name: 'Volgende' }).click()

    // Adjusting the plan: one agreement changes.
    const what = page.locator(
      `[data-testid="agreement"][data-agreement-id="${s.agreements.buurthuis}"] textarea[data-field="what"]`,
    )
    await what.fill('Elke donderdag samen naar het buurthuis')
    await page.getByRole('button', { name: 'Volgende' }).click()

    await waitFor(
      () =>
        readAgreements(s.plan.doc).find((a) => a.id === s.agreements.buurthuis)?.what ===
        'Elke donderdag samen naar het buurthuis',
      'the adjusted agreement in the plan',
    )
    await page.getByRole('button', { name: 'Afronden en bewaren' }).click()
    await page.getByText(/Het plan is bewaard als versie 2\./).waitFor({ timeout: 10_000 })
    await page.getByLabel('Datum', { exact: true }).fill('2027-06-18')
    await page.getByLabel('Tijd', { exact: true }).fill('19:30')
    await page.getByRole('button', { name: 'Datum vastleggen' }).click()
    await page
      .getByTestId('meeting-when')
      .getByText('vrijdag 18 juni 2027 om 19:30 uur')
      .waitFor({ timeout: 10_000 })

    await waitFor(() => readMeetings(s.plan.doc).length === 2, 'the next meeting in the plan')
    const [held, next] = readMeetings(s.plan.doc)
    expect(held?.id).toBe(first?.id)
    expect(held?.finishedAt).not.toBeNull()
    expect(next).toMatchObject({ startsAt: '2027-06-18T17:30:00.000Z', finishedAt: null })
    expect(readMeetingPresent(s.plan.doc, held?.id ?? '').sort()).toEqual(
      [s.person('Ria'), s.person('Ahmed')].sort(),
    )
    expect(readNote(s.plan.doc, held?.id ?? '', s.agreements.post, 'attention')).toBe(
      'Ahmed is vaak weg',
    )
    expect(readStatusLog(s.plan.doc).map((c) => [c.agreementId, c.status, c.meetingId])).toEqual(
      expect.arrayContaining([
        [s.agreements.buurthuis, 'on-track', held?.id],
        [s.agreements.post, 'attention', held?.id],
      ]),
    )

    // --- looking back: versions 1 and 2 compared, version 1 printed ---
    await page.getByRole('button', { name: 'Terug naar het basisteam' }).click()
    await expect.poll(() => page.getByTestId('version').count(), { timeout: 10_000 }).toBe(2)
    await page.getByTestId('next-meeting').getByText('vrijdag 18 juni 2027').waitFor()
    const diff = page.getByTestId('diff')
    await diff.waitFor()
    const changed = diff.locator('[data-diff="changed"]')
    await changed.getByText('Eerst: Elke woensdag samen naar het buurthuis').waitFor()
    await changed.getByText('Nu: Elke donderdag samen naar het buurthuis').waitFor()
    const statuses = diff.locator('[data-diff="status"]')
    expect(await statuses.textContent()).toContain('Op koers')
    expect(await statuses.textContent()).toContain('Aandacht nodig')
    expect(await diff.locator('[data-diff="added"]').count()).toBe(0)
    await page.screenshot({ path: join(SHOTS, 'versions-1280.png'), fullPage: true })

    const pdfFile = await download(page, () =>
      page.getByRole('button', { name: 'Printen 1' }).click(),
    )
    expect(pdfFile.name).toBe('Plan van Sanne versie 1.pdf')
    const text = await pdfText(pdfFile.path)
    expect(text).toContain('Plan van Sanne')
    expect(text).toContain('Versie 1, bewaard op')
    expect(text).toContain('Elke woensdag samen naar het buurthuis')
    expect(text).not.toContain('Elke donderdag')
    expect(text).toContain('Ria')

    // Putting version 1 back is a new change on top: the plan says it again, both versions stay.
    await page.getByRole('button', { name: 'Bekijken 1' }).click()
    const shown = page.getByTestId('version-view')
    await shown.getByText('Elke woensdag samen naar het buurthuis').waitFor()
    await shown.getByRole('button', { name: 'Deze versie terugzetten' }).click()
    await shown.getByRole('button', { name: 'Ja, terugzetten' }).click()
    await page.getByText('Versie 1 staat weer in het plan.').waitFor()
    await waitFor(
      () =>
        readAgreements(s.plan.doc).find((a) => a.id === s.agreements.buurthuis)?.what ===
        'Elke woensdag samen naar het buurthuis',
      'version 1 back in the plan',
    )
    expect(await page.getByTestId('version').count()).toBe(2)

    // Moving the next meeting keeps its calendar event: same UID, SEQUENCE one higher.
    const nextMeeting = page.getByTestId('next-meeting')
    const before = await readFile(
      (
        await download(page, () =>
          nextMeeting.getByRole('button', { name: 'In mijn agenda zetten' }).click(),
        )
      ).path,
      'utf8',
    )
    await nextMeeting.getByRole('button', { name: 'Datum veranderen' }).click()
    const form = nextMeeting.getByTestId('meeting-form')
    await form.getByLabel('Datum', { exact: true }).fill('2027-06-25')
    await form.getByRole('button', { name: 'Datum veranderen' }).click()
    await nextMeeting.getByText('vrijdag 25 juni 2027 om 19:30 uur').waitFor({ timeout: 10_000 })
    const after = await readFile(
      (
        await download(page, () =>
          nextMeeting.getByRole('button', { name: 'In mijn agenda zetten' }).click(),
        )
      ).path,
      'utf8',
    )
    const uid = (text: string) => /UID:(.*)\r\n/.exec(text)?.[1]
    expect(uid(after)).toBe(uid(before))
    expect(uid(after)).toBe(`${next?.id}@netwerkatlas`)
    expect(before).toContain('SEQUENCE:0')
    expect(after).toContain('SEQUENCE:1')
    expect(after).toContain('DTSTART:20270625T173000Z')

    // A view link on a phone sees the team and the versions, and can change nothing.
    const phone = await device(PHONE)
    await phone.goto(`${app.server.url}/atlas/${s.atlas.id}/basisteam${viewFragment(s)}`)
    await phone.getByTestId('basisteam-screen').waitFor({ timeout: 20_000 })
    await phone.getByTestId('next-meeting').getByText('vrijdag 25 juni 2027').waitFor({
      timeout: 15_000,
    })
    await expect.poll(() => phone.getByTestId('version').count(), { timeout: 10_000 }).toBe(2)
    expect(await phone.getByRole('button', { name: 'Start de bijeenkomst' }).count()).toBe(0)
    expect(await phone.getByRole('button', { name: /terugzetten/ }).count()).toBe(0)
    expect(await smallTargets(phone, '.plan-main')).toEqual([])
    await phone.screenshot({ path: join(SHOTS, 'basisteam-390.png'), fullPage: true })
  })

  it('the home page and the atlas bar show the next date; a team without one gets a gentle warning', async () => {
    const s = await sampleAtlas()
    setMember(s.plan.doc, {
      personId: s.person('Ria'),
      teamRole: '',
      contact: 'call',
      contactNote: '',
      professional: false,
    })
    addMeeting(s.plan.doc, { startsAt: '2027-03-12T18:30:00.000Z' })
    const lone = await sampleAtlas()
    setMember(lone.plan.doc, {
      personId: lone.person('Ahmed'),
      teamRole: '',
      contact: null,
      contactNote: '',
      professional: false,
    })

    const page = await device(DESKTOP, { name: 'Ria' })
    await page.goto(`${app.server.url}/atlas/${s.atlas.id}${editFragment(s)}`)
    await page
      .getByTestId('basisteam-button')
      .getByText('Volgende basisteam: 12 maart 2027')
      .waitFor({ timeout: 20_000 })
    await page.screenshot({ path: join(SHOTS, 'atlas-bar-1280.png') })
    await page.goto(`${app.server.url}/atlas/${lone.atlas.id}${editFragment(lone)}`)
    await page
      .locator('[data-testid="basisteam-button"][data-warning="true"]')
      .waitFor({ timeout: 20_000 })

    await page.goto(`${app.server.url}/`)
    const list = page.locator('.atlas-list li')
    await expect.poll(() => list.count()).toBe(2)
    const withDate = list.filter({ has: page.locator(`a[href="/atlas/${s.atlas.id}"]`) })
    expect(await withDate.getByTestId('recent-basisteam').textContent()).toContain(
      'Volgende basisteam: 12 maart 2027',
    )
    const without = list.filter({ has: page.locator(`a[href="/atlas/${lone.atlas.id}"]`) })
    expect(await without.getByTestId('recent-basisteam').textContent()).toContain(
      'Er is nog geen datum voor het volgende basisteam.',
    )
    await page.screenshot({ path: join(SHOTS, 'home-1280.png'), fullPage: true })
  })

  it('a member who opens his link on his phone and says who he is sees his own agreements', async () => {
    const s = await sampleAtlas()
    const phone = await device(PHONE, { name: 'Ahmed' })
    await phone.goto(`${app.server.url}/atlas/${s.atlas.id}/plan${viewFragment(s)}`)
    await phone.getByTestId('plan-screen').waitFor({ timeout: 20_000 })
    await phone.getByTestId('mine-from-name').waitFor({ timeout: 15_000 })
    await expect.poll(() => phone.getByTestId('agreement').count(), { timeout: 15_000 }).toBe(1)
    expect(await phone.getByTestId('agreement').textContent()).toContain('De post samen openmaken')
    await phone.screenshot({ path: join(SHOTS, 'mine-390.png'), fullPage: true })
    // "Iedereen" shows every agreement again, and stays chosen.
    await phone.getByLabel('Mijn afspraken').selectOption({ label: 'Iedereen' })
    await expect.poll(() => phone.getByTestId('agreement').count()).toBe(2)
  })
})
