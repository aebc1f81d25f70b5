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

const OFFLINE_NL = 'Geen verbinding. Je kunt gewoon doorgaan; alles wordt bewaard.'

describe('the connection badge', () => {
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    it(`says in words, on the screen, that work goes on and is kept offline at ${width}×${height}`, async () => {
      const atlas = await createAtlas(server.url)
      const context = await browser.newContext({ viewport: { width, height } })
      try {
        const page = await openAtlasPage(context, server.url + atlas.editUrl, 'Opa')
        await context.setOffline(true)
        const badge = page.locator('.connection[data-state="offline"]')
        await badge.waitFor({ timeout: 15_000 })

        // Seen by everyone: the whole sentence is on the screen, inside the window.
        const words = badge.getByText(OFFLINE_NL, { exact: true })
        expect(await words.isVisible()).toBe(true)
        const box = await words.boundingBox()
        expect(box).not.toBeNull()
        if (box) {
          expect(box.x).toBeGreaterThanOrEqual(0)
          expect(box.y).toBeGreaterThanOrEqual(0)
          expect(box.x + box.width).toBeLessThanOrEqual(width)
          expect(box.y + box.height).toBeLessThanOrEqual(height)
        }
        // Nothing cuts the words off: the text fits its box.
        expect(
          await words.evaluate(
            (e) => e.scrollWidth <= e.clientWidth + 1 && e.scrollHeight <= e.clientHeight + 1,
          ),
        ).toBe(true)
        // It covers none of the other controls.
        const badgeBox = await badge.boundingBox()
        for (const control of await page
          .locator(
            '.atlas-left > *, .atlas-top > *, .atlas-bar > :not(.connection), .tlui-main-toolbar__tools, .tlui-main-toolbar__extras__controls',
          )
          .all()) {
          const other = await control.boundingBox()
          if (!badgeBox || !other) continue
          const apart =
            badgeBox.x >= other.x + other.width ||
            other.x >= badgeBox.x + badgeBox.width ||
            badgeBox.y >= other.y + other.height ||
            other.y >= badgeBox.y + badgeBox.height
          expect(apart, `the badge is clear of ${await control.getAttribute('class')}`).toBe(true)
        }
        // Heard once: the live region holds the sentence once, with no hidden copy or tooltip.
        expect(await badge.textContent()).toBe(OFFLINE_NL)
        expect(await badge.getAttribute('title')).toBeNull()

        // Back online, the sentence goes.
        await context.setOffline(false)
        await page.locator('.connection[data-state="online"]').waitFor({ timeout: 15_000 })
        expect(await page.getByText(OFFLINE_NL).count()).toBe(0)
      } finally {
        await context.close()
      }
    })
  }

  it('says it in English too', async () => {
    const atlas = await createAtlas(server.url)
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    try {
      await context.addInitScript(() => localStorage.setItem('netwerkatlas:language', 'en'))
      const page = await context.newPage()
      await page.goto(server.url + atlas.editUrl)
      await page.getByRole('textbox', { name: 'Your name' }).fill('Grandpa')
      await page.getByRole('button', { name: 'Done' }).click()
      await page.locator('.connection[data-state="online"]').waitFor({ timeout: 15_000 })
      await context.setOffline(true)
      const badge = page.locator('.connection[data-state="offline"]')
      await badge.waitFor({ timeout: 15_000 })
      expect(await badge.textContent()).toBe(
        'No connection. You can just carry on; everything is kept.',
      )
    } finally {
      await context.close()
    }
  })
})
