import type { Browser, Page } from 'playwright-core'
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

/** Opens the canvas menu and then each submenu of `path`, by its visible name. */
async function openMenu(page: Page, ...path: string[]) {
  await page.getByTestId('main-menu.button').click()
  for (const name of path) await page.getByRole('menuitem', { name, exact: true }).click()
}

/** Closes every open menu. */
async function closeMenus(page: Page) {
  while ((await page.locator('.tlui-menu').count()) > 0) await page.keyboard.press('Escape')
}

/** What tldraw's user holds for the two preferences this test changes. */
const preferences = (page: Page) =>
  page.evaluate('[window.editor.user.getAnimationSpeed(), window.editor.user.getIsSnapMode()]')

describe('the canvas menu', () => {
  it('keeps preferences on this device, switches the app language, and offers no dark scheme', async () => {
    const atlas = await createAtlas(server.url)
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await openAtlasPage(context, server.url + atlas.editUrl, 'Sanne')
    expect(await preferences(page)).toEqual([1, false])

    await openMenu(page, 'Voorkeuren', 'Toegankelijkheid')
    await page.getByRole('menuitemcheckbox', { name: 'Verminder beweging' }).click()
    await closeMenus(page)
    await openMenu(page, 'Voorkeuren')
    await page.getByRole('menuitemcheckbox', { name: 'Altijd snap' }).click()
    await expect.poll(() => preferences(page)).toEqual([0, true])
    // The atlas's panels and sheets are light: no colour scheme to choose.
    await expect(page.getByRole('menuitem', { name: 'Toegankelijkheid' }).count()).resolves.toBe(1)
    expect(await page.getByRole('menuitem', { name: 'Thema' }).count()).toBe(0)
    await closeMenus(page)

    // Kept on this device: the same after a reload.
    await page.reload()
    await page.waitForFunction('!!window.editor')
    expect(await preferences(page)).toEqual([0, true])
    expect(await page.evaluate('window.editor.user.getIsDarkMode()')).toBe(false)

    // The language list switches the whole app, and holds its two languages.
    await openMenu(page, 'Taal')
    const languages = page.getByRole('menuitemcheckbox')
    await expect(languages.allTextContents()).resolves.toEqual(['Nederlands', 'English'])
    await page.getByRole('menuitemcheckbox', { name: 'English' }).click()
    await page.getByRole('button', { name: 'Share' }).waitFor()
    await closeMenus(page)
    expect(await page.evaluate('window.editor.user.getLocale()')).toBe('en')
    await context.close()
  })
})
