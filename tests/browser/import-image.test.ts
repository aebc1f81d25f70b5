import { mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { buildAtlasFile } from '../../shared/api/atlasFile'
import { buildSampleAtlas, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { embedAtlasInPng, embedAtlasInSvg } from '../../shared/export/embed'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { answerName } from '../helpers/browser'
import type { TestServer } from '../helpers/server'

/** Screenshots of the home page after each case, to look at (the folder is not committed). */
const shotsDir = fileURLToPath(new URL('../../.test-output/import-image', import.meta.url))

let server: TestServer
let browser: Browser

const TITLE = 'Atlas van Sanne uit een afbeelding'
const NO_ATLAS =
  "In deze afbeelding zit geen atlas. Alleen afbeeldingen die met 'Atlas in de afbeelding bewaren' zijn gemaakt, kun je hier openen. Er is niets veranderd."

function atlasJson(): string {
  const doc = new Y.Doc()
  seedAtlasDoc(doc, buildSampleAtlas())
  return JSON.stringify(buildAtlasFile(doc, TITLE))
}

/** A real 320×200 PNG: a blue field with a light band, as an exported map might start. */
function picture(): Buffer {
  const image = new PNG({ width: 320, height: 200 })
  for (let y = 0; y < 200; y++) {
    for (let x = 0; x < 320; x++) {
      const band = y > 70 && y < 130
      image.data.set(band ? [232, 240, 250, 255] : [31, 95, 174, 255], (y * 320 + x) * 4)
    }
  }
  return PNG.sync.write(image)
}

const drawing = `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="100" viewBox="0 0 160 100"><rect width="160" height="100" fill="#f6f5f1"/><circle cx="80" cy="50" r="30" fill="#1f5fae"/><path d="M10 90 L150 10" stroke="#a32020" stroke-width="4"/></svg>`

function atlasFolders(): Promise<string[]> {
  return readdir(join(server.dataDir, 'atlases')).catch(() => [])
}

async function homePage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  await page.goto(server.url)
  await page.getByRole('heading', { name: 'Atlasbestand openen' }).waitFor()
  return page
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true })
}

/** Requests the page sends to the import route. */
function importRequests(page: Page): string[] {
  const seen: string[] = []
  page.on('request', (request) => {
    if (request.url().endsWith('/api/atlases/import')) seen.push(request.method())
  })
  return seen
}

beforeAll(async () => {
  await mkdir(shotsDir, { recursive: true })
  ;({ server, browser } = await startAppAndBrowser())
})

afterAll(() => closeAppAndBrowser(server, browser))

describe('opening an image on the home page', () => {
  it('makes a new atlas of a PNG that carries one, chosen with the button', async () => {
    const png = Buffer.from(await embedAtlasInPng(new Uint8Array(picture()), atlasJson()))
    const page = await homePage()
    const before = await atlasFolders()

    const input = page.getByTestId('open-atlas-file')
    expect(await input.getAttribute('accept')).toContain('image/png')
    await input.setInputFiles({ name: 'Sanne.png', mimeType: 'image/png', buffer: png })

    const status = page.getByRole('status')
    await status.getByText(`Gelukt. Er is een nieuwe atlas gemaakt: ${TITLE}.`).waitFor()
    const link = status.getByRole('link', { name: 'Naar de atlas' })
    await expect.poll(() => link.evaluate((a) => a === document.activeElement)).toBe(true)
    const after = await atlasFolders()
    expect(after).toHaveLength(before.length + 1)
    const id = after.find((folder) => !before.includes(folder))
    expect(await link.getAttribute('href')).toBe(`/atlas/${id}`)
    // Remembered on this device like any new atlas.
    await page.locator('.atlas-list').getByText(TITLE).waitFor()
    await screenshot(page, '1-png-chosen')

    await link.click()
    await answerName(page, 'Begeleider')
    await page
      .locator('.tl-shape text')
      .filter({ hasText: /^Sanne$/ })
      .first()
      .waitFor()
    await page.context().close()
  })

  it('says so when a PNG carries no atlas, and creates nothing', async () => {
    const page = await homePage()
    const requests = importRequests(page)
    const before = await atlasFolders()

    await page
      .getByTestId('open-atlas-file')
      .setInputFiles({ name: 'foto.png', mimeType: 'image/png', buffer: picture() })

    await page.getByRole('alert').getByText(NO_ATLAS).waitFor()
    expect(await page.getByRole('status').count()).toBe(0)
    expect(requests).toEqual([])
    expect((await atlasFolders()).sort()).toEqual([...before].sort())
    await screenshot(page, '2-png-without-atlas')
    await page.context().close()
  })

  it('makes a new atlas of an SVG dropped on the drop zone', async () => {
    const svg = await embedAtlasInSvg(drawing, atlasJson())
    const page = await homePage()
    const before = await atlasFolders()

    const zone = page.getByTestId('drop-zone')
    await zone.getByText('Of sleep het bestand naar deze pagina.').waitFor()
    // Start a drag of a real File, built in the page, over the drop zone.
    await zone.evaluate((element, text) => {
      const transfer = new DataTransfer()
      transfer.items.add(new File([text], 'Sanne.svg', { type: 'image/svg+xml' }))
      ;(window as unknown as { testTransfer: DataTransfer }).testTransfer = transfer
      for (const type of ['dragenter', 'dragover']) {
        element.dispatchEvent(
          new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }),
        )
      }
    }, svg)
    await page.getByText('Laat het bestand los om het te openen').waitFor()
    expect(await zone.getAttribute('data-dragging')).toBe('true')
    await screenshot(page, '3a-dragging')

    const prevented = await zone.evaluate((element) => {
      const transfer = (window as unknown as { testTransfer: DataTransfer }).testTransfer
      const drop = new DragEvent('drop', {
        bubbles: true,
        cancelable: true,
        dataTransfer: transfer,
      })
      element.dispatchEvent(drop)
      return drop.defaultPrevented
    })
    // The page handled the drop itself: the browser does not open the file instead.
    expect(prevented).toBe(true)
    await page
      .getByRole('status')
      .getByText(`Gelukt. Er is een nieuwe atlas gemaakt: ${TITLE}.`)
      .waitFor()
    await expect.poll(() => page.getByText('Laat het bestand los om het te openen').count()).toBe(0)
    expect((await atlasFolders()).length).toBe(before.length + 1)
    await screenshot(page, '3b-svg-dropped')
    await page.context().close()
  })

  it('calls a damaged image damaged, also when dropped outside the drop zone', async () => {
    const png = new Uint8Array(await embedAtlasInPng(new Uint8Array(picture()), atlasJson()))
    png.copyWithin(png.length - 400, png.length - 800, png.length - 500) // inside our chunk
    const page = await homePage()
    // A laptop's screen: the message under the drop zone starts below its bottom.
    await page.setViewportSize({ width: 1280, height: 800 })
    const requests = importRequests(page)
    const before = await atlasFolders()

    await page.locator('h1').evaluate((element, bytes) => {
      const transfer = new DataTransfer()
      transfer.items.add(new File([new Uint8Array(bytes)], 'kapot.png', { type: 'image/png' }))
      element.dispatchEvent(
        new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }),
      )
    }, Array.from(png))

    await page
      .getByRole('alert')
      .getByText(
        'Dit bestand kan niet worden geopend. Het is geen atlasbestand, of het is beschadigd. Er is niets veranderd.',
      )
      .waitFor()
    // Below the drop zone: brought into view, not left under the bottom of the screen.
    const inView = () =>
      page.getByRole('alert').evaluate((element) => {
        const { top, bottom } = element.getBoundingClientRect()
        // Within a pixel: the browser scrolls by whole pixels.
        return top >= 0 && bottom <= window.innerHeight + 1
      })
    await expect.poll(inView).toBe(true)
    expect(requests).toEqual([])
    expect((await atlasFolders()).sort()).toEqual([...before].sort())
    await screenshot(page, '4-damaged-dropped-on-title')
    await page.context().close()
  })

  it('shows an SVG that carries an atlas exactly as before', async () => {
    const svg = await embedAtlasInSvg(drawing, atlasJson())
    const page = await homePage()
    const result = await page.evaluate(
      async ([plain, embedded]) => {
        const parsed = new DOMParser().parseFromString(embedded, 'image/svg+xml')
        async function pixels(text: string): Promise<number[]> {
          const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }))
          const image = new Image()
          image.src = url
          await image.decode()
          const canvas = document.createElement('canvas')
          canvas.width = 160
          canvas.height = 100
          const context = canvas.getContext('2d')
          if (!context) throw new Error('no 2d context')
          context.drawImage(image, 0, 0)
          URL.revokeObjectURL(url)
          return Array.from(context.getImageData(0, 0, 160, 100).data)
        }
        const [a, b] = await Promise.all([pixels(plain), pixels(embedded)])
        return {
          parseErrors: parsed.getElementsByTagName('parsererror').length,
          metadataFirst: parsed.documentElement.firstElementChild?.localName,
          same: a.length === b.length && a.every((v, i) => v === b[i]),
          inked: a.filter((v, i) => i % 4 === 3 && v > 0).length,
        }
      },
      [drawing, svg] as const,
    )
    expect(result.parseErrors).toBe(0)
    expect(result.metadataFirst).toBe('metadata')
    expect(result.inked).toBe(160 * 100)
    expect(result.same).toBe(true)
    await page.context().close()
  })
})
