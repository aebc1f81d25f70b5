import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { answerName, openAtlasPage } from '../helpers/browser'
import { makeLinkInDialog } from '../helpers/links'
import { goToPage } from '../helpers/pages'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser

function newContext(): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1440, height: 900 } })
}

function openLink(link: string, name: string): Promise<Page> {
  return newContext().then((context) => openAtlasPage(context, server.url + link, name))
}

/** Page names in order, as this browser's editor has them. */
function pageNames(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const editor = (window as unknown as { editor: { getPages(): { name: string }[] } }).editor
    return editor.getPages().map((p) => p.name)
  })
}

/** The rows of the contact schedule: [who, with whom]. */
async function contactRows(page: Page): Promise<string[][]> {
  const rows = page.getByTestId('contact-schedule').locator('tbody tr')
  const out: string[][] = []
  for (const row of await rows.all()) {
    out.push([
      (await row.locator('th').innerText()).trim(),
      (await row.locator('td').first().innerText()).trim(),
    ])
  }
  return out
}

describe('the sample atlas in two browsers', () => {
  let a: Page
  let b: Page
  let editLink: string
  let viewLink: string

  beforeAll(async () => {
    ;({ server, browser } = await startAppAndBrowser())
  })

  afterAll(() => closeAppAndBrowser(server, browser))

  it('opens from the home page with its five pages in order', async () => {
    a = await (await newContext()).newPage()
    await a.goto(server.url)
    await a.getByRole('button', { name: 'Voorbeeldatlas van Sanne' }).click()
    await answerName(a, 'Begeleider')
    expect(await pageNames(a)).toEqual([
      'Basisposter',
      'Familiekaart',
      'Relatiekaart',
      'Contactschema',
      'Gebeurteniskaart',
    ])
    editLink = (await makeLinkInDialog(a, 'edit', 'Ria')).replace(server.url, '')
    viewLink = (await makeLinkInDialog(a, 'view', 'Opa')).replace(server.url, '')
    b = await openLink(editLink, 'Ria')
    expect(await pageNames(b)).toEqual(await pageNames(a))
  })

  it('lists the relations in the contact schedule', async () => {
    await goToPage(a, 'Contactschema')
    await goToPage(b, 'Contactschema')
    const expected = [
      ['Sanne', 'Ahmed'],
      ['Sanne', 'Fatima'],
      ['Sanne', 'Kees'],
      ['Sanne', 'Marleen'],
      ['Sanne', 'Ria'],
      ['Sanne', 'Tim'],
    ]
    await expect.poll(() => contactRows(a)).toEqual(expected)
    await expect.poll(() => contactRows(b)).toEqual(expected)
    await expect(a.getByRole('columnheader').allInnerTexts()).resolves.toEqual([
      'Wie',
      'Met wie',
      'Hoe',
      'Hoe vaak',
      'Wat brengt het contact?',
    ])
  })

  it('shows a frequency changed in A in B', async () => {
    const inA = a.getByLabel('Hoe vaak hebben Sanne en Kees contact?')
    const inB = b.getByLabel('Hoe vaak hebben Sanne en Kees contact?')
    await expect.poll(() => inB.inputValue()).toBe('rarely')
    await inA.selectOption({ label: 'Elke maand' })
    await expect.poll(() => inB.inputValue(), { timeout: 10_000 }).toBe('monthly')
    // Written to the relation itself: the relationship map's line carries it.
    const onShape = await b.evaluate(() => {
      const editor = (
        window as unknown as {
          editor: {
            getShape(id: string): { props: { contactFrequency: string } } | undefined
          }
        }
      ).editor
      return editor.getShape('shape:relation-sanne-kees-stressful')?.props.contactFrequency
    })
    expect(onShape).toBe('monthly')
  })

  it('shows what a contact brings, typed in B, in A', async () => {
    const field = 'Wat brengt het contact tussen Sanne en Tim?'
    await b.getByLabel(field).fill('Samen gamen op vrijdag.')
    await expect.poll(() => a.getByLabel(field).inputValue()).toBe('Samen gamen op vrijdag.')
  })

  it('adds a contact row in A that B sees', async () => {
    await a.getByLabel('Wie', { exact: true }).selectOption({ label: 'Fatima' })
    await a.getByLabel('Met wie', { exact: true }).selectOption({ label: 'Ahmed' })
    await a.getByRole('button', { name: 'Voeg contact toe' }).click()
    await expect.poll(() => contactRows(b)).toContainEqual(['Fatima', 'Ahmed'])
    await b.getByLabel('Hoe hebben Fatima en Ahmed contact?').selectOption({ label: 'Bellen' })
    await expect
      .poll(() => a.getByLabel('Hoe hebben Fatima en Ahmed contact?').inputValue())
      .toBe('phone')
  })

  it('edits the questions for the plan in order, live in both browsers', async () => {
    await goToPage(a, 'Basisposter')
    await goToPage(b, 'Basisposter')
    await a.getByRole('button', { name: 'Poster invullen' }).click()
    await b.getByRole('button', { name: 'Poster invullen' }).click()
    await a.getByRole('button', { name: 'Vraag toevoegen' }).click()
    // The new question has the focus: the keyboard types straight into it.
    await a.keyboard.type('Hoe ga ik vaker sporten?')
    await expect
      .poll(() => b.getByLabel('Vraag 4', { exact: true }).inputValue())
      .toBe('Hoe ga ik vaker sporten?')
    await a.getByRole('button', { name: 'Zet vraag 4 hoger' }).click()
    await expect
      .poll(() => b.getByLabel('Vraag 3', { exact: true }).inputValue())
      .toBe('Hoe ga ik vaker sporten?')
    await b.getByRole('button', { name: 'Haal vraag 1 weg' }).click()
    await expect
      .poll(() => a.getByLabel('Vraag 2', { exact: true }).inputValue())
      .toBe('Hoe ga ik vaker sporten?')
    await a.getByLabel('Wat lukt al wel?').fill('Ik fiets elke dag naar mijn werk.')
    await expect
      .poll(() => b.getByLabel('Wat lukt al wel?').inputValue())
      .toBe('Ik fiets elke dag naar mijn werk.')
  })

  it('shows the schedule and the poster to a view link, without fields to change them', async () => {
    const viewer = await openLink(viewLink, 'Opa')
    await goToPage(viewer, 'Contactschema')
    await expect.poll(() => contactRows(viewer)).toContainEqual(['Sanne', 'Kees'])
    expect(await viewer.getByTestId('contact-schedule').locator('select, textarea').count()).toBe(0)
    const kees = viewer.getByTestId('contact-schedule').locator('tbody tr', { hasText: 'Kees' })
    expect(await kees.innerText()).toContain('Elke maand')
    await goToPage(viewer, 'Basisposter')
    await viewer.getByRole('button', { name: 'Poster lezen' }).click()
    await viewer
      .getByTestId('poster-editor')
      .getByText('Ik fiets elke dag naar mijn werk.')
      .waitFor()
    expect(await viewer.getByTestId('poster-editor').locator('textarea').count()).toBe(0)
  })
})
