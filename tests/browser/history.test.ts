import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { openAtlasPage } from '../helpers/browser'
import { createAtlas } from '../helpers/clients'
import { goToPage, openSampleAtlas } from '../helpers/pages'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
})

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close()
})

afterAll(async () => {
  await closeAppAndBrowser(server, browser)
})

/** Kees as this browser's canvas holds him: his record, his views, and his relations. */
function kees(page: Page) {
  return page.evaluate(() => {
    type Rec = {
      id: string
      typeName: string
      type?: string
      name?: string
      props?: { personId?: string; fromPersonId?: string; toPersonId?: string }
    }
    const editor = (window as unknown as { editor: { store: { allRecords(): Rec[] } } }).editor
    const all = editor.store.allRecords()
    const person = all.find((r) => r.typeName === 'person' && r.name === 'Kees')
    if (!person) return { person: false, views: 0, relations: 0 }
    return {
      person: true,
      views: all.filter((r) => r.type === 'person' && r.props?.personId === person.id).length,
      relations: all.filter(
        (r) =>
          r.type === 'relation' &&
          (r.props?.fromPersonId === person.id || r.props?.toPersonId === person.id),
      ).length,
    }
  })
}

/** The names on the person shapes and the number of relation lines of the map shown. */
async function canvas(page: Page) {
  return {
    persons: await page.locator('.tl-shape[data-shape-type="person"]').allTextContents(),
    relations: await page.locator('.tl-shape[data-shape-type="relation"]').count(),
  }
}

describe('Geschiedenis', () => {
  it('puts a removed person back: the canvas shows him again with his relations, on every device', async () => {
    const a = await openSampleAtlas(browser, server.url)
    contexts.push(a.context())
    const second = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    contexts.push(second)
    const b = await openAtlasPage(second, a.url(), 'Ria')
    await b.waitForFunction(
      "window.editor && window.editor.store.allRecords().some((r) => r.typeName === 'person' && r.name === 'Kees')",
    )
    const before = await kees(a)
    expect(before).toMatchObject({ person: true })
    expect(before.relations).toBeGreaterThanOrEqual(2)
    await goToPage(b, 'Familiekaart')
    const drawn = await canvas(b)
    expect(drawn.persons.some((text) => text.includes('Kees'))).toBe(true)

    // Remove Kees as a user does: through the people panel, asked once.
    await goToPage(a, 'Familiekaart')
    const row = a.locator('.person-row').filter({ hasText: 'Kees' })
    await row.getByRole('button', { name: 'Laat zien waar Kees staat' }).click()
    await a.getByRole('button', { name: 'Persoon verwijderen' }).click()
    await a.getByRole('button', { name: 'Ja, verwijderen' }).click()
    for (const page of [a, b]) {
      await expect.poll(() => kees(page), { timeout: 15_000 }).toMatchObject({ person: false })
    }
    expect((await canvas(b)).persons.some((text) => text.includes('Kees'))).toBe(false)

    // From the atlas bar to the history; the moment kept when the sample was made.
    await a.getByRole('link', { name: 'Geschiedenis' }).click()
    await a.getByTestId('history-list').waitFor()
    expect(new URL(a.url()).pathname).toMatch(/\/geschiedenis$/)
    const moments = a.getByTestId('history-moment')
    await moments
      .last()
      .getByRole('button', { name: /^Bekijk/ })
      .click()
    const view = a.getByTestId('history-view')
    await expect.poll(() => view.getByTestId('history-then').textContent()).toContain('Kees')
    const compare = view.getByTestId('history-compare')
    await expect.poll(() => compare.textContent(), { timeout: 15_000 }).toContain('Weg: Kees')

    // With the keyboard: the question takes the focus, "Ja, zet terug" is the next stop.
    await view.getByRole('button', { name: 'Zet Kees terug' }).focus()
    await a.keyboard.press('Enter')
    await expect
      .poll(() => a.evaluate(() => document.activeElement?.textContent?.trim()))
      .toBe('Nee')
    expect(await view.getByTestId('history-confirm').textContent()).toContain(
      'Wil je Kees terugzetten',
    )
    await a.keyboard.press('Tab')
    await a.keyboard.press('Enter')
    await view.getByText('Kees staat weer in de atlas.').waitFor()
    await expect
      .poll(() => compare.textContent(), { timeout: 15_000 })
      .toContain('Niets. Het is nu nog net zo.')
    // The history kept the atlas as it was just before.
    await expect
      .poll(() => a.getByTestId('history-moment').first().getAttribute('data-reason'))
      .toBe('before-restore')

    // Back on the maps: Kees and his lines, here and on the other device that stayed open.
    await a.getByRole('link', { name: 'Terug naar de kaarten' }).click()
    await a.waitForFunction('window.editor !== undefined')
    for (const page of [a, b]) {
      await expect.poll(() => kees(page), { timeout: 15_000 }).toEqual(before)
    }
    await goToPage(a, 'Familiekaart')
    for (const page of [a, b]) {
      await expect.poll(() => canvas(page), { timeout: 15_000 }).toEqual(drawn)
    }
  })

  it('is for edit links only: a view link has no button, and its page says so', async () => {
    const atlas = await createAtlas(server.url)
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    contexts.push(context)
    const page = await openAtlasPage(context, server.url + atlas.viewUrl, 'Kijker')
    await page.locator('.readonly-banner').waitFor()
    expect(await page.getByRole('link', { name: 'Geschiedenis' }).count()).toBe(0)
    const hash = new URL(page.url()).hash
    await page.goto(`${server.url}/atlas/${atlas.id}/geschiedenis${hash}`)
    await page
      .getByText('Alleen met een link om samen te tekenen kun je de geschiedenis zien.')
      .waitFor()
    expect(await page.getByTestId('history-list').count()).toBe(0)
  })
})
