/**
 * A new build deployed while a page is open: the page finds it, says "Er is een nieuwe versie"
 * and loads it only when the user chooses. It never reloads by itself, and it does not offer the
 * reload while edits wait for the server or on the meeting screen. A part the page loads late
 * (the export) that the deploy removed asks, in words, to load the page again.
 */
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, openAtlasPage } from '../helpers/browser'
import { createAtlas, readShape, syncedClient, waitFor } from '../helpers/clients'
import { startTestServer, type TestServer } from '../helpers/server'

const builtClient = fileURLToPath(new URL('../../dist/client', import.meta.url))
const configFile = fileURLToPath(new URL('../../vite.config.ts', import.meta.url))
/** Where the screenshots go, to be looked at (not checked in). */
const OUTPUT = fileURLToPath(new URL('../../.test-output', import.meta.url))

let server: TestServer | undefined
let browser: Browser | undefined
/** The folder the server serves the client from; a new build replaces it while pages are open. */
let served: string

beforeAll(async () => {
  served = await mkdtemp(join(tmpdir(), 'netwerkatlas-served-client-'))
  // The build of the browser tests' setup is the version that is live at first.
  await cp(builtClient, served, { recursive: true })
  server = await startTestServer({ env: { CLIENT_DIR: served } })
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await rm(served, { recursive: true, force: true })
})

/** Builds the client into the served folder under another build id, as a deployment does. */
async function deployNewBuild(buildId: string): Promise<void> {
  const before = process.env.NETWERKATLAS_BUILD_ID
  process.env.NETWERKATLAS_BUILD_ID = buildId
  try {
    await build({
      configFile,
      logLevel: 'warn',
      build: { outDir: served, emptyOutDir: true },
    })
  } finally {
    if (before === undefined) delete process.env.NETWERKATLAS_BUILD_ID
    else process.env.NETWERKATLAS_BUILD_ID = before
  }
}

/** The page's main script: which build it runs. */
function mainScript(page: Page): Promise<string | null> {
  return page.evaluate(
    () => document.querySelector<HTMLScriptElement>('script[type="module"][src]')?.src ?? null,
  )
}

/** Asks the browser to look for a new service worker now (it does so itself on navigations). */
async function lookForUpdate(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration()
    await registration?.update()
  })
}

describe('a new version of the app', () => {
  it('is offered, loaded only when the user chooses, and held during the meeting and while edits wait', async () => {
    if (!server || !browser) throw new Error('not started')
    const atlas = await createAtlas(server.url)
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      serviceWorkers: 'allow',
    })
    try {
      const page = await openAtlasPage(context, server.url + atlas.editUrl, 'Ria')
      await page.waitForFunction(() => navigator.serviceWorker?.controller != null, undefined, {
        timeout: 60_000,
      })
      const firstScript = await mainScript(page)
      // A mark on this document: a reload of any kind would lose it.
      await page.evaluate(() => {
        ;(window as unknown as { notReloaded: boolean }).notReloaded = true
      })

      const oldWorker = await (await fetch(`${server.url}/sw.js`)).text()
      await deployNewBuild(`update-test-${Date.now()}`)
      // The deployment is a new worker (its list of files differs), which the page looks for.
      expect(await (await fetch(`${server.url}/sw.js`)).text()).not.toBe(oldWorker)
      await lookForUpdate(page)
      const notice = page.getByRole('region', { name: 'Er is een nieuwe versie.' })
      await notice.waitFor({ timeout: 60_000 })
      const load = notice.getByRole('button', { name: 'Nieuwe versie laden' })
      await load.waitFor()
      await mkdir(OUTPUT, { recursive: true })
      await page.screenshot({ path: join(OUTPUT, 'update-notice.png') })

      // On the meeting screen the reload waits for the end of the meeting.
      const meeting = await context.newPage()
      await meeting.goto(`${server.url}/atlas/${atlas.id}/bijeenkomst`)
      const meetingNotice = meeting.getByRole('region', { name: /Er is een nieuwe versie\./ })
      await meetingNotice.getByText('Laad de nieuwe versie na de bijeenkomst.').waitFor({
        timeout: 30_000,
      })
      expect(await meetingNotice.getByRole('button', { name: 'Nieuwe versie laden' }).count()).toBe(
        0,
      )
      await meeting.screenshot({ path: join(OUTPUT, 'update-notice-meeting.png') })
      await meeting.evaluate(() => {
        ;(window as unknown as { notReloaded: boolean }).notReloaded = true
      })

      // Without a connection edits may wait to be sent: the reload waits for them.
      await context.setOffline(true)
      await notice
        .getByText('Laad de nieuwe versie als je wijzigingen bij de server zijn.')
        .waitFor()
      expect(await load.count()).toBe(0)
      await context.setOffline(false)
      await page.locator('.connection[data-state="online"]').waitFor({ timeout: 20_000 })
      await load.waitFor()

      // Nothing reloaded by itself, all this time.
      expect(await page.evaluate('window.notReloaded')).toBe(true)
      expect(await mainScript(page)).toBe(firstScript)

      // The user chooses: this page loads the new build; the meeting screen stays as it is.
      await load.click()
      await waitFor(
        async () => (await page.evaluate('window.notReloaded').catch(() => true)) !== true,
        'the page to load the new version',
        30_000,
      )
      await page.locator('.connection[data-state="online"]').waitFor({ timeout: 20_000 })
      expect(await mainScript(page)).not.toBe(firstScript)
      await expect.poll(() => notice.count()).toBe(0)
      expect(await meeting.evaluate('window.notReloaded')).toBe(true)
    } finally {
      await context.close()
    }
  }, 240_000)
})

describe('a part of the app loaded late, gone after a deploy', () => {
  it('asks in words to load the page again, keeps the page whole, and loses nothing', async () => {
    if (!server || !browser) throw new Error('not started')
    const atlas = await createAtlas(server.url)
    // No service worker holds the old build's files (a browser without one, or before it has
    // them): only the server's folder counts, and the deploy empties it.
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      serviceWorkers: 'block',
    })
    try {
      const page = await openAtlasPage(context, server.url + atlas.editUrl, 'Ria')
      const errors: string[] = []
      page.on('pageerror', (error) => errors.push(String(error)))
      await page.waitForFunction(() => (window as { editor?: unknown }).editor !== undefined)
      await page.evaluate(() => {
        ;(window as unknown as { notReloaded: boolean }).notReloaded = true
      })
      const id: string = await page.evaluate(`(() => {
        const before = new Set(window.editor.getCurrentPageShapeIds())
        window.editor.createShapes([{ type: 'geo', x: 60, y: 60, props: { w: 120, h: 80 } }])
        return [...window.editor.getCurrentPageShapeIds()].find((id) => !before.has(id))
      })()`)
      const firstScript = await mainScript(page)

      await deployNewBuild(`part-test-${Date.now()}`)
      // The build the page runs is gone from the server.
      expect((await fetch(firstScript ?? '')).headers.get('content-type')).not.toMatch(/javascript/)

      await page.getByTestId('export-button').click()
      const notice = page.getByRole('region', {
        name: 'Er is een nieuwe versie. Laad de pagina opnieuw om dit te gebruiken.',
      })
      await notice.waitFor({ timeout: 30_000 })
      await notice.getByRole('button', { name: 'Nieuwe versie laden' }).waitFor()
      await mkdir(OUTPUT, { recursive: true })
      await page.screenshot({ path: join(OUTPUT, 'update-notice-part-missing.png') })
      // The same holds as for a new version: while edits may wait, it says when, without the button.
      await context.setOffline(true)
      await notice
        .getByText('Laad de nieuwe versie als je wijzigingen bij de server zijn.')
        .waitFor({ timeout: 15_000 })
      expect(await notice.getByRole('button', { name: 'Nieuwe versie laden' }).count()).toBe(0)
      await context.setOffline(false)
      await notice.getByRole('button', { name: 'Nieuwe versie laden' }).waitFor({ timeout: 20_000 })

      // The page is whole: no broken dialog, the canvas is there, nothing reloaded by itself.
      expect(await page.getByRole('dialog').count()).toBe(0)
      await page.locator('[data-testid="atlas-canvas"]').waitFor()
      expect(await page.evaluate('window.notReloaded')).toBe(true)
      expect(
        await page.evaluate(`window.editor.getShape(${JSON.stringify(id)}) !== undefined`),
      ).toBe(true)
      // The drawing made before is on the server too.
      const other = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
      try {
        await waitFor(
          () => readShape(other.doc, id.replace(/^shape:/, '')) !== undefined,
          'the drawing on the server',
        )
      } finally {
        other.destroy()
      }
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
  }, 240_000)
})
