/**
 * Makes `side-by-side.png`: two browsers on one atlas, each showing the other's cursor and name.
 * Run: `npx vite build && npx tsx tests/tools/screenshot-side-by-side.ts [out.png]`
 */
import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from '../helpers/browser'
import { createAtlas } from '../helpers/clients'
import { startTestServer } from '../helpers/server'

const out = process.argv[2] ?? 'side-by-side.png'
const clientDir = fileURLToPath(new URL('../../dist/client', import.meta.url))

async function open(browser: Browser, url: string, name: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 900, height: 640 } })
  const page = await context.newPage()
  await page.goto(url)
  await page.getByLabel('Jouw naam').fill(name)
  await page.getByRole('button', { name: 'Klaar' }).click()
  await page.locator('.connection[data-state="online"]').waitFor()
  return page
}

const server = await startTestServer({ env: { CLIENT_DIR: clientDir } })
const browser = await launchChromium()
try {
  const atlas = await createAtlas(server.url, 'Atlas van Sanne')
  const a = await open(browser, server.url + atlas.editUrl, 'Sanne')
  const b = await open(browser, server.url + atlas.editUrl, 'Zus')
  await a.getByTestId('tools.rectangle').click()
  await a.mouse.move(250, 250)
  await a.mouse.down()
  await a.mouse.move(420, 360, { steps: 8 })
  await a.mouse.up()
  await b.getByTestId('tools.rectangle').click()
  await b.mouse.move(480, 260)
  await b.mouse.down()
  await b.mouse.move(620, 380, { steps: 8 })
  await b.mouse.up()
  await a.mouse.move(330, 450, { steps: 6 })
  await b.mouse.move(560, 470, { steps: 6 })
  await a.waitForTimeout(800)
  const [shotA, shotB] = await Promise.all([a.screenshot(), b.screenshot()])
  const sheet = await (
    await browser.newContext({ viewport: { width: 1820, height: 700 } })
  ).newPage()
  const img = (png: Buffer, label: string) =>
    `<figure><figcaption>${label}</figcaption><img src="data:image/png;base64,${png.toString('base64')}"></figure>`
  await sheet.setContent(
    `<style>body{margin:0;display:flex;gap:20px;padding:10px;background:#333;font:16px sans-serif;color:#fff}figure{margin:0}img{display:block;border:1px solid #888}</style>${img(shotA, 'Browser A — Sanne')}${img(shotB, 'Browser B — Zus')}`,
  )
  await writeFile(out, await sheet.screenshot({ fullPage: true }))
  console.log(`written ${out}`)
} finally {
  await browser.close()
  await server.close()
}
