import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { makeLinkInDialog } from '../helpers/links'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser
/** Every URL any page asked for, to prove nothing leaves the app's origin. */
const requested: string[] = []

async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  context.on('request', (request) => requested.push(request.url()))
  context.on('page', (page) => page.on('websocket', (ws) => requested.push(ws.url())))
  return context
}

/** Opens a link in a fresh page and answers the one-time name question. */
async function openAtlas(context: BrowserContext, link: string, name: string): Promise<Page> {
  const page = await context.newPage()
  page.on('websocket', (ws) => requested.push(ws.url()))
  await page.goto(server.url + link)
  const nameField = page.getByLabel('Jouw naam')
  await nameField.fill(name)
  await page.getByRole('button', { name: 'Klaar' }).click()
  await page.locator('.tl-canvas').waitFor()
  return page
}

/**
 * Ids of the drawn (geo) shapes on the current page, as this browser's editor sees them; the
 * instrument page's own layout (poster areas, the client) is left out.
 */
function shapeIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const editor = (
      window as unknown as { editor: { getCurrentPageShapes(): { id: string; type: string }[] } }
    ).editor
    return editor
      .getCurrentPageShapes()
      .filter((s) => s.type === 'geo')
      .map((s) => s.id)
      .sort()
  })
}

/** Draws a rectangle with the real toolbar and the mouse. */
async function drawRectangle(page: Page, x: number, y: number): Promise<void> {
  await page.getByTestId('tools.rectangle').click()
  await page.mouse.move(x, y)
  await page.mouse.down()
  await page.mouse.move(x + 120, y + 80, { steps: 5 })
  await page.mouse.up()
  await page.keyboard.press('Escape')
}

async function waitForConnection(page: Page, state: 'online' | 'offline'): Promise<void> {
  await page.locator(`.connection[data-state="${state}"]`).waitFor({ timeout: 15_000 })
}

async function waitForShapes(page: Page, expected: string[]): Promise<void> {
  await expect.poll(() => shapeIds(page), { timeout: 15_000 }).toEqual([...expected].sort())
}

describe('two browsers on one atlas', () => {
  let a: Page
  let b: Page
  let editLink: string
  let viewLink: string

  beforeAll(async () => {
    ;({ server, browser } = await startAppAndBrowser())
  })

  afterAll(() => closeAppAndBrowser(server, browser))

  it('creates an atlas from the Dutch home page and hands out edit and view links', async () => {
    const context = await newContext()
    const home = await context.newPage()
    await home.goto(server.url)
    await home.getByLabel('Naam van de klant').fill('Sanne')
    await home.getByRole('button', { name: 'Maak de atlas' }).click()
    await home.getByLabel('Jouw naam').fill('Begeleider')
    await home.getByRole('button', { name: 'Klaar' }).click()
    // The address bar holds the first edit link (with the first view secret).
    expect(home.url().replace(server.url, '')).toMatch(
      /^\/atlas\/[\w-]{22}#edit=[\w-]{43}&view=[\w-]{43}$/,
    )
    editLink = (await makeLinkInDialog(home, 'edit', 'Zus')).replace(server.url, '')
    viewLink = (await makeLinkInDialog(home, 'view', 'Opa')).replace(server.url, '')
    expect(editLink).toMatch(/^\/atlas\/[\w-]{22}#edit=[\w-]{43}$/)
    expect(viewLink).toMatch(/^\/atlas\/[\w-]{22}#view=[\w-]{43}$/)
    await context.close()
  })

  it('shows a shape drawn in A in B', async () => {
    a = await openAtlas(await newContext(), editLink, 'Sanne')
    b = await openAtlas(await newContext(), editLink, 'Zus')
    await waitForConnection(a, 'online')
    await waitForConnection(b, 'online')
    await drawRectangle(a, 300, 300)
    const afterDraw = await shapeIds(a)
    expect(afterDraw).toHaveLength(1)
    await waitForShapes(b, afterDraw)
  })

  it("shows each other's names and follows another participant's view", async () => {
    await a.locator('.tlui-people-menu__avatars-button').click()
    await a
      .locator('.tlui-people-menu__item', { hasText: 'Zus' })
      .locator('.tlui-people-menu__item__follow')
      .click()
    await b.evaluate(() => {
      const editor = (window as unknown as { editor: { setCamera(c: object): void } }).editor
      editor.setCamera({ x: -2000, y: -1500, z: 1 })
    })
    const viewportCentre = (page: Page) =>
      page.evaluate(() => {
        const editor = (
          window as unknown as {
            editor: { getViewportPageBounds(): { center: { x: number; y: number } } }
          }
        ).editor
        const { x, y } = editor.getViewportPageBounds().center
        return { x: Math.round(x / 50), y: Math.round(y / 50) }
      })
    const target = await viewportCentre(b)
    await expect.poll(() => viewportCentre(a), { timeout: 15_000 }).toEqual(target)
    await a.keyboard.press('Escape')
    await a.evaluate(() => {
      const editor = (window as unknown as { editor: { stopFollowingUser(): void } }).editor
      editor.stopFollowingUser()
    })
  })

  it('keeps drawing offline in B and converges when B is back', async () => {
    await b.context().setOffline(true)
    await waitForConnection(b, 'offline')
    await drawRectangle(b, 500, 300)
    await drawRectangle(a, 300, 500)
    expect(await shapeIds(b)).toHaveLength(2)
    expect(await shapeIds(a)).toHaveLength(2)
    await b.context().setOffline(false)
    await waitForConnection(b, 'online')
    const all = [...new Set([...(await shapeIds(a)), ...(await shapeIds(b))])]
    expect(all).toHaveLength(3)
    await waitForShapes(a, all)
    await waitForShapes(b, all)
  })

  it('keeps everything after a reload', async () => {
    const before = await shapeIds(b)
    await b.reload()
    await b.locator('.tl-canvas').waitFor()
    await waitForShapes(b, before)
    await waitForConnection(b, 'online')
  })

  it('never lets the view link change the canvas', async () => {
    const viewer = await openAtlas(await newContext(), viewLink, 'Opa')
    const before = await shapeIds(a)
    await waitForShapes(viewer, before)
    await viewer.getByText('Je kijkt mee. Je kunt niets veranderen.').waitFor()
    // Through the UI: drawing is not possible.
    await viewer.mouse.move(700, 500)
    await viewer.mouse.down()
    await viewer.mouse.move(800, 600, { steps: 5 })
    await viewer.mouse.up()
    // Through the editor API, past the read-only UI: the change stays on the viewer's screen.
    await viewer.evaluate(() => {
      const editor = (window as unknown as { editor: { createShape(s: object): void } }).editor
      editor.createShape({ type: 'geo', x: 900, y: 100, props: { w: 50, h: 50 } })
    })
    // A fresh edit client sees exactly what was there before.
    await drawRectangle(a, 700, 150)
    const expected = await shapeIds(a)
    expect(expected).toHaveLength(before.length + 1)
    await waitForShapes(b, expected)
    const late = await openAtlas(await newContext(), editLink, 'Buurman')
    await waitForShapes(late, expected)
  })

  it('makes no request outside its own origin', () => {
    const origin = new URL(server.url)
    const foreign = requested.filter((url) => {
      const u = new URL(url)
      if (u.protocol === 'data:' || u.protocol === 'blob:') return false
      return u.host !== origin.host
    })
    expect(requested.length).toBeGreaterThan(10)
    expect(foreign).toEqual([])
  })
})
