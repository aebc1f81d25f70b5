import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CreateAtlasResponse } from '../../shared/api/atlases'
import { RECORDS_KEY } from '../../shared/sync/layout'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { answerName, openAtlasPage } from '../helpers/browser'
import { createAtlas, syncedClient, waitFor } from '../helpers/clients'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser
/** Every request any page made (address and Referer), to prove no secret left the address bar. */
const sent: string[] = []

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
})

afterAll(() => closeAppAndBrowser(server, browser))

/** A fresh device: its own storage, nothing of the atlas on it. */
async function newDevice(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  context.on('request', (request) => {
    sent.push(request.url(), request.headers().referer ?? '')
  })
  return context
}

/** The role the atlas page shows, once its canvas is there. */
async function roleOf(page: Page): Promise<string | null> {
  const canvas = page.getByTestId('atlas-canvas')
  await canvas.waitFor({ timeout: 15_000 })
  return canvas.getAttribute('data-role')
}

/** Opens `url` as a person would paste it into a fresh device's address bar. */
async function openOnFreshDevice(url: string, name: string): Promise<Page> {
  return openAtlasPage(await newDevice(), url, name)
}

/** Writes a shape through the page's editor and waits until the server holds it. */
async function writeReachesServer(page: Page, atlas: CreateAtlasResponse, id: string) {
  // Returns nothing: the editor that createShape returns cannot always be serialized.
  await page.evaluate((shapeId) => {
    ;(window as unknown as { editor: { createShape(s: object): void } }).editor.createShape({
      id: shapeId,
      type: 'geo',
      x: 40,
      y: 40,
      props: { w: 80, h: 60 },
    })
  }, `shape:${id}`)
  const reader = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
  try {
    await waitFor(
      () => reader.doc.getMap(RECORDS_KEY).has(`shape:${id}`),
      `the server to hold shape ${id}`,
      15_000,
    )
  } finally {
    reader.destroy()
  }
}

describe('the address bar of an atlas', () => {
  it('holds the edit link: copied to another device, it opens the atlas to edit', async () => {
    const atlas = await createAtlas(server.url)
    const a = await openOnFreshDevice(server.url + atlas.editUrl, 'Sanne')
    expect(await roleOf(a)).toBe('edit')
    const copied = a.url()
    expect(copied).toBe(server.url + atlas.editUrl)

    const b = await openOnFreshDevice(copied, 'Zus')
    expect(await roleOf(b)).toBe('edit')
    await writeReachesServer(b, atlas, 'from-copied-link')
    expect(b.url()).toBe(copied)

    // The secrets stayed in the fragment: no request carried one, not even as a referrer.
    for (const secret of [atlas.editToken, atlas.viewToken])
      expect(sent.filter((s) => s.includes(secret))).toEqual([])
    await a.context().close()
    await b.context().close()
  })

  it('holds the view link on a page opened with it, even on a device that may edit', async () => {
    const atlas = await createAtlas(server.url)
    // This device holds the edit secret (it opened the edit link first).
    const device = await newDevice()
    const editing = await openAtlasPage(device, server.url + atlas.editUrl, 'Sanne')
    expect(await roleOf(editing)).toBe('edit')
    await editing.close()

    const viewing = await device.newPage()
    await viewing.goto(server.url + atlas.viewUrl)
    expect(await roleOf(viewing)).toBe('view')
    await viewing.locator('.connection[data-state="online"]').waitFor({ timeout: 15_000 })
    const copied = viewing.url()
    expect(copied).toBe(server.url + atlas.viewUrl)
    // After a reload it is still a view page.
    await viewing.reload()
    expect(await roleOf(viewing)).toBe('view')
    expect(viewing.url()).toBe(copied)

    const other = await openOnFreshDevice(copied, 'Opa')
    expect(await roleOf(other)).toBe('view')
    await other.getByText('Je kijkt mee. Je kunt niets veranderen.').waitFor()
    expect(other.url()).toBe(copied)
    await device.close()
    await other.context().close()
  })

  it('holds a working link when the atlas is opened from the list on the home page', async () => {
    const atlas = await createAtlas(server.url, 'Atlas van Kees')
    for (const [link, role] of [
      [atlas.editUrl, 'edit'],
      [atlas.viewUrl, 'view'],
    ] as const) {
      const device = await newDevice()
      const first = await openAtlasPage(device, server.url + link, 'Kees')
      expect(await roleOf(first)).toBe(role)
      await first.close()

      const home = await device.newPage()
      await home.goto(server.url)
      await home.getByRole('link', { name: /Atlas van Kees/ }).click()
      expect(await roleOf(home)).toBe(role)
      await home.locator('.connection[data-state="online"]').waitFor({ timeout: 15_000 })
      expect(home.url(), role).toBe(server.url + link)

      const other = await openOnFreshDevice(home.url(), 'Buurman')
      expect(await roleOf(other), role).toBe(role)
      await device.close()
      await other.context().close()
    }
  })

  it('opens the view role when a view link is pasted over the edit link of the same atlas', async () => {
    const atlas = await createAtlas(server.url)
    const page = await openOnFreshDevice(server.url + atlas.editUrl, 'Sanne')
    expect(await roleOf(page)).toBe('edit')
    // Only the fragment changes: the browser does not load the page again.
    await page.goto(server.url + atlas.viewUrl)
    await expect.poll(() => page.getByTestId('atlas-canvas').getAttribute('data-role')).toBe('view')
    expect(page.url()).toBe(server.url + atlas.viewUrl)
    await page.context().close()
  })

  it('keeps the link while the server cannot be reached, so trying again opens the atlas', async () => {
    const atlas = await createAtlas(server.url)
    const device = await newDevice()
    await device.route('**/api/atlases/*', (route) => route.abort())
    const page = await device.newPage()
    await page.goto(server.url + atlas.editUrl)
    await page.getByRole('heading', { name: 'Geen verbinding' }).waitFor()
    expect(page.url()).toBe(server.url + atlas.editUrl)

    await device.unroute('**/api/atlases/*')
    await page.getByRole('button', { name: 'Opnieuw proberen' }).click()
    await answerName(page, 'Sanne')
    expect(await roleOf(page)).toBe('edit')
    await device.close()
  })
})
