import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { openAtlasPage } from '../helpers/browser'
import { createAtlas } from '../helpers/clients'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
})

afterAll(() => closeAppAndBrowser(server, browser))

describe('the canvas', () => {
  it('keeps its editor when the page around it changes (a new name, the connection)', async () => {
    const atlas = await createAtlas(server.url)
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    const page = await openAtlasPage(context, server.url + atlas.editUrl, 'Sanne')
    // Mark the editor instance; a rebuilt editor (seconds on a large atlas) would not carry it.
    await page.evaluate(() => {
      ;(window as unknown as { editor: { marked?: boolean } }).editor.marked = true
    })
    await page.getByRole('button', { name: 'Jij: Sanne' }).click()
    await page.getByLabel('Jouw naam').fill('Sanne B.')
    await page.getByRole('button', { name: 'Klaar' }).click()
    await page.getByRole('button', { name: 'Jij: Sanne B.' }).waitFor()
    await context.setOffline(true)
    await page.locator('.connection[data-state="offline"]').waitFor()
    await context.setOffline(false)
    await page.locator('.connection[data-state="online"]').waitFor({ timeout: 15_000 })
    const marked = await page.evaluate(
      () => (window as unknown as { editor: { marked?: boolean } }).editor.marked === true,
    )
    expect(marked).toBe(true)
    await context.close()
  })
})
