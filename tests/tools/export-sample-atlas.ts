/**
 * Opens the sample atlas and exports it through the export dialog: each instrument as PNG and
 * SVG, and the whole atlas as a PDF on A4 and on A3. Writes the files and screenshots of the
 * dialog to the out dir and prints how long each export took.
 * Run: `npx vite build && npx tsx tests/tools/export-sample-atlas.ts [out-dir]`
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { INSTRUMENT_NAMES, INSTRUMENTS } from '../../shared/schema/pages'
import { launchChromium } from '../helpers/browser'
import { startTestServer } from '../helpers/server'

const outDir = process.argv[2] ?? 'exports'
const clientDir = fileURLToPath(new URL('../../dist/client', import.meta.url))

await mkdir(outDir, { recursive: true })
const server = await startTestServer({ env: { CLIENT_DIR: clientDir } })
const browser = await launchChromium()
try {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    acceptDownloads: true,
  })
  const page = await context.newPage()
  page.on('console', (m) => m.type() === 'error' && console.log('console:', m.text()))
  await page.goto(server.url)
  await page.getByRole('button', { name: 'Voorbeeldatlas van Sanne' }).click()
  await page.getByLabel('Jouw naam').fill('Begeleider')
  await page.getByRole('button', { name: 'Klaar' }).click()
  await page.locator('.connection[data-state="online"]').waitFor()
  await page.getByTestId('export-button').click()
  const dialog = page.getByTestId('export-dialog')
  await dialog.waitFor()
  await page.getByTestId('export-preview').locator('img').first().waitFor()
  await page.waitForTimeout(500)
  await writeFile(join(outDir, 'dialog-image.png'), await page.screenshot())

  const save = async (name: string) => {
    const started = Date.now()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-download').click(),
    ])
    const file = join(outDir, name)
    await download.saveAs(file)
    await page.getByTestId('export-status').getByText(/Klaar/).waitFor()
    console.log(`${name}: ${Date.now() - started} ms`)
  }
  for (const instrument of INSTRUMENTS) {
    await page.getByRole('radio', { name: INSTRUMENT_NAMES[instrument] }).check()
    await page.getByRole('radio', { name: /PNG/ }).check()
    await save(`${instrument}.png`)
    await page.getByRole('radio', { name: /SVG/ }).check()
    await save(`${instrument}.svg`)
  }
  // A PNG to keep carries the atlas; dropped on the canvas, the app asks what to do with it.
  await page.getByRole('radio', { name: 'Relatiekaart' }).check()
  await page.getByRole('radio', { name: /PNG/ }).check()
  await page.getByRole('radio', { name: 'Om zelf te bewaren' }).check()
  await writeFile(join(outDir, 'dialog-keep.png'), await page.screenshot())
  await save('relatiekaart-met-atlas.png')
  await page.keyboard.press('Escape')
  const kept = await readFile(join(outDir, 'relatiekaart-met-atlas.png'))
  await page.locator('.tl-canvas').evaluate((canvas, bytes) => {
    const transfer = new DataTransfer()
    transfer.items.add(new File([new Uint8Array(bytes)], 'Sanne.png', { type: 'image/png' }))
    for (const type of ['dragenter', 'dragover', 'drop'])
      canvas.dispatchEvent(
        new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }),
      )
  }, Array.from(kept))
  await page.getByText('In deze afbeelding zit een atlas').waitFor()
  await writeFile(join(outDir, 'drop-dialog.png'), await page.screenshot())
  await page.getByRole('button', { name: 'Niets doen' }).click()
  await page.getByTestId('export-button').click()

  await page.getByRole('radio', { name: /hele atlas als PDF/ }).check()
  await page.getByTestId('export-preview').locator('img').nth(5).waitFor()
  await page.waitForTimeout(500)
  await writeFile(join(outDir, 'dialog-pdf.png'), await page.screenshot())
  for (const paper of ['A4', 'A3']) {
    for (const dpi of ['150', '300']) {
      await page.getByRole('radio', { name: paper, exact: true }).check()
      await page.getByRole('radio', { name: new RegExp(`${dpi} dpi`) }).check()
      await save(`atlas-${paper}-${dpi}.pdf`)
    }
  }
} finally {
  await browser.close()
  await server.close()
}
