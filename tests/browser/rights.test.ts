import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RECORDS_KEY } from '../../shared/sync/layout'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { openAtlasPage } from '../helpers/browser'
import { createAtlas, createLink, syncedClient, waitFor } from '../helpers/clients'
import { openLinksDialog } from '../helpers/links'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
})

afterAll(() => closeAppAndBrowser(server, browser))

const PHONE_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36'

/** Where screenshots go when asked for (`SCREENSHOT_DIR`), to look at the screens by eye. */
async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.SCREENSHOT_DIR
  if (dir) await page.screenshot({ path: `${dir}/${name}.png` })
}

function newDevice(options: { userAgent?: string } = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1280, height: 800 }, ...options })
}

/** The names of the IndexedDB databases on the page's device that belong to the atlas. */
function localCopies(page: Page, atlasId: string): Promise<string[]> {
  return page.evaluate(
    async (id) =>
      (await indexedDB.databases())
        .map((d) => d.name ?? '')
        .filter((name) => name.includes(id))
        .sort(),
    atlasId,
  )
}

function storedLinks(page: Page): Promise<string> {
  return page.evaluate(() => localStorage.getItem('netwerkatlas:atlases') ?? '')
}

describe('"Wie heeft mijn atlas geopend?"', () => {
  it('lists who opened the atlas, newest first, in plain words', async () => {
    const atlas = await createAtlas(server.url)
    const ria = await createLink(server.url, atlas.id, atlas.editToken, 'edit', 'Ria (moeder)')
    // Ria opens the atlas on her phone.
    const phone = await openAtlasPage(
      await newDevice({ userAgent: PHONE_UA }),
      server.url + ria.url,
      'Ria',
    )
    await phone.close()

    const owner = await openAtlasPage(await newDevice(), server.url + atlas.editUrl, 'Sanne')
    // The page was printed (the browser tells the page once its print dialog has closed).
    await owner.evaluate(() => window.dispatchEvent(new Event('afterprint')))
    await openLinksDialog(owner)
    await owner.getByRole('button', { name: 'Wie heeft mijn atlas geopend?' }).click()
    const dialog = owner.getByRole('dialog', { name: 'Wie heeft mijn atlas geopend?' })
    await dialog.waitFor()
    const entries = dialog.getByTestId('access-entry')
    // The owner's own opening may reach the log a moment after the page.
    await expect
      .poll(async () => (await entries.allTextContents()).join('\n'), { timeout: 10_000 })
      .toContain('Ria (moeder) (Samen tekenen) heeft de atlas geopend op telefoon')
    // The list is fetched when it opens: the print's note may come after it, so open it again.
    await expect
      .poll(
        async () => {
          const text = (await entries.allTextContents()).join('\n')
          if (text.includes('afdruk')) return true
          await dialog.getByRole('button', { name: 'Terug naar de links' }).click()
          await owner.getByRole('button', { name: 'Wie heeft mijn atlas geopend?' }).click()
          return false
        },
        { timeout: 10_000 },
      )
      .toBe(true)
    const lines = await entries.allTextContents()
    expect(lines.at(-1)).toMatch(/^Iemand heeft de atlas gemaakt/)
    expect(lines.join('\n')).toContain('heeft een link gemaakt voor Ria (moeder) (Samen tekenen)')
    expect(lines.join('\n')).toContain('(Chrome, Android)')
    expect(lines.join('\n')).toContain(
      'Eerste link (Samen tekenen) heeft een afdruk van de atlas gemaakt op computer',
    )
    expect(await dialog.getByText('We bewaren dit 365 dagen.').count()).toBe(1)
    // No secret on the page.
    const html = await owner.content()
    for (const secret of [atlas.editToken, atlas.viewToken, ria.token]) {
      expect(html).not.toContain(secret)
    }
    await screenshot(owner, 'access-log')
    await dialog.getByRole('button', { name: 'Terug naar de links' }).click()
    await owner.getByRole('dialog', { name: 'Wie heeft een link?' }).waitFor()
  })
})

describe('"Atlas verwijderen"', () => {
  it('asks twice after offering the atlas file, deletes the atlas, and every device drops its copy', async () => {
    const atlas = await createAtlas(server.url)
    const device = await newDevice()
    const owner = await openAtlasPage(device, server.url + atlas.editUrl, 'Sanne')
    await owner.evaluate(`void window.editor.createShape({
      id: 'shape:weg', type: 'geo', x: 40, y: 40, props: { w: 80, h: 60 } })`)
    const reader = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
    try {
      await waitFor(
        () => reader.doc.getMap(RECORDS_KEY).has('shape:weg'),
        'the shape on the server',
      )
    } finally {
      reader.destroy()
    }
    // Another device looks on with the view link.
    const viewerDevice = await newDevice()
    const viewer = await openAtlasPage(viewerDevice, server.url + atlas.viewUrl, 'Opa')
    expect(await localCopies(owner, atlas.id)).toContain(`netwerkatlas:${atlas.id}:edit`)
    expect(await localCopies(viewer, atlas.id)).toContain(`netwerkatlas:${atlas.id}:view`)
    expect(await storedLinks(owner)).toContain(atlas.id)

    await openLinksDialog(owner)
    await owner.getByRole('button', { name: 'Atlas verwijderen' }).click()
    const dialog = owner.getByRole('dialog', { name: 'Atlas verwijderen' })
    await dialog.waitFor()
    // First the atlas file is offered.
    const download = owner.waitForEvent('download')
    await dialog.getByRole('button', { name: 'Atlasbestand bewaren' }).click()
    expect((await download).suggestedFilename()).toMatch(/\.netwerkatlas$/)
    await dialog.getByText('Het atlasbestand staat op dit apparaat.').waitFor()
    // The access log has it (what kind, from which link), before the atlas is gone.
    await expect
      .poll(
        async () => {
          const r = await fetch(`${server.url}/api/atlases/${atlas.id}/access-log`, {
            headers: { Authorization: `Bearer ${atlas.editToken}` },
          })
          const log = (await r.json()) as { entries: { event: string; export?: string }[] }
          return log.entries.some((e) => e.event === 'exported' && e.export === 'atlas-file')
        },
        { timeout: 10_000 },
      )
      .toBe(true)
    await dialog.getByRole('button', { name: 'Verder naar verwijderen' }).click()
    // First question; the safe answer has the focus.
    await dialog.getByRole('group', { name: 'Wil je Atlas van Sanne verwijderen?' }).waitFor()
    expect(await owner.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
      'Nee, niet verwijderen',
    )
    await screenshot(owner, 'erase-question-1')
    // The words on the red button can be read (white on red).
    const yes = dialog.getByRole('button', { name: 'Ja, verder' })
    const look = await yes.evaluate((el) => {
      const style = getComputedStyle(el)
      return { color: style.color, background: style.backgroundColor }
    })
    expect(look).toEqual({ color: 'rgb(255, 255, 255)', background: 'rgb(163, 32, 32)' })
    await dialog.getByRole('button', { name: 'Ja, verder' }).click()
    // Second question: nothing is deleted yet.
    await dialog.getByRole('group', { name: 'Echt verwijderen? Dit kan niet terug.' }).waitFor()
    expect(
      (
        await fetch(`${server.url}/api/atlases/${atlas.id}`, {
          headers: { Authorization: `Bearer ${atlas.editToken}` },
        })
      ).status,
    ).toBe(200)
    await screenshot(owner, 'erase-question-2')
    await dialog.getByRole('button', { name: 'Ja, verwijder de atlas' }).click()

    const deleted = (page: Page) => page.getByRole('heading', { name: 'Deze atlas is verwijderd' })
    await deleted(owner).waitFor({ timeout: 10_000 })
    // The other device is told at once (its socket closed with the erasure's code).
    await deleted(viewer).waitFor({ timeout: 10_000 })
    await screenshot(viewer, 'erased')
    const after = await fetch(`${server.url}/api/atlases/${atlas.id}`, {
      headers: { Authorization: `Bearer ${atlas.editToken}` },
    })
    expect(after.status).toBe(410)

    // Opened again on the same device: the message, and nothing of the atlas left on it.
    const again = await device.newPage()
    await again.goto(server.url + atlas.editUrl)
    await deleted(again).waitFor({ timeout: 10_000 })
    await expect.poll(() => localCopies(again, atlas.id), { timeout: 10_000 }).toEqual([])
    expect(await storedLinks(again)).not.toContain(atlas.id)
    await expect.poll(() => localCopies(viewer, atlas.id), { timeout: 10_000 }).toEqual([])
    expect(await storedLinks(viewer)).not.toContain(atlas.id)
    // The home page lists it no more.
    await again.goto(server.url)
    await again.getByRole('heading', { level: 1 }).first().waitFor()
    expect(await again.getByText('Atlas van Sanne', { exact: true }).count()).toBe(0)
  })

  it('reaches a device that opened the atlas from its own copy while the server could not be reached', async () => {
    const atlas = await createAtlas(server.url)
    const device = await newDevice()
    const first = await openAtlasPage(device, server.url + atlas.editUrl, 'Sanne')
    await expect
      .poll(() => localCopies(first, atlas.id), { timeout: 10_000 })
      .toContain(`netwerkatlas:${atlas.id}:edit`)
    await first.close()

    // The server cannot be reached; the page opens from the device's copy.
    let reachable = false
    await device.route('**/api/**', (route) => (reachable ? route.continue() : route.abort()))
    await device.routeWebSocket(/\/sync\b/, (ws) => {
      if (reachable) ws.connectToServer()
      else ws.close()
    })
    const page = await device.newPage()
    await page.goto(server.url + atlas.editUrl)
    await page.locator('.connection[data-state="offline"]').waitFor({ timeout: 15_000 })

    // Meanwhile the atlas is deleted from another device; then the server can be reached again.
    const erased = await fetch(`${server.url}/api/atlases/${atlas.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${atlas.editToken}` },
    })
    expect(erased.status).toBe(204)
    reachable = true
    await page
      .getByRole('heading', { name: 'Deze atlas is verwijderd' })
      .waitFor({ timeout: 15_000 })
    await expect.poll(() => localCopies(page, atlas.id), { timeout: 10_000 }).toEqual([])
    expect(await storedLinks(page)).not.toContain(atlas.id)
  })
})
