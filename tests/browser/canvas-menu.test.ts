import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { openAtlasPage } from '../helpers/browser'
import { createAtlas } from '../helpers/clients'
import { openSampleAtlas } from '../helpers/pages'
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

/** Closes every open menu (at most five levels). */
async function closeMenus(page: Page) {
  for (let i = 0; i < 5 && (await page.locator('.tlui-menu').count()) > 0; i++) {
    await page.keyboard.press('Escape')
  }
  expect(await page.locator('.tlui-menu').count()).toBe(0)
}

/** What tldraw's user holds for the two preferences this test changes. */
const preferences = (page: Page) =>
  page.evaluate('[window.editor.user.getAnimationSpeed(), window.editor.user.getIsSnapMode()]')

describe('the canvas menu', () => {
  it('keeps preferences on this device and its tabs, switches the app language, and offers no dark scheme', async () => {
    const atlas = await createAtlas(server.url)
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await openAtlasPage(context, server.url + atlas.editUrl, 'Sanne')
    // A second tab of the same device, and a mark on the first tab's editor (a rebuilt one,
    // seconds on a large atlas, would not carry it).
    const other = await context.newPage()
    await other.goto(server.url + atlas.editUrl.split('#')[0])
    await other.waitForFunction(() => !!(window as { editor?: unknown }).editor)
    await page.bringToFront()
    await page.evaluate('window.editor.marked = true')
    expect(await preferences(page)).toEqual([1, false])

    await openMenu(page, 'Voorkeuren', 'Toegankelijkheid')
    await page.getByRole('menuitemcheckbox', { name: 'Verminder beweging' }).click()
    await closeMenus(page)
    await openMenu(page, 'Voorkeuren')
    await page.getByRole('menuitemcheckbox', { name: 'Altijd snap' }).click()
    await expect.poll(() => preferences(page)).toEqual([0, true])
    // The atlas's panels and sheets are light: no colour scheme to choose, no shortcut to one.
    await expect
      .poll(() => page.getByRole('menuitem', { name: 'Toegankelijkheid' }).count())
      .toBe(1)
    expect(await page.getByRole('menuitem', { name: 'Thema' }).count()).toBe(0)
    await closeMenus(page)
    await page.keyboard.press('Control+Slash')
    expect(await page.evaluate('window.editor.user.getIsDarkMode()')).toBe(false)
    // The other tab follows.
    await expect.poll(() => preferences(other)).toEqual([0, true])

    // The language list switches the whole app, and holds its two languages.
    await openMenu(page, 'Taal')
    const languages = page.getByRole('menuitemcheckbox')
    await expect.poll(() => languages.allTextContents()).toEqual(['Nederlands', 'English'])
    expect(await languages.first().getAttribute('aria-checked')).toBe('true')
    await page.getByRole('menuitemcheckbox', { name: 'English' }).click()
    await page.getByRole('button', { name: 'Share' }).waitFor()
    await closeMenus(page)
    expect(await page.evaluate('window.editor.user.getLocale()')).toBe('en')
    expect(await page.evaluate('window.editor.marked === true')).toBe(true)

    // Kept on this device: the same after a reload, also beside an entry this tldraw does not
    // know (a preference a later version renamed).
    await page.evaluate(() => {
      const key = 'netwerkatlas:canvas-preferences'
      const kept = JSON.parse(localStorage.getItem(key) ?? '{}')
      localStorage.setItem(key, JSON.stringify({ ...kept, showUiLabels: true }))
    })
    await page.reload()
    await page.waitForFunction(() => !!(window as { editor?: unknown }).editor)
    expect(await preferences(page)).toEqual([0, true])
    await context.close()
  })
})

/** A translation key shown or read out as it is, such as `tool.person`. */
const RAW_KEY = /\b[a-z][a-z0-9]*(?:-[a-z0-9]+)*\.[a-z][a-z0-9-]*\b/

/** The accessible name and the visible text of every element under `selector`. */
function namesAndTexts(page: Page, selector: string): Promise<string[]> {
  return page
    .locator(selector)
    .evaluateAll((roots) =>
      roots.flatMap((root) =>
        [root, ...root.querySelectorAll('*')].flatMap((el) => [
          el.getAttribute('aria-label') ?? '',
          el.getAttribute('title') ?? '',
          el.children.length === 0 ? (el.textContent ?? '') : '',
        ]),
      ),
    )
}

/**
 * Every item of an open menu and of each of its submenus (opened one by one: opening the next
 * closes the one before), as "submenu > item" paths.
 */
async function menuItems(page: Page, menu: Locator, path: string[] = []): Promise<string[]> {
  const items = menu.locator(':scope [role^="menuitem"]')
  const names = (await items.allInnerTexts()).map((n) => n.trim().split('\n')[0] ?? '')
  const out: string[] = []
  for (const [i, name] of names.entries()) {
    out.push([...path, name].join(' > '))
    const item = items.nth(i)
    if ((await item.getAttribute('aria-haspopup')) !== 'menu') continue
    if ((await item.getAttribute('aria-disabled')) === 'true') continue
    await item.click()
    await expect.poll(() => item.getAttribute('aria-controls')).toBeTruthy()
    const submenu = page.locator(`[id="${await item.getAttribute('aria-controls')}"]`)
    await submenu.waitFor()
    out.push(...(await menuItems(page, submenu, [...path, name])))
  }
  return out
}

const TOOLBAR = [
  'tools.select',
  'tools.hand',
  'tools.person',
  'tools.relation',
  'tools.event',
  'tools.draw',
  'tools.text',
  'tools.note',
  'tools.rectangle',
  'tools.eraser',
]

const WORDS = {
  nl: {
    tools: ['Kiezen', 'Hand', 'Persoon', 'Relatie', 'Gebeurtenis', 'Tekenen', 'Tekst'],
    more: ['Plakbriefje', 'Rechthoek', 'Gom'],
    gone: [
      'Lijn',
      'Pijl',
      'Kader',
      'Laser',
      'Ellips',
      'Invoegcode',
      'Media uploaden',
      'Invoegen insluiten',
      'Alles exporteren als',
      'Exporteren als',
      'Afvlakken',
      'Selectie omkaderen',
    ],
    menu: 'Sneltoetsen',
    shortcuts: 'Sneltoetsen',
    newPerson: 'Nieuwe persoon',
    inspector: 'Naar de gegevens van de keuze',
    person: 'Persoon',
  },
  en: {
    tools: ['Choose', 'Hand', 'Person', 'Relation', 'Event', 'Draw', 'Text'],
    more: ['Sticky note', 'Rectangle', 'Eraser'],
    gone: [
      'Line',
      'Arrow',
      'Frame',
      'Laser',
      'Ellipse',
      'Embed',
      'Upload media',
      'Insert embed',
      'Export',
      'Export as',
      'Flatten',
      'Frame selection',
    ],
    menu: 'Keyboard shortcuts',
    shortcuts: 'Keyboard shortcuts',
    newPerson: 'New person',
    inspector: 'To the details of the selection',
    person: 'Person',
  },
} as const

describe('the toolbar, menus and shortcuts', () => {
  for (const language of ['nl', 'en'] as const) {
    it(`hold the method's tools in its words and no raw key (${language})`, async () => {
      const words = WORDS[language]
      const page = await openSampleAtlas(browser, server.url, language)

      // The toolbar: exactly the chosen tools, each named in the method's words.
      const toolbar = page.locator('.tlui-main-toolbar [data-testid^="tools."]')
      await expect
        .poll(() => toolbar.evaluateAll((b) => b.map((e) => e.dataset.testid)))
        .toEqual(TOOLBAR)
      const labels = await toolbar.evaluateAll((b) =>
        b.map((e) => (e.getAttribute('aria-label') ?? '').split(' — ')[0]),
      )
      expect(labels).toEqual([...words.tools, ...words.more])

      // The main menu and every submenu: nothing removed, no raw key.
      await page.getByTestId('main-menu.button').click()
      const mainMenu = await menuItems(page, page.locator('.tlui-menu').first())
      await closeMenus(page)
      // The context menu of a person, and of the empty canvas.
      const person = await page.locator('.tl-shape[data-shape-type="person"]').first().boundingBox()
      if (!person) throw new Error('no person on the map')
      await page.mouse.click(person.x + person.width / 2, person.y + person.height / 2, {
        button: 'right',
      })
      const personMenu = await menuItems(page, page.locator('.tlui-menu').first())
      await closeMenus(page)
      await page.mouse.click(640, 700, { button: 'right' })
      const canvasMenu = await menuItems(page, page.locator('.tlui-menu').first())
      await closeMenus(page)
      for (const item of [...mainMenu, ...personMenu, ...canvasMenu]) {
        expect(item).not.toMatch(RAW_KEY)
        for (const name of item.split(' > ')) expect(words.gone).not.toContain(name.trim())
      }
      expect(mainMenu.length).toBeGreaterThan(10)
      expect(personMenu.length).toBeGreaterThan(3)

      // The shortcuts dialog: the atlas's own keys, none of the removed tools.
      await page.getByTestId('main-menu.button').click()
      await page.getByRole('menuitem', { name: words.menu, exact: true }).click()
      const dialog = page.locator('.tlui-dialog__content')
      await dialog.getByText(words.shortcuts, { exact: true }).first().waitFor()
      const shortcuts = (await namesAndTexts(page, '.tlui-dialog__content')).filter(Boolean)
      for (const text of shortcuts) expect(text).not.toMatch(RAW_KEY)
      for (const name of [
        ...words.tools.slice(2),
        ...words.more,
        words.newPerson,
        words.inspector,
      ]) {
        expect(shortcuts).toContain(name)
      }
      for (const name of words.gone) expect(shortcuts).not.toContain(name)
      await page.keyboard.press('Escape')

      // The toolbar's names and the screen reader's: a selected person is read out as a person.
      for (const text of await namesAndTexts(page, '.tlui-main-toolbar')) {
        expect(text).not.toMatch(RAW_KEY)
      }
      await page.mouse.click(person.x + person.width / 2, person.y + person.height / 2)
      const announced = () =>
        page
          .locator('[aria-live]')
          .allTextContents()
          .then((all) => all.join(' | '))
      await expect.poll(announced).toContain(`, ${words.person}. `)
      expect(await announced()).not.toMatch(RAW_KEY)

      // The shortcuts of the removed tools do nothing; the atlas's own still work.
      await page.keyboard.press('Escape')
      for (const key of ['l', 'a', 'f', 'k', 'o', 'Shift+D']) {
        await page.keyboard.press(key)
        expect(await page.evaluate('window.editor.getCurrentToolId()')).toBe('select')
      }
      await page.keyboard.press('c')
      expect(await page.evaluate('window.editor.getCurrentToolId()')).toBe('relation')
      await page.keyboard.press('Escape')
      await page.context().close()
    })
  }
})
