/**
 * Netwerkatlas can be put on the home screen like an app: the install criteria checked as a test
 * (the manifest's fields and icons, a service worker that controls the page and answers its
 * requests), and Chromium's own verdict (`Page.getInstallabilityErrors`) is that nothing is missing.
 */
import { fileURLToPath } from 'node:url'
import type { BrowserContext } from 'playwright-core'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromiumProfile } from '../helpers/browser'
import { makeDataDir, removeDir, startTestServer, type TestServer } from '../helpers/server'

let server: TestServer | undefined
let context: BrowserContext | undefined
let profile: string | undefined

beforeAll(async () => {
  server = await startTestServer({
    env: { CLIENT_DIR: fileURLToPath(new URL('../../dist/client', import.meta.url)) },
  })
  // Chromium installs no app from an off-the-record context ("in-incognito"), which is what
  // `browser.newContext()` makes: a profile on disk, as on a person's tablet.
  profile = await makeDataDir()
  context = await launchChromiumProfile(profile, { viewport: { width: 1280, height: 800 } })
})

afterAll(async () => {
  await context?.close()
  await server?.close()
  if (profile) await removeDir(profile)
})

interface ManifestIcon {
  src: string
  sizes: string
  type?: string
  purpose?: string
}

describe('installing the app', () => {
  it('meets the install criteria, and Chromium reports no installability error', async () => {
    if (!server || !context) throw new Error('not started')
    const { url } = server
    const page = await context.newPage()
    await page.goto(url)

    // The manifest the page links to, served as a manifest.
    const href = await page.locator('link[rel="manifest"]').getAttribute('href')
    expect(href).toBeTruthy()
    const response = await page.request.get(new URL(href ?? '', url).href)
    expect(response.status()).toBe(200)
    expect(response.headers()['content-type']).toContain('application/manifest+json')
    const manifest = (await response.json()) as {
      name?: string
      short_name?: string
      lang?: string
      start_url?: string
      display?: string
      theme_color?: string
      background_color?: string
      icons?: ManifestIcon[]
    }
    expect(manifest).toMatchObject({
      name: 'Netwerkatlas',
      short_name: 'Netwerkatlas',
      lang: 'nl',
      start_url: '/',
      display: 'standalone',
    })
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i)
    expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i)

    // Icons of 192 and 512 px, and a maskable one: each a PNG of the size it claims.
    const icons = manifest.icons ?? []
    const purposes = (icon: ManifestIcon) => (icon.purpose ?? 'any').split(/\s+/)
    const any = icons.filter((i) => purposes(i).includes('any')).map((i) => i.sizes)
    expect(any).toEqual(expect.arrayContaining(['192x192', '512x512']))
    expect(icons.some((i) => purposes(i).includes('maskable'))).toBe(true)
    for (const icon of icons) {
      const image = await page.request.get(new URL(icon.src, url).href)
      expect(image.status(), icon.src).toBe(200)
      expect(image.headers()['content-type'], icon.src).toBe('image/png')
      const png = PNG.sync.read(await image.body())
      expect(`${png.width}x${png.height}`, icon.src).toBe(icon.sizes)
    }

    // The worker's script is never kept in a cache for long: a new build reaches every device.
    const worker = await page.request.get(new URL('/sw.js', url).href)
    expect(worker.status()).toBe(200)
    expect(worker.headers()['content-type']).toContain('javascript')
    expect(worker.headers()['cache-control']).toBe('no-cache')

    // A service worker controls the page and answers its requests (a fetch handler): after a
    // reload the page itself comes from the worker.
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null, undefined, {
      timeout: 60_000,
    })
    const reloaded = await page.reload()
    expect(reloaded?.fromServiceWorker()).toBe(true)
    expect(
      await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration()
        return registration?.active?.state ?? null
      }),
    ).toBe('activated')

    // Chromium's own checks of the manifest and of installability.
    const cdp = await context.newCDPSession(page)
    const parsed = (await cdp.send('Page.getAppManifest')) as {
      errors: { message: string; critical: number }[]
    }
    expect(parsed.errors).toEqual([])
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors')
    expect(installabilityErrors).toEqual([])
  }, 120_000)
})
