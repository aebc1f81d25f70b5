/**
 * Opens the sample atlas from the home page and takes a screenshot of each of its five pages
 * (and a print preview of the contact schedule).
 * Run: `npx vite build && npx tsx tests/tools/screenshot-sample-atlas.ts [out-dir] [width] [height]`
 * (the screen's size, 1440×900 when not given).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { INSTRUMENTS, instrumentPageId } from '../../shared/schema/pages'
import { launchChromium } from '../helpers/browser'
import { startTestServer } from '../helpers/server'

const outDir = process.argv[2] ?? 'screenshots'
const viewport = { width: Number(process.argv[3] ?? 1440), height: Number(process.argv[4] ?? 900) }
const clientDir = fileURLToPath(new URL('../../dist/client', import.meta.url))

await mkdir(outDir, { recursive: true })
const server = await startTestServer({ env: { CLIENT_DIR: clientDir } })
const browser = await launchChromium()
try {
  const context = await browser.newContext({ viewport })
  const page = await context.newPage()
  const showPage = (pageId: string) =>
    page.evaluate((id: string) => {
      const editor = (window as unknown as { editor: { setCurrentPage(id: string): void } }).editor
      editor.setCurrentPage(id)
    }, pageId)
  await page.goto(server.url)
  await writeFile(join(outDir, '0-home.png'), await page.screenshot())
  await page.getByRole('button', { name: 'Voorbeeldatlas van Sanne' }).click()
  await page.getByLabel('Jouw naam').fill('Begeleider')
  await page.getByRole('button', { name: 'Klaar' }).click()
  await page.locator('.connection[data-state="online"]').waitFor()
  for (const [i, instrument] of INSTRUMENTS.entries()) {
    await showPage(instrumentPageId(instrument))
    await page.waitForTimeout(600)
    const file = join(outDir, `${i + 1}-${instrument}.png`)
    await writeFile(file, await page.screenshot())
    console.log(`written ${file}`)
    if (instrument === 'basisposter') {
      await page.getByRole('button', { name: 'Poster invullen' }).click()
      const sheet = join(outDir, '1b-basisposter-invullen.png')
      await writeFile(sheet, await page.screenshot())
      console.log(`written ${sheet}`)
      await page.getByRole('button', { name: 'Poster sluiten' }).click()
    }
  }
  await showPage(instrumentPageId('contactschema'))
  await page.emulateMedia({ media: 'print' })
  await writeFile(join(outDir, '6-contactschema-print.png'), await page.screenshot())
  await writeFile(
    join(outDir, 'contactschema.pdf'),
    await page.pdf({ landscape: true, format: 'A4' }),
  )
  console.log(`written ${join(outDir, '6-contactschema-print.png')} and contactschema.pdf`)
} finally {
  await browser.close()
  await server.close()
}
