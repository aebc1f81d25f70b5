/**
 * The app on the device: a page visited once opens again with no network (the service worker
 * serves the built app), the home page lists the atlases with when they were last brought up to
 * date, an atlas opens from the device's copy and takes an edit, and the edit reaches the server
 * and another device once the network is back. A view link opens offline too, and changes nothing.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RecordsMap } from '../../shared/sync/records'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { answerName, openAtlasPage } from '../helpers/browser'
import { createAtlas, syncedClient, waitFor, writeShape } from '../helpers/clients'
import type { TestServer } from '../helpers/server'

/** Where the screenshots go, to be looked at (not checked in). */
const OUTPUT = fileURLToPath(new URL('../../.test-output', import.meta.url))

let server: TestServer
let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
})

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {})
  await closeAppAndBrowser(server, browser)
})

async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    serviceWorkers: 'allow',
  })
  contexts.push(context)
  return context
}

/** Waits until the service worker has kept the app and controls the page. */
async function controlled(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, undefined, {
    timeout: 60_000,
  })
}

type Editor = {
  createShape(shape: object): void
  getShape(id: string): unknown
  getInstanceState(): { isReadonly: boolean }
}

/** Whether the page's canvas holds the shape. */
function pageHas(page: Page, id: string): Promise<boolean> {
  return page.evaluate(
    (id) => (window as unknown as { editor?: Editor }).editor?.getShape(id) != null,
    id,
  )
}

/** Whether the server's copy of the atlas holds the shape (read by a fresh client). */
async function serverHas(atlasId: string, token: string, id: string): Promise<boolean> {
  const reader = await syncedClient(server.wsUrl, atlasId, token)
  try {
    return new RecordsMap(reader.doc).get(id as never) !== undefined
  } finally {
    reader.destroy()
  }
}

describe('the app without a network', () => {
  it('opens the home page and an atlas from the device, takes an edit, and hands it on once online', async () => {
    const atlas = await createAtlas(server.url, 'Atlas van Sanne')
    const context = await newContext()
    const page = await context.newPage()
    await page.goto(server.url)
    await controlled(page)
    await page.goto(server.url + atlas.editUrl)
    await answerName(page, 'Ria')
    await page.waitForFunction(() => (window as unknown as { editor?: unknown }).editor != null)
    await controlled(page)

    await context.setOffline(true)
    await page.goto(server.url)
    // The home page came from the device: the atlas is listed with when it was last in step.
    const entry = page.getByRole('link', { name: /Atlas van Sanne/ })
    await entry.waitFor({ timeout: 15_000 })
    expect(await entry.textContent()).toMatch(/Bijgewerkt met de server: .*\d/)
    await page
      .getByText('Geen verbinding. De atlassen op dit apparaat kun je gewoon openen.')
      .waitFor()

    // A new atlas needs the server: refused at once, in plain words.
    await page.getByLabel('Naam van de klant').fill('Ahmed')
    await page.getByRole('button', { name: 'Maak de atlas' }).click()
    await page
      .getByRole('alert')
      .getByText('Zonder verbinding kun je geen nieuwe atlas maken.', { exact: false })
      .waitFor({ timeout: 5_000 })
    expect(await page.getByRole('button', { name: 'Maak de atlas' }).isEnabled()).toBe(true)
    await mkdir(OUTPUT, { recursive: true })
    await page.screenshot({ path: join(OUTPUT, 'offline-home.png'), fullPage: true })

    // The atlas opens from the device and takes an edit; the bar says calmly that it is kept.
    await entry.click()
    await page.locator('.connection[data-state="offline"]').waitFor({ timeout: 15_000 })
    await page.getByText('Geen verbinding. Je kunt gewoon doorgaan; alles wordt bewaard.').waitFor()
    await page.waitForFunction(() => (window as unknown as { editor?: unknown }).editor != null)
    await page.evaluate(() => {
      ;(window as unknown as { editor: Editor }).editor.createShape({
        id: 'shape:buurvrouw',
        type: 'geo',
        x: 300,
        y: 200,
      })
    })
    // Still offline, a reload keeps it: the page and the atlas both come from the device.
    await page.reload()
    await page.locator('.connection[data-state="offline"]').waitFor({ timeout: 15_000 })
    await waitFor(() => pageHas(page, 'shape:buurvrouw'), 'the edit after an offline reload')
    expect(await serverHas(atlas.id, atlas.editToken, 'shape:buurvrouw')).toBe(false)
    await page.screenshot({ path: join(OUTPUT, 'offline-atlas.png') })

    await context.setOffline(false)
    await page.locator('.connection[data-state="online"]').waitFor({ timeout: 20_000 })
    await waitFor(
      () => serverHas(atlas.id, atlas.editToken, 'shape:buurvrouw'),
      'the server to hold the edit made offline',
      20_000,
    )
    const elsewhere = await newContext()
    const other = await openAtlasPage(elsewhere, server.url + atlas.editUrl, 'Sanne')
    await waitFor(
      () => pageHas(other, 'shape:buurvrouw'),
      'a second device to hold the edit made offline',
      20_000,
    )
  }, 180_000)

  it('opens a view link from the device, read-only', async () => {
    const atlas = await createAtlas(server.url, 'Atlas van Opa')
    const writer = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
    const context = await newContext()
    try {
      const page = await context.newPage()
      await page.goto(server.url + atlas.viewUrl)
      await answerName(page, 'Opa')
      await page.waitForFunction(() => (window as unknown as { editor?: unknown }).editor != null)
      await controlled(page)

      await context.setOffline(true)
      await page.reload()
      await page.locator('.connection[data-state="offline"]').waitFor({ timeout: 15_000 })
      await page.getByText('Je kijkt mee. Je kunt niets veranderen.', { exact: true }).waitFor()
      await page.waitForFunction(() => (window as unknown as { editor?: unknown }).editor != null)
      expect(
        await page.evaluate(
          () => (window as unknown as { editor: Editor }).editor.getInstanceState().isReadonly,
        ),
      ).toBe(true)
      // Past the read-only interface, through the editor: once online, nothing reaches the server.
      await page.evaluate(() => {
        ;(window as unknown as { editor: Editor }).editor.createShape({
          id: 'shape:van-opa',
          type: 'geo',
          x: 100,
          y: 100,
        })
      })
      await context.setOffline(false)
      await page.locator('.connection[data-state="online"]').waitFor({ timeout: 20_000 })
      // An edit the edit link makes after the viewer is back reaches the viewer: by then the
      // viewer has sent the server all it holds, and the server kept none of the viewer's.
      writeShape(writer.doc, 'na-opa', { x: 0, y: 0 })
      await waitFor(() => pageHas(page, 'shape:na-opa'), 'the viewer to get the later edit')
      expect(await serverHas(atlas.id, atlas.editToken, 'shape:na-opa')).toBe(true)
      expect(await serverHas(atlas.id, atlas.editToken, 'shape:van-opa')).toBe(false)
    } finally {
      writer.destroy()
    }
  }, 120_000)
})
