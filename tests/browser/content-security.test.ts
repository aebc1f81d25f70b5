/**
 * The built page works under its own Content-Security-Policy: the sample atlas opens, a person
 * draws on it, exports a map and the whole atlas, opens the plan and prints it, and the browser
 * reports no policy violation, no console error and no request outside the app's origin.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { answerName } from '../helpers/browser'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser
let context: BrowserContext
const foreign: string[] = []
const consoleErrors: string[] = []
/** Every `securitypolicyviolation` event of every document the context opened. */
const violations: string[] = []
/** Where the screenshot goes, to be looked at (not checked in). */
const OUTPUT = fileURLToPath(new URL('../../.test-output', import.meta.url))

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
  context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
  })
  await context.exposeFunction('reportViolation', (text: string) => violations.push(text))
  // Installed before any script of the page, in every document.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { reportViolation(text: string): void }).reportViolation
      report(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`)
    })
  })
  context.on('request', (request) => {
    const url = new URL(request.url())
    if (!['data:', 'blob:'].includes(url.protocol) && url.origin !== server.url)
      foreign.push(request.url())
  })
  context.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text())
  })
  context.on('weberror', (error) => consoleErrors.push(String(error.error())))
})

afterAll(async () => {
  await context?.close()
  await closeAppAndBrowser(server, browser)
})

describe('the page under its Content-Security-Policy', () => {
  it('opens the sample atlas, draws, exports and prints the plan without a violation', async () => {
    const page = await context.newPage()
    const home = await page.goto(server.url)
    expect(home?.headers()['content-security-policy']).toContain("script-src 'self'")
    await page.getByRole('button', { name: 'Voorbeeldatlas van Sanne' }).click()
    await answerName(page, 'Begeleider')
    await page.waitForFunction(
      "window.editor && window.editor.getCurrentPageShapes().some((s) => s.type === 'person')",
    )
    await page.evaluate("void window.editor.setCurrentPage('page:relatiekaart')")
    await page.locator('.tl-shape[data-shape-type="person"]').first().waitFor()

    // Draw a line by hand and a box, with the real mouse.
    const count = (type: string) =>
      page.evaluate(
        (t) =>
          (window as unknown as { editor: { getCurrentPageShapes(): { type: string }[] } }).editor
            .getCurrentPageShapes()
            .filter((s) => s.type === t).length,
        type,
      )
    const before = { draw: await count('draw'), geo: await count('geo') }
    for (const [key, from, to] of [
      ['d', { x: 520, y: 620 }, { x: 760, y: 700 }],
      ['r', { x: 900, y: 560 }, { x: 1040, y: 660 }],
    ] as const) {
      // Back to the select tool before the click that gives the canvas the keyboard.
      await page.evaluate("void window.editor.setCurrentTool('select')")
      await page.mouse.click(640, 120)
      await page.keyboard.press(key)
      await page.mouse.move(from.x, from.y)
      await page.mouse.down()
      for (let i = 1; i <= 10; i++) {
        await page.mouse.move(
          from.x + ((to.x - from.x) * i) / 10,
          from.y + ((to.y - from.y) * i) / 10,
        )
      }
      await page.mouse.up()
    }
    await expect.poll(() => count('draw')).toBe(before.draw + 1)
    await expect.poll(() => count('geo')).toBe(before.geo + 1)
    await page.keyboard.press('Escape')
    await mkdir(OUTPUT, { recursive: true })
    await page.screenshot({ path: join(OUTPUT, 'content-security-policy.png') })

    // Export: a map as a PNG (drawn through data: and blob: images), then the atlas as a PDF.
    await page.getByTestId('export-button').click()
    await page.getByTestId('export-dialog').waitFor()
    const radio = (name: string) => page.getByRole('radio', { name, exact: true })
    const download = async (expected: RegExp) => {
      const [file] = await Promise.all([
        page.waitForEvent('download', { timeout: 60_000 }),
        page.getByTestId('export-download').click(),
      ])
      expect(file.suggestedFilename()).toMatch(expected)
      await page.getByTestId('export-status').getByText(/Klaar/).waitFor({ timeout: 60_000 })
    }
    await radio('Afbeelding van één kaart Om te versturen of op een scherm te laten zien.').check()
    await radio('PNG (foto)').check()
    await download(/\.png$/)
    await radio('SVG (tekening)').check()
    await download(/\.svg$/)
    await radio('De hele atlas als PDF Om te printen en op te hangen.').check()
    await download(/\.pdf$/)
    await page.keyboard.press('Escape')

    // The plan, printed as a PDF.
    await page.goto(page.url().replace(/^(.*\/atlas\/[^#/]+)/, '$1/plan'))
    await page.getByTestId('plan-screen').waitFor({ timeout: 20_000 })
    const [pdf] = await Promise.all([
      page.waitForEvent('download', { timeout: 30_000 }),
      page.getByRole('button', { name: 'Plan printen' }).click(),
    ])
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/)

    expect(violations).toEqual([])
    expect(consoleErrors).toEqual([])
    expect(foreign).toEqual([])
  })
})
