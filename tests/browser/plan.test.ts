/**
 * The plan screen in real browsers, several people at once: agreements under the basisposter's
 * questions, written together; persons from the atlas and new ones; "my agreements"; hints; a
 * view link that only reads; a professional's piketpaaltje and approval; privétijd; the PDF.
 */
import { readFile } from 'node:fs/promises'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { readAtlasContent } from '../../shared/domain/content'
import {
  addAgreement,
  addWho,
  setAgreementText,
  setAgreementValue,
} from '../../shared/plan/actions'
import { readAgreements, readServerPart } from '../../shared/plan/layout'
import { setUpBrowserApp } from '../helpers/app'
import { callApi, createLink, waitFor } from '../helpers/clients'

const app = setUpBrowserApp()
const { client, sampleAtlas } = app

/** A fresh device (its own storage) at 1280×800. */
const device = () => app.device()

/** The plan page of a link (`/atlas/<id>#<role>=…` becomes `/atlas/<id>/plan#…`). */
function planUrl(link: string): string {
  return app.server.url + link.replace(/^(\/atlas\/[^#/]+)/, '$1/plan')
}

/** Opens the plan of `link` on a fresh device and waits until both documents are connected. */
async function openPlan(link: string): Promise<Page> {
  const page = await (await device()).newPage()
  await page.goto(planUrl(link))
  await page.getByTestId('plan-screen').waitFor({ timeout: 20_000 })
  await page.locator('.connection[data-state="online"]').waitFor({ timeout: 20_000 })
  return page
}

/** The agreement card whose "what" the plan document holds as `what` when the page opened. */
function card(page: Page, agreementId: string): Locator {
  return page.locator(`[data-testid="agreement"][data-agreement-id="${agreementId}"]`)
}

function whatField(page: Page, agreementId: string): Locator {
  return card(page, agreementId).locator('textarea[data-field="what"]')
}

async function textAndCaret(field: Locator): Promise<{ text: string; caret: number }> {
  return field.evaluate((area: HTMLTextAreaElement) => ({
    text: area.value,
    caret: area.selectionStart,
  }))
}

describe('the plan screen', () => {
  it('opens from the atlas bar with the link kept in the address, and goes back to the maps', async () => {
    const { atlas } = await sampleAtlas()
    const page = await (await device()).newPage()
    await page.goto(app.server.url + atlas.editUrl)
    await page.getByLabel('Jouw naam').fill('Sanne')
    await page.getByRole('button', { name: 'Klaar' }).click()
    await page.getByTestId('plan-button').click()
    await page.getByTestId('plan-screen').waitFor({ timeout: 20_000 })
    expect(page.url()).toBe(planUrl(atlas.editUrl))
    await expect
      .poll(() => page.getByTestId('plan-question').locator('textarea').first().inputValue())
      .toBe('Hoe leer ik meer mensen kennen in mijn buurt?')
    await page.getByRole('link', { name: 'Kaarten' }).click()
    await page.getByTestId('atlas-canvas').waitFor({ timeout: 20_000 })
    expect(page.url()).toBe(app.server.url + atlas.editUrl)
  })

  it("keeps both people's words when two type in one agreement's what at the same time", async () => {
    const { atlas, plan, questions } = await sampleAtlas()
    const id = addAgreement(plan.doc, questions[0] as string, { what: 'boodschappen doen' })
    const a = await openPlan(atlas.editUrl)
    const b = await openPlan(atlas.editUrl)
    const fieldA = whatField(a, id)
    const fieldB = whatField(b, id)
    await expect.poll(() => fieldB.inputValue()).toBe('boodschappen doen')
    await expect.poll(() => fieldA.inputValue()).toBe('boodschappen doen')

    await fieldA.focus()
    await fieldA.evaluate((area: HTMLTextAreaElement) => area.setSelectionRange(0, 0))
    await fieldB.focus()
    await fieldB.evaluate((area: HTMLTextAreaElement) => area.setSelectionRange(17, 17))
    const start = 'Samen met Ria '
    const end = ' bij de Jumbo op zaterdag'
    await Promise.all([a.keyboard.type(start, { delay: 35 }), b.keyboard.type(end, { delay: 35 })])
    const expected = `${start}boodschappen doen${end}`
    await expect.poll(() => fieldA.inputValue(), { timeout: 10_000 }).toBe(expected)
    await expect.poll(() => fieldB.inputValue(), { timeout: 10_000 }).toBe(expected)
    expect((await textAndCaret(fieldA)).caret).toBe(start.length)
    expect((await textAndCaret(fieldB)).caret).toBe(expected.length)
    await waitFor(() => readAgreements(plan.doc)[0]?.what === expected, 'the server to hold both')
  })

  it('edits the question in the atlas when its heading is edited on the plan', async () => {
    const { atlas, questions } = await sampleAtlas()
    const page = await openPlan(atlas.editUrl)
    const heading = page.getByRole('textbox', { name: 'Vraag 3' })
    await heading.click()
    await heading.press('End')
    await page.keyboard.type(' En mijn sport?')
    const reader = await client(atlas.id, atlas.viewToken)
    await waitFor(
      () =>
        readAtlasContent(reader.doc).questions.find((q) => q.id === questions[2])?.text ===
        'Hoe houd ik mijn werk vol als het druk is? En mijn sport?',
      'the atlas to hold the changed question',
    )
  })

  it('adds a new person from the plan, who then stands in the atlas for everyone', async () => {
    const { atlas, plan, questions } = await sampleAtlas()
    const id = addAgreement(plan.doc, questions[0] as string, { what: 'Koffie drinken' })
    const page = await openPlan(atlas.editUrl)
    await card(page, id).getByRole('button', { name: 'Iemand kiezen' }).click()
    const picker = card(page, id).getByTestId('person-picker')
    // Persons of the atlas are there to tap, with their pictures.
    await picker.getByRole('button', { name: /Ria/ }).click()
    await picker.getByRole('textbox', { name: 'Naam van de nieuwe persoon' }).fill('Buurvrouw Els')
    await picker.getByRole('button', { name: 'Toevoegen' }).click()
    const who = card(page, id).locator('.who-list [data-testid="person-badge"]')
    await expect.poll(() => who.allTextContents()).toEqual(['Ria', 'Buurvrouw Els'])

    // Another device sees her in the atlas's Mensen list.
    const maps = await (await device()).newPage()
    await maps.goto(app.server.url + atlas.viewUrl)
    await maps.getByLabel('Jouw naam').fill('Opa')
    await maps.getByRole('button', { name: 'Klaar' }).click()
    await maps.getByTestId('atlas-canvas').waitFor({ timeout: 20_000 })
    await expect
      .poll(
        () => maps.locator('.people-list .person-row-label', { hasText: 'Buurvrouw Els' }).count(),
        { timeout: 10_000 },
      )
      .toBe(1)
    // The plan names her by her person id.
    const els = readAtlasContent((await client(atlas.id, atlas.viewToken)).doc).persons.find(
      (p) => p.name === 'Buurvrouw Els',
    )
    expect(els).toBeDefined()
    await waitFor(
      () => readAgreements(plan.doc)[0]?.who.includes(els?.id ?? '-') === true,
      'the agreement to name her',
    )
  })

  it('shows only the agreements of the chosen person under "Mijn afspraken"', async () => {
    const { atlas, plan, questions, person } = await sampleAtlas()
    const ria = addAgreement(plan.doc, questions[0] as string, { what: 'Ria doet het' })
    addWho(plan.doc, ria, person('Ria'))
    const backup = addAgreement(plan.doc, questions[1] as string, { what: 'Kees, Ria helpt' })
    addWho(plan.doc, backup, person('Kees'))
    setAgreementValue(plan.doc, backup, 'backupPersonId', person('Ria'))
    const kees = addAgreement(plan.doc, questions[1] as string, { what: 'Alleen Kees' })
    addWho(plan.doc, kees, person('Kees'))
    const page = await openPlan(atlas.viewUrl)
    const shown = () =>
      page.getByTestId('agreement').locator('[data-field="what"]').allTextContents()
    await expect.poll(shown).toEqual(['Ria doet het', 'Kees, Ria helpt', 'Alleen Kees'])
    const filter = page.getByRole('combobox', { name: 'Mijn afspraken' })
    await filter.selectOption({ label: 'Ria' })
    await expect.poll(shown).toEqual(['Ria doet het', 'Kees, Ria helpt'])
    await filter.selectOption({ label: 'Kees' })
    await expect.poll(shown).toEqual(['Kees, Ria helpt', 'Alleen Kees'])
    await filter.selectOption({ label: 'Tim' })
    await expect.poll(shown).toEqual([])
    await page.getByText('Tim heeft nog geen afspraken.').waitFor()
    await filter.selectOption({ label: 'Iedereen' })
    await expect.poll(shown).toEqual(['Ria doet het', 'Kees, Ria helpt', 'Alleen Kees'])
  })

  it('gives a calm hint where an agreement says nobody who, or nothing about when', async () => {
    const { atlas, plan, questions, person } = await sampleAtlas()
    const bare = addAgreement(plan.doc, questions[0] as string, { what: 'Nog niet af' })
    const done = addAgreement(plan.doc, questions[0] as string, { what: 'Helemaal af' })
    addWho(plan.doc, done, person('Ria'))
    setAgreementValue(plan.doc, done, 'frequency', 'weekly')
    const page = await openPlan(atlas.editUrl)
    await card(page, bare).getByTestId('hint-who').waitFor()
    await card(page, bare).getByTestId('hint-when').waitFor()
    expect(await card(page, done).getByTestId('hint-who').count()).toBe(0)
    expect(await card(page, done).getByTestId('hint-when').count()).toBe(0)
    // Calm: not in the colour of an error.
    const colour = await card(page, bare)
      .getByTestId('hint-who')
      .evaluate((el) => getComputedStyle(el).color)
    expect(colour).not.toBe('rgb(163, 32, 32)')

    // Filling them in makes the hints go.
    await card(page, bare).getByRole('button', { name: 'Iemand kiezen' }).click()
    await card(page, bare)
      .getByTestId('person-picker')
      .getByRole('button', { name: /Kees/ })
      .click()
    await expect.poll(() => card(page, bare).getByTestId('hint-who').count()).toBe(0)
    await card(page, bare).getByRole('textbox', { name: 'Wanneer of hoe vaak' }).fill('zondag')
    await expect.poll(() => card(page, bare).getByTestId('hint-when').count()).toBe(0)
  })

  it('names a person the atlas does not have "onbekend", and goes on working', async () => {
    const { atlas, plan, questions, person } = await sampleAtlas()
    const id = addAgreement(plan.doc, questions[0] as string, { what: 'Met iemand die weg is' })
    addWho(plan.doc, id, 'person:bestaat-niet')
    addWho(plan.doc, id, person('Ria'))
    setAgreementValue(plan.doc, id, 'backupPersonId', 'person:ook-weg')
    for (const link of [atlas.editUrl, atlas.viewUrl]) {
      const page = await openPlan(link)
      const badges = card(page, id).locator('.who-list [data-testid="person-badge"]')
      await expect.poll(() => badges.allTextContents()).toEqual(['onbekend', 'Ria'])
      await page.getByRole('button', { name: 'Presenteren' }).click()
      const presented = page.getByTestId('plan-presentation')
      await presented.getByText('Met iemand die weg is').waitFor()
      expect(await presented.getByText('onbekend').count()).toBe(2)
      await page.getByRole('button', { name: 'Terug naar het plan' }).click()
      await page.getByTestId('plan-screen').waitFor()
    }
  })

  it('lets a view link read the plan and change nothing', async () => {
    const { atlas, plan, questions, person } = await sampleAtlas()
    const id = addAgreement(plan.doc, questions[0] as string, { what: 'Samen koken' })
    addWho(plan.doc, id, person('Ria'))
    setAgreementText(plan.doc, id, 'how', 'Ria neemt de pannen mee.')
    const page = await openPlan(atlas.viewUrl)
    await page.getByText('Je kijkt mee. Je kunt het plan niet veranderen.').waitFor()
    await card(page, id).getByText('Ria neemt de pannen mee.').waitFor()
    const screen = page.getByTestId('plan-screen')
    expect(await screen.locator('main textarea, main input, main select').count()).toBe(1)
    // The one control is the "my agreements" choice, which changes only what this page shows.
    expect(await screen.getByRole('combobox', { name: 'Mijn afspraken' }).count()).toBe(1)
    for (const name of ['Afspraak toevoegen', 'Vraag toevoegen', 'Iemand kiezen']) {
      expect(await page.getByRole('button', { name }).count(), name).toBe(0)
    }
    expect(await page.getByTestId('hint-who').count()).toBe(0)
  })

  it("shows a professional's piketpaaltje live, takes his approval with the plan's hash, and marks a later change", async () => {
    const { atlas, plan, questions, person } = await sampleAtlas()
    const id = addAgreement(plan.doc, questions[0] as string, { what: 'Samen naar de markt' })
    addWho(plan.doc, id, person('Ria'))
    const curator = await createLink(
      app.server.url,
      atlas.id,
      atlas.editToken,
      'professional',
      'curator',
    )
    const other = await createLink(
      app.server.url,
      atlas.id,
      atlas.editToken,
      'professional',
      'wijkteam',
    )
    const edit = await openPlan(atlas.editUrl)
    const pro = await openPlan(curator.url)
    const bystander = await openPlan(other.url)

    // Only a professional who set a piketpaaltje is asked to approve.
    expect(await pro.getByRole('button', { name: 'Goedkeuren' }).count()).toBe(0)
    await pro
      .getByRole('textbox', { name: 'Het piketpaaltje' })
      .fill('Sanne houdt haar budgetcoach tot 2027.')
    await pro.getByRole('textbox', { name: 'Welke regel of wet?' }).fill('Beschermingsbewind')
    await pro.getByRole('button', { name: 'Piketpaaltje zetten' }).click()

    const onEdit = edit.getByTestId('piketpaaltje')
    await onEdit.getByText('Sanne houdt haar budgetcoach tot 2027.').waitFor({ timeout: 10_000 })
    expect(await onEdit.textContent()).toMatch(
      /gesteld door curator, \d+ \w+ · Regel: Beschermingsbewind/,
    )
    await pro.getByRole('button', { name: 'Goedkeuren' }).waitFor()
    await bystander.getByTestId('piketpaaltje').waitFor()
    expect(await bystander.getByRole('button', { name: 'Goedkeuren' }).count()).toBe(0)

    await pro.getByRole('textbox', { name: 'Wat wil je erbij zeggen?' }).fill('Goed zo.')
    await pro.getByRole('button', { name: 'Goedkeuren' }).click()
    await pro.getByText('Verstuurd. Iedereen ziet het nu bij het plan.').waitFor()
    const approval = edit.getByTestId('approval')
    await approval.getByText(/Goedgekeurd door curator/).waitFor({ timeout: 10_000 })
    await approval.getByText('Goed zo.').waitFor()
    expect(await edit.getByTestId('changed-since-approval').count()).toBe(0)
    expect(readServerPart(plan.doc).approvals).toHaveLength(1)

    // A change after the approval: every page says so.
    const field = whatField(edit, id)
    await field.click()
    await field.press('End')
    await edit.keyboard.type(' en de bakker')
    await edit.getByTestId('changed-since-approval').waitFor({ timeout: 10_000 })
    await pro.getByTestId('changed-since-approval').waitFor({ timeout: 10_000 })
    expect(await pro.getByTestId('changed-since-approval').textContent()).toContain(
      'Veranderd na goedkeuring',
    )
  })

  it('says plainly when the plan changed before an approval reached the server, and shows the new plan', async () => {
    const { atlas, plan, questions } = await sampleAtlas()
    const id = addAgreement(plan.doc, questions[0] as string, { what: 'Samen naar de markt' })
    const curator = await createLink(
      app.server.url,
      atlas.id,
      atlas.editToken,
      'professional',
      'curator',
    )
    const set = await callApi(
      app.server.url,
      'POST',
      `/api/atlases/${atlas.id}/piketpaaltjes`,
      curator.token,
      { text: 'Sanne houdt haar budgetcoach.' },
    )
    expect(set.status).toBe(201)
    // The professional's plan socket runs through a valve: the test holds back what the server
    // sends, as a slow network would, while the network changes the plan.
    const context = await device()
    const valve: { held: (string | Buffer)[] | null; toPage?: (message: string | Buffer) => void } =
      { held: null }
    await context.routeWebSocket(
      (url) => url.pathname.endsWith('/plan'),
      (ws) => {
        const upstream = ws.connectToServer()
        valve.toPage = (message) => ws.send(message)
        upstream.onMessage((message) => {
          if (valve.held) valve.held.push(message)
          else ws.send(message)
        })
      },
    )
    const pro = await context.newPage()
    await pro.goto(planUrl(curator.url))
    await pro.getByRole('button', { name: 'Goedkeuren' }).waitFor({ timeout: 20_000 })
    await card(pro, id).getByText('Samen naar de markt').waitFor()

    valve.held = []
    setAgreementText(plan.doc, id, 'what', 'Samen naar de markt en de bakker')
    await waitFor(() => (valve.held?.length ?? 0) > 0, 'the change to reach the held socket')
    await pro.getByRole('button', { name: 'Goedkeuren' }).click()
    await pro
      .getByText('Het plan is veranderd terwijl je keek. Hieronder staat het nieuwe plan.', {
        exact: false,
      })
      .waitFor()
    expect(readServerPart(plan.doc).approvals).toEqual([])

    // What was held arrives: the page shows the new plan, and an approval of it is taken.
    const release = valve.held ?? []
    valve.held = null
    for (const message of release) valve.toPage?.(message)
    await card(pro, id).getByText('Samen naar de markt en de bakker').waitFor()
    await pro.getByRole('button', { name: 'Goedkeuren' }).click()
    await pro.getByText('Verstuurd. Iedereen ziet het nu bij het plan.').waitFor()
    await waitFor(() => readServerPart(plan.doc).approvals.length === 1, 'the approval')
  })

  it('waits calmly while privétijd is on and comes back by itself', async () => {
    const { atlas } = await sampleAtlas()
    const curator = await createLink(
      app.server.url,
      atlas.id,
      atlas.editToken,
      'professional',
      'curator',
    )
    const pro = await openPlan(curator.url)
    const path = `/api/atlases/${atlas.id}/private-time`
    expect((await callApi(app.server.url, 'PUT', path, atlas.editToken, { on: true })).status).toBe(
      204,
    )
    const waiting = pro.getByTestId('private-time-waiting')
    await waiting.waitFor({ timeout: 10_000 })
    expect(await waiting.getByRole('heading').textContent()).toContain(
      'Privétijd: de familie overlegt',
    )
    expect(await pro.getByTestId('plan-screen').count()).toBe(0)
    // A professional who opens the plan while privétijd is on waits too.
    const late = await (await device()).newPage()
    await late.goto(planUrl(curator.url))
    await late.getByTestId('private-time-waiting').waitFor({ timeout: 15_000 })
    const off = await callApi(app.server.url, 'PUT', path, atlas.editToken, { on: false })
    expect(off.status).toBe(204)
    for (const page of [pro, late]) {
      await page.getByTestId('plan-screen').waitFor({ timeout: 15_000 })
      await page.locator('.connection[data-state="online"]').waitFor({ timeout: 15_000 })
    }
    expect(await late.getByRole('heading', { name: 'Plan van Sanne' }).count()).toBe(1)
  })

  it('prints a text PDF with the client, every piketpaaltje and every agreement', async () => {
    const { atlas, plan, questions, person } = await sampleAtlas()
    const texts = [
      'Elke woensdag samen naar het buurthuis',
      'De post samen openmaken',
      'Met Tim naar het voetbal',
    ]
    texts.forEach((what, i) => {
      const id = addAgreement(plan.doc, questions[i % questions.length] as string, { what })
      addWho(plan.doc, id, person(i === 2 ? 'Tim' : 'Ria'))
    })
    const professional = await createLink(
      app.server.url,
      atlas.id,
      atlas.editToken,
      'professional',
      'curator',
    )
    const piketpaaltjes = [
      'Sanne houdt haar budgetcoach tot 2027.',
      'Geen verhuizing zonder overleg.',
    ]
    for (const text of piketpaaltjes) {
      const r = await callApi(
        app.server.url,
        'POST',
        `/api/atlases/${atlas.id}/piketpaaltjes`,
        professional.token,
        { text },
      )
      expect(r.status).toBe(201)
    }
    const page = await openPlan(atlas.editUrl)
    await expect.poll(() => page.getByTestId('piketpaaltje').count()).toBe(2)
    await expect.poll(() => page.getByTestId('agreement').count()).toBe(3)
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 20_000 }),
      page.getByRole('button', { name: 'Plan printen' }).click(),
    ])
    expect(download.suggestedFilename()).toBe('Plan van Sanne.pdf')
    const bytes = new Uint8Array(await readFile(await download.path()))

    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs')
    const pdf = await pdfjs.getDocument({ data: bytes }).promise
    let text = ''
    let images = 0
    for (let n = 1; n <= pdf.numPages; n++) {
      const p = await pdf.getPage(n)
      const content = await p.getTextContent()
      text += `${content.items.map((item) => ('str' in item ? item.str : '')).join('\n')}\n`
      const ops = await p.getOperatorList()
      images += ops.fnArray.filter((fn) => fn === pdfjs.OPS.paintImageXObject).length
    }
    await pdf.destroy()
    expect(text).toContain('Plan van Sanne')
    for (const expected of [...piketpaaltjes, ...texts, 'gesteld door curator', 'Tim', 'Ria']) {
      expect(text, expected).toContain(expected)
    }
    expect(images).toBe(0)
  })
})
