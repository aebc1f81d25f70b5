import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import type { CreateAtlasResponse } from '../../shared/api/atlases'
import { ImportAtlasResponse } from '../../shared/api/atlasFile'
import { readAtlasContent } from '../../shared/domain/content'
import { buildSampleAtlas, SAMPLE_ATLAS_TITLE, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { readEmbeddedAtlas } from '../../shared/export/embed'
import { INSTRUMENT_NAMES, INSTRUMENTS, type Instrument } from '../../shared/schema/pages'
import { RecordsMap } from '../../shared/sync/records'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { openAtlasPage } from '../helpers/browser'
import { createAtlas, syncedClient, waitFor } from '../helpers/clients'
import type { TestServer } from '../helpers/server'
import { PDF_WAIT } from '../helpers/sheets'

let server: TestServer
let browser: Browser
let atlas: CreateAtlasResponse
let context: BrowserContext
let page: Page
const providers: WebsocketProvider[] = []
const foreignRequests: string[] = []
/** A PNG exported with the atlas inside (made by a test below). */
let keptPng: Buffer | null = null
const sample = readAtlasContent(buildSampleAtlas())

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
  atlas = await createAtlas(server.url, SAMPLE_ATLAS_TITLE)
  const records = buildSampleAtlas()
  const writer = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
  providers.push(writer)
  seedAtlasDoc(writer.doc, records)
  await waitFor(async () => {
    const reader = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
    const size = new RecordsMap(reader.doc).size
    reader.destroy()
    return size === records.length
  }, 'the server to hold the sample atlas')
  context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    acceptDownloads: true,
  })
  context.on('request', (request) => {
    const url = new URL(request.url())
    if (!['data:', 'blob:'].includes(url.protocol) && url.origin !== server.url)
      foreignRequests.push(request.url())
  })
  page = await openAtlasPage(context, server.url + atlas.editUrl, 'Begeleider')
  await page.getByTestId('export-button').click()
  await page.getByTestId('export-dialog').waitFor()
})

afterAll(async () => {
  for (const provider of providers) provider.destroy()
  await context?.close()
  await closeAppAndBrowser(server, browser)
})

/** Presses Downloaden in the open dialog and returns the file's name and bytes. */
async function downloadFrom(p: Page): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([
    p.waitForEvent('download', PDF_WAIT),
    p.getByTestId('export-download').click(),
  ])
  const bytes = await readFile(await download.path())
  await p.getByTestId('export-status').getByText(/Klaar/).waitFor()
  return { name: download.suggestedFilename(), bytes }
}

const radio = (p: Page, name: string | RegExp) => p.getByRole('radio', { name, exact: true })

/** Share of the pixels in a box of the image that are clearly not white paper. */
function inkShare(png: PNG, box: { x: number; y: number; w: number; h: number }): number {
  let ink = 0
  let all = 0
  for (let y = Math.floor(box.y); y < box.y + box.h; y += 2) {
    for (let x = Math.floor(box.x); x < box.x + box.w; x += 2) {
      const i = (png.width * y + x) * 4
      const [r, g, b] = [png.data[i] ?? 255, png.data[i + 1] ?? 255, png.data[i + 2] ?? 255]
      all++
      if (r < 235 || g < 235 || b < 235) ink++
    }
  }
  return ink / all
}

/** The resolutions the PNG's pHYs chunks say (dots per inch), in file order. */
function physDpi(bytes: Buffer): number[] {
  const found: number[] = []
  for (let at = 8; at + 12 <= bytes.length; ) {
    const length = bytes.readUInt32BE(at)
    if (bytes.toString('latin1', at + 4, at + 8) === 'pHYs') {
      found.push(Math.round(bytes.readUInt32BE(at + 8) * 0.0254))
    }
    at += 12 + length
  }
  return found
}

/** The names of the persons that appear on an instrument, as the contact schedule or a map. */
function namesOn(instrument: Instrument): string[] {
  if (instrument === 'contactschema')
    return [...new Set(sample.contacts.flatMap((c) => [c.who.name, c.withWhom.name]))]
  return sample.persons.filter((p) => p.maps.includes(instrument)).map((p) => p.name)
}

describe('export', () => {
  it('keeps keys typed in the dialog away from the canvas shortcuts', async () => {
    await radio(page, INSTRUMENT_NAMES.familiekaart).focus()
    await page.keyboard.press('p')
    await page.keyboard.press('r')
    await page.keyboard.press('ArrowDown')
    const tool = await page.evaluate(() =>
      (window as unknown as { editor: { getCurrentToolId(): string } }).editor.getCurrentToolId(),
    )
    expect(tool).toBe('select')
    await expect(radio(page, INSTRUMENT_NAMES.relatiekaart).isChecked()).resolves.toBe(true)
  })

  it('exports every instrument as a PNG of the paper size, with ink where the map is', async () => {
    await radio(
      page,
      'Afbeelding van één kaart Om te versturen of op een scherm te laten zien.',
    ).check()
    for (const instrument of INSTRUMENTS) {
      await radio(page, INSTRUMENT_NAMES[instrument]).check()
      await radio(page, 'PNG (foto)').check()
      const { name, bytes } = await downloadFrom(page)
      expect(name).toBe(`${SAMPLE_ATLAS_TITLE} - ${INSTRUMENT_NAMES[instrument]}.png`)
      const png = PNG.sync.read(bytes)
      // A4 landscape at 150 dpi (the defaults), and the file says so.
      expect([png.width, png.height]).toEqual([1754, 1240])
      expect(physDpi(bytes)).toEqual([150])
      // The title, the client's name and the date in the header; the map below it.
      expect(inkShare(png, { x: 60, y: 40, w: 700, h: 150 })).toBeGreaterThan(0.04)
      const body = { x: 80, y: 260, w: 1594, h: 900 }
      expect(inkShare(png, body), instrument).toBeGreaterThan(0.01)
    }
  })

  it('makes an A3 PNG at 300 dpi with that many pixels', async () => {
    await radio(page, INSTRUMENT_NAMES.relatiekaart).check()
    await radio(page, 'PNG (foto)').check()
    await radio(page, 'A3').check()
    await radio(page, 'Heel scherp (300 dpi)').check()
    const { bytes } = await downloadFrom(page)
    const png = PNG.sync.read(bytes)
    expect([png.width, png.height]).toEqual([4961, 3508])
    expect(physDpi(bytes)).toEqual([300])
    expect(inkShare(png, { x: 240, y: 800, w: 4480, h: 2500 })).toBeGreaterThan(0.1)
    await radio(page, 'A4').check()
    await radio(page, 'Normaal (150 dpi)').check()
  })

  it('exports every instrument as an SVG that holds the persons’ names as text', async () => {
    for (const instrument of INSTRUMENTS) {
      await radio(page, INSTRUMENT_NAMES[instrument]).check()
      await radio(page, 'SVG (tekening)').check()
      const { name, bytes } = await downloadFrom(page)
      expect(name.endsWith('.svg')).toBe(true)
      const parsed = await page.evaluate((svg) => {
        const doc = new DOMParser().parseFromString(svg, 'image/svg+xml')
        const error = doc.querySelector('parsererror')
        const root = doc.documentElement
        return {
          error: error?.textContent ?? null,
          root: root.nodeName,
          width: root.getAttribute('width'),
          text: root.textContent ?? '',
          fonts: [...doc.querySelectorAll('style')].map((s) => s.textContent ?? '').join(''),
          external: [...doc.querySelectorAll('[href]')]
            .map((e) => e.getAttribute('href') ?? '')
            .filter((href) => !href.startsWith('data:') && !href.startsWith('#')),
        }
      }, bytes.toString('utf8'))
      expect(parsed.error).toBeNull()
      expect(parsed.root).toBe('svg')
      expect(parsed.width).toBe('297mm')
      expect(parsed.text).toContain(INSTRUMENT_NAMES[instrument])
      expect(parsed.text).toContain('Sanne')
      for (const person of namesOn(instrument)) expect(parsed.text, instrument).toContain(person)
      // The font travels inside the file; nothing points outside it.
      expect(parsed.fonts).toMatch(/@font-face\{[^}]*src:url\(data:font\/woff2;base64,/)
      expect(parsed.external).toEqual([])
    }
  })

  it('keeps the atlas out of an image to send, and in an image to keep; the kept one opens again', async () => {
    await radio(page, INSTRUMENT_NAMES.relatiekaart).check()
    await radio(page, 'PNG (foto)').check()
    await radio(page, 'Om te versturen').check()
    const embed = page.getByRole('checkbox', { name: 'Atlas in de afbeelding bewaren' })
    await expect(embed.isChecked()).resolves.toBe(false)
    await expect(page.getByText(/Er zitten geen andere gegevens in/).isVisible()).resolves.toBe(
      true,
    )
    // "Versturen" hands the file to another app where the device can; this one downloads it.
    await expect(page.getByTestId('export-download').textContent()).resolves.toContain('Versturen')
    const sent = await downloadFrom(page)
    await page.getByText(/Versturen lukt hier niet/).waitFor()
    await expect(readEmbeddedAtlas(new Uint8Array(sent.bytes))).resolves.toEqual({
      kind: 'no-data',
    })

    await radio(page, 'Om zelf te bewaren').check()
    await expect(embed.isChecked()).resolves.toBe(true)
    await expect(page.getByTestId('export-download').textContent()).resolves.toContain('Downloaden')
    const kept = await downloadFrom(page)
    keptPng = kept.bytes
    const embedded = await readEmbeddedAtlas(new Uint8Array(kept.bytes))
    if (embedded.kind !== 'atlas') throw new Error(`expected an atlas, got ${embedded.kind}`)
    // The image still decodes as the same picture size.
    expect(PNG.sync.read(kept.bytes).width).toBe(1754)

    const response = await fetch(`${server.url}/api/atlases/import`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: embedded.json,
    })
    expect(response.status).toBe(201)
    const created = ImportAtlasResponse.parse(await response.json())
    expect(created.skipped).toEqual([])
    const original = await syncedClient(server.wsUrl, atlas.id, atlas.viewToken)
    const copy = await syncedClient(server.wsUrl, created.id, created.viewToken)
    providers.push(original, copy)
    await waitFor(
      () => new RecordsMap(copy.doc).size === new RecordsMap(original.doc).size,
      'the copy to hold every record',
    )
    const copied = readAtlasContent(copy.doc)
    expect(copied).toEqual(readAtlasContent(original.doc))
    expect(copied.persons.map((p) => p.name)).toEqual(sample.persons.map((p) => p.name))

    // An SVG to keep carries it too.
    await radio(page, 'SVG (tekening)').check()
    const svg = await downloadFrom(page)
    const fromSvg = await readEmbeddedAtlas(new Uint8Array(svg.bytes))
    expect(fromSvg.kind).toBe('atlas')
  })

  it('exports the whole atlas as a PDF: a title page and one landscape page per instrument', async () => {
    await radio(page, 'De hele atlas als PDF Om te printen en op te hangen.').check()
    await expect(
      page.getByText('6 pagina’s: een titelpagina en 5 kaarten.').isVisible(),
    ).resolves.toBe(true)
    const a4 = await downloadFrom(page)
    expect(a4.name).toBe(`${SAMPLE_ATLAS_TITLE}.pdf`)
    const pdf = await PDFDocument.load(a4.bytes)
    expect(pdf.getPageCount()).toBe(6)
    // The title page is text (fonts, no picture); the maps are pictures at print resolution.
    const resources = (i: number) => pdf.getPage(i).node.Resources()
    const entries = (i: number, kind: string) =>
      (resources(i)?.lookupMaybe(PDFName.of(kind), PDFDict)?.keys() ?? []).length
    expect(entries(0, 'Font')).toBeGreaterThan(0)
    expect(entries(0, 'XObject')).toBe(0)
    expect(entries(1, 'XObject')).toBe(1)
    expect(pdf.getTitle()).toBe(SAMPLE_ATLAS_TITLE)
    for (const p of pdf.getPages()) {
      const { width, height } = p.getSize()
      expect(width).toBeCloseTo(841.89, 1)
      expect(height).toBeCloseTo(595.28, 1)
    }
  })

  it('makes a PDF of the instruments chosen, in the order chosen, on A3', async () => {
    const dialog = page.getByTestId('export-dialog')
    await dialog.getByRole('checkbox', { name: 'Basisposter' }).uncheck()
    await dialog.getByRole('checkbox', { name: 'Contactschema' }).uncheck()
    await dialog.getByRole('button', { name: 'Relatiekaart naar boven' }).click()
    await radio(page, 'A3').check()
    await expect(
      page.getByText('4 pagina’s: een titelpagina en 3 kaarten.').isVisible(),
    ).resolves.toBe(true)
    const previews = page.getByTestId('export-preview').locator('img')
    await waitFor(async () => (await previews.count()) === 4, 'four previews')
    const alts = await previews.evaluateAll((imgs) => imgs.map((i) => i.getAttribute('alt')))
    expect(alts).toEqual([
      `Voorbeeld van ${SAMPLE_ATLAS_TITLE}`,
      'Voorbeeld van Relatiekaart',
      'Voorbeeld van Familiekaart',
      'Voorbeeld van Gebeurteniskaart',
    ])
    const a3 = await downloadFrom(page)
    const pdf = await PDFDocument.load(a3.bytes)
    expect(pdf.getPageCount()).toBe(4)
    const { width, height } = pdf.getPage(0).getSize()
    expect(width).toBeCloseTo(1190.55, 1)
    expect(height).toBeCloseTo(841.89, 1)
  })

  it('saves the atlas file from the same dialog', async () => {
    await radio(
      page,
      'Atlasbestand (reservekopie) Alles uit de atlas in één bestand. Later kun je het weer openen.',
    ).check()
    const file = await downloadFrom(page)
    expect(file.name).toBe(`${SAMPLE_ATLAS_TITLE}.netwerkatlas`)
    const read = await readEmbeddedAtlas(new Uint8Array(file.bytes))
    expect(read.kind).toBe('atlas')
  })

  it('lets a view link export until the owner switches that off', async () => {
    const viewerContext = await browser.newContext({
      viewport: { width: 1440, height: 1000 },
      acceptDownloads: true,
    })
    const viewer = await openAtlasPage(viewerContext, server.url + atlas.viewUrl, 'Kijker')
    await viewer.getByTestId('export-button').click()
    await radio(viewer, INSTRUMENT_NAMES.familiekaart).check()
    const { bytes } = await downloadFrom(viewer)
    expect(PNG.sync.read(bytes).width).toBe(1754)
    await viewer.getByRole('button', { name: 'Sluiten' }).click()

    const folders = await readdir(join(server.dataDir, 'atlases'))
    await page.getByTestId('viewers-may-export').uncheck()
    await viewer.getByTestId('export-button').click()
    await viewer
      .getByText('De eigenaar van deze atlas heeft exporteren uitgezet voor de kijklink.')
      .waitFor()
    await expect(viewer.getByTestId('export-download').count()).resolves.toBe(0)
    // The switch is the owner's: a viewer has none.
    await expect(viewer.getByTestId('viewers-may-export').count()).resolves.toBe(0)
    await page.getByTestId('viewers-may-export').check()
    await viewer.getByTestId('export-download').waitFor()
    expect(await readdir(join(server.dataDir, 'atlases'))).toEqual(folders)
    await viewerContext.close()
  })

  it('asks what to do with an image that carries an atlas when it is dropped on the canvas', async () => {
    if (!keptPng) throw new Error('the PNG to keep was made above')
    const dropPng = () =>
      page.locator('.tl-canvas').evaluate(
        (canvas, bytes) => {
          const transfer = new DataTransfer()
          transfer.items.add(new File([new Uint8Array(bytes)], 'Sanne.png', { type: 'image/png' }))
          const { x, y, width, height } = canvas.getBoundingClientRect()
          const at = { clientX: x + width / 2, clientY: y + height / 2 }
          for (const type of ['dragenter', 'dragover', 'drop']) {
            canvas.dispatchEvent(
              new DragEvent(type, {
                bubbles: true,
                cancelable: true,
                dataTransfer: transfer,
                ...at,
              }),
            )
          }
        },
        Array.from(keptPng as Buffer),
      )
    const countImages = () =>
      page.evaluate(() => {
        const editor = (
          window as unknown as { editor: { getCurrentPageShapes(): { type: string }[] } }
        ).editor
        return editor.getCurrentPageShapes().filter((s) => s.type === 'image').length
      })
    await page.keyboard.press('Escape')
    await page.getByTestId('export-dialog').waitFor({ state: 'detached' })

    // As a picture: tldraw puts it on the map as usual.
    const before = await countImages()
    await dropPng()
    await page.getByText('In deze afbeelding zit een atlas').waitFor()
    await page.getByText(/Er zit een atlas in: Voorbeeldatlas van Sanne/).waitFor()
    await page.getByRole('button', { name: 'Als plaatje op de kaart zetten' }).click()
    await waitFor(async () => (await countImages()) === before + 1, 'the picture on the map')
    // The picture in this atlas does not carry the other atlas.
    const assetSources = () =>
      page.evaluate(() => {
        const editor = (
          window as unknown as {
            editor: { store: { allRecords(): { typeName: string; props?: { src?: string } }[] } }
          }
        ).editor
        return editor.store
          .allRecords()
          .filter((r) => r.typeName === 'asset')
          .map((r) => r.props?.src ?? '')
      })
    // tldraw stores the picture's bytes a moment after it placed the shape.
    let sources: string[] = []
    await waitFor(async () => {
      sources = await assetSources()
      return sources.length > 0 && sources.every((src) => src.startsWith('data:'))
    }, 'the picture stored')
    expect(sources).toHaveLength(1)
    const picture = Buffer.from((sources[0] as string).replace(/^data:[^,]*;base64,/, ''), 'base64')
    expect(picture.subarray(1, 4).toString()).toBe('PNG')
    await expect(readEmbeddedAtlas(new Uint8Array(picture))).resolves.toEqual({ kind: 'no-data' })

    // As an atlas: a new atlas with the same people opens.
    await dropPng()
    await page.getByRole('button', { name: 'Openen als nieuwe atlas' }).click()
    await page.waitForURL(
      (url) => url.pathname.startsWith('/atlas/') && !url.pathname.endsWith(atlas.id),
    )
    await page.locator('.connection[data-state="online"]').waitFor()
    const newId = new URL(page.url()).pathname.split('/').pop() as string
    const names = await page.evaluate(() => {
      const editor = (
        window as unknown as {
          editor: { store: { allRecords(): { typeName: string; name?: string }[] } }
        }
      ).editor
      return editor.store
        .allRecords()
        .filter((r) => r.typeName === 'person')
        .map((r) => r.name)
    })
    expect(newId).not.toBe(atlas.id)
    expect(names.sort()).toEqual(sample.persons.map((p) => p.name).sort())
  })

  it('asked nothing of another origin while exporting', () => {
    expect(foreignRequests).toEqual([])
  })
})
