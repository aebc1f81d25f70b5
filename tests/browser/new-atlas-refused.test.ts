/**
 * When the server makes no new atlas (too many from one network in a minute, or a disk nearly
 * full), the home page says so in plain Dutch, and the person can try again later.
 */
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/browser'
import { createAtlas } from '../helpers/clients'
import { removeDir, startTestServer, type TestServer } from '../helpers/server'

const clientDir = fileURLToPath(new URL('../../dist/client', import.meta.url))
let server: TestServer | undefined
let browser: Browser | undefined

afterEach(async () => {
  await browser?.close()
  await server?.close()
  if (server) await removeDir(server.dataDir)
  server = undefined
  browser = undefined
})

/** Fills in a client's name on the home page and presses "Maak de atlas"; returns the alert. */
async function makeAtlas(env: Record<string, string>, before?: (url: string) => Promise<void>) {
  server = await startTestServer({ env: { CLIENT_DIR: clientDir, ...env } })
  await before?.(server.url)
  browser = await launchChromium()
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await page.goto(server.url)
  await page.getByLabel('Naam van de klant').fill('Sanne')
  await page.getByRole('button', { name: 'Maak de atlas' }).click()
  const alert = page.locator('#create-error')
  await alert.waitFor()
  return { page, text: await alert.innerText() }
}

describe('a new atlas the server refuses', () => {
  it('says that many atlases were just made, and to wait a minute', async () => {
    const { text } = await makeAtlas({ ATLAS_CREATIONS_PER_MINUTE: '1' }, async (url) => {
      await createAtlas(url)
    })
    expect(text).toBe(
      'Het maken is niet gelukt. Er zijn net veel atlassen gemaakt vanaf dit netwerk. Wacht een minuut en probeer het opnieuw.',
    )
  })

  it('says that the server is almost full', async () => {
    const { page, text } = await makeAtlas({ MIN_FREE_DISK_MB: String(1024 * 1024 * 1024) })
    expect(text).toBe(
      'Het maken is niet gelukt. De server is bijna vol. Er kan nu geen nieuwe atlas bij. De atlassen die er al zijn, worden wel bewaard. Vraag de beheerder om hulp.',
    )
    // Still on the home page, with the name kept for another try.
    await expect(page.getByLabel('Naam van de klant').inputValue()).resolves.toBe('Sanne')
  })
})
