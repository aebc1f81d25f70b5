/**
 * E1: export of the sample atlas ("Voorbeeldatlas") in Chromium, through the export dialog as a
 * user does it: the time from pressing Downloaden to the finished file, for the whole atlas as a
 * PDF (A4 and A3, 150 and 300 dpi) and for one instrument as a PNG. Our client only; no peer.
 */
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { buildSampleAtlas, SAMPLE_ATLAS_TITLE, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { RecordsMap } from '../../shared/sync/records'
import { launchChromium, openAtlasPage } from '../../tests/helpers/browser'
import buildClient from '../../tests/helpers/build-client'
import { createAtlas, syncedClient, waitFor } from '../../tests/helpers/clients'
import { startTestServer } from '../../tests/helpers/server'
import { atMost, type Figure, type Results } from '../lib/results'

const PDF_LIMIT_MS = 5000
const figure = (name: string, target?: boolean): Figure => ({
  workload: 'E1',
  name,
  unit: 'ms',
  digits: 0,
  ...(target ? { target: `< ${PDF_LIMIT_MS} ms`, judge: atMost(PDF_LIMIT_MS) } : {}),
})

async function timedDownload(page: Page): Promise<number> {
  const started = performance.now()
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-download').click(),
  ])
  await download.path()
  const ms = performance.now() - started
  await page.getByTestId('export-status').getByText(/Klaar/).waitFor()
  return ms
}

export async function runExport(results: Results, trials: number, log: (l: string) => void) {
  await buildClient()
  const clientDir = fileURLToPath(new URL('../../dist/client', import.meta.url))
  const server = await startTestServer({ env: { CLIENT_DIR: clientDir } })
  const browser = await launchChromium()
  try {
    const atlas = await createAtlas(server.url, SAMPLE_ATLAS_TITLE)
    const records = buildSampleAtlas()
    const writer = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
    seedAtlasDoc(writer.doc, records)
    await waitFor(async () => {
      const reader = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
      const size = new RecordsMap(reader.doc).size
      reader.destroy()
      return size === records.length
    }, 'the server to hold the sample atlas')
    writer.destroy()

    const context = await browser.newContext({
      viewport: { width: 1440, height: 1000 },
      acceptDownloads: true,
      serviceWorkers: 'allow',
    })
    const page = await openAtlasPage(context, server.url + atlas.editUrl, 'Begeleider')
    await page.getByTestId('export-button').click()
    const radio = (name: string | RegExp) => page.getByRole('radio', { name })
    for (let trial = 1; trial <= trials; trial++) {
      log(`trial ${trial}/${trials}: E1 export`)
      await radio(/Afbeelding van één kaart/).check()
      await radio('Relatiekaart').check()
      await radio(/PNG/).check()
      await radio('A4').check()
      await radio(/150 dpi/).check()
      results.add(figure('PNG Relatiekaart A4 150 dpi'), 'ours', await timedDownload(page))
      await radio(/300 dpi/).check()
      results.add(figure('PNG Relatiekaart A4 300 dpi'), 'ours', await timedDownload(page))
      await radio(/hele atlas als PDF/).check()
      for (const paper of ['A4', 'A3']) {
        for (const dpi of [150, 300]) {
          await radio(paper).check()
          await radio(new RegExp(`${dpi} dpi`)).check()
          const name = `PDF sample atlas, 6 pages, ${paper} ${dpi} dpi`
          results.add(figure(name, true), 'ours', await timedDownload(page))
        }
      }
    }
    await context.close()
  } finally {
    await browser.close()
    await server.close()
  }
}
