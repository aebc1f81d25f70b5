import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CloseCode } from '../../shared/sync/layout'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { openAtlasPage } from '../helpers/browser'
import { createAtlas, waitFor } from '../helpers/clients'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
})

afterAll(async () => {
  await closeAppAndBrowser(server, browser)
})

/** The server's closes of this atlas's sockets for an update it refused. */
function refusals(atlasId: string): string[] {
  return server.logs.filter(
    (l) =>
      l.includes('sync closed') &&
      l.includes(`atlas=${atlasId}`) &&
      l.includes(`code=${CloseCode.UpdateRefused}`),
  )
}

type Editor = {
  createShape(shape: object): void
  updateShape(shape: object): void
  getShape(id: string): { x: number } | undefined
}

/** Makes `count` rectangles with the page's editor; their ids. */
function makeShapes(page: Page, round: number, count: number): Promise<string[]> {
  return page.evaluate(
    ({ round, count }) => {
      const editor = (window as unknown as { editor: Editor }).editor
      const ids: string[] = []
      for (let i = 0; i < count; i++) {
        const id = `shape:offline-${round}-${i}`
        editor.createShape({ id, type: 'geo', x: 100 + i * 150, y: 100 + round * 20 })
        ids.push(id)
      }
      return ids
    },
    { round, count },
  )
}

describe('a page that drew offline comes back online', () => {
  it('keeps drawing while it syncs again, and the server never refuses its updates', async () => {
    const atlas = await createAtlas(server.url)
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      serviceWorkers: 'allow',
    })
    const contexts = [context]
    try {
      const page = await openAtlasPage(context, server.url + atlas.editUrl, 'Sanne')
      await page.locator('.connection[data-state="online"]').waitFor({ timeout: 15_000 })
      const ROUNDS = 8
      for (let round = 0; round < ROUNDS; round++) {
        await context.setOffline(true)
        await page.locator('.connection[data-state="offline"]').waitFor({ timeout: 15_000 })
        const ids = await makeShapes(page, round, 3)
        // A hand that keeps moving what it drew offline while the page reconnects.
        await page.evaluate((ids) => {
          const editor = (window as unknown as { editor: Editor }).editor
          let step = 0
          const timer = setInterval(() => {
            step++
            for (const id of ids) editor.updateShape({ id, type: 'geo', x: 100 + step })
            if (step >= 150) clearInterval(timer)
          }, 4)
        }, ids)
        await context.setOffline(false)
        await page.locator('.connection[data-state="online"]').waitFor({ timeout: 15_000 })
        // The moves end; the server's copy has the last of them.
        await waitFor(
          () =>
            page.evaluate(
              (ids) =>
                ids.every(
                  (id) => (window as unknown as { editor: Editor }).editor.getShape(id)?.x === 250,
                ),
              ids,
            ),
          `round ${round}: the moves are done`,
        )
      }
      expect(refusals(atlas.id)).toEqual([])
      // And the server holds every shape drawn offline: another device sees them all.
      const elsewhere = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        serviceWorkers: 'allow',
      })
      contexts.push(elsewhere)
      const other = await openAtlasPage(elsewhere, server.url + atlas.editUrl, 'Opa')
      await waitFor(
        () =>
          other.evaluate((rounds) => {
            const editor = (window as unknown as { editor: Editor }).editor
            for (let r = 0; r < rounds; r++) {
              for (let i = 0; i < 3; i++) {
                if (editor.getShape(`shape:offline-${r}-${i}`)?.x !== 250) return false
              }
            }
            return true
          }, ROUNDS),
        'a second page holds every shape drawn offline, moved',
        20_000,
      )
    } finally {
      for (const c of contexts) await c.close()
    }
  }, 180_000)
})
