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

const VIEWPORT = { width: 1280, height: 800 }

/** Ids of the geo shapes in the page's editor, sorted. */
function geoIds(page: Page): Promise<string[]> {
  return page.evaluate(`window.editor
    ? window.editor.getCurrentPageShapes().filter((s) => s.type === 'geo').map((s) => s.id).sort()
    : []`)
}

describe("the device's own copy", () => {
  it('holds an atlas from its first sync, and opens it when the server cannot be reached', async () => {
    const atlas = await createAtlas(server.url)
    const link = server.url + atlas.editUrl

    // Someone draws 30 shapes.
    const author = await openAtlasPage(
      await browser.newContext({ viewport: VIEWPORT }),
      link,
      'Ans',
    )
    await author.evaluate(`void window.editor.createShapes(Array.from({ length: 30 }, (_, i) => ({
      type: 'geo', x: (i % 6) * 160, y: Math.floor(i / 6) * 120, props: { w: 120, h: 80 },
    })))`)
    const drawn = await geoIds(author)
    expect(drawn).toHaveLength(30)

    // A new device opens the atlas: it all comes in the server's first answer.
    const device = await browser.newContext({ viewport: VIEWPORT })
    const first = await openAtlasPage(device, link, 'Sanne')
    await expect.poll(() => geoIds(first), { timeout: 15_000 }).toEqual(drawn)
    await first.close()

    // Later the sync server cannot be reached (the page itself still loads).
    await device.routeWebSocket(/\/sync\b/, (socket) => socket.close())
    const later = await device.newPage()
    await later.goto(link)
    await later.locator('.connection[data-state="offline"]').waitFor()
    await expect.poll(() => geoIds(later), { timeout: 15_000 }).toEqual(drawn)
  })
})
