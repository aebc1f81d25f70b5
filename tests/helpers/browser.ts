import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'

/** Debian's Chromium; playwright-core never downloads a browser here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Starts a real headless Chromium with no background traffic. Playwright gives each launch a
 * fresh temporary profile, and each `newContext()` its own storage (IndexedDB, localStorage).
 *
 * Its contexts (and `newPage()`'s) run without the app's service worker unless a test asks for
 * it with `serviceWorkers: 'allow'`, as the tests of the app on the device do: in a fresh
 * context the worker keeps the whole app (7 MB) at every first visit, which cost ~1.5 s per page
 * opened and ~2–3 s of the browser's CPU here.
 */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  })
  const newContext = browser.newContext.bind(browser)
  browser.newContext = (options = {}) => newContext({ serviceWorkers: 'block', ...options })
  return browser
}

/** No sandbox (containers), no GPU, and no traffic of the browser's own. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

/**
 * Starts Chromium with a profile on disk in `userDataDir` (an empty temporary folder): a
 * context that is not off the record, as a person's browser is (installing an app needs one).
 */
export function launchChromiumProfile(
  userDataDir: string,
  options: { viewport?: { width: number; height: number } } = {},
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    ...options,
  })
}

/** Answers the one-time name question of an atlas page and waits until it is online. */
export async function answerName(page: Page, name: string): Promise<void> {
  await page.getByLabel('Jouw naam').fill(name)
  await page.getByRole('button', { name: 'Klaar' }).click()
  await page.locator('.connection[data-state="online"]').waitFor({ timeout: 15_000 })
}

/** Opens an atlas link (absolute URL) in a new page of `context` as participant `name`. */
export async function openAtlasPage(
  context: BrowserContext,
  url: string,
  name: string,
): Promise<Page> {
  const page = await context.newPage()
  await page.goto(url)
  await answerName(page, name)
  return page
}

/**
 * Writes `update` into this browser context's copy of an atlas's edit link, as y-indexeddb keeps
 * it (one update a row): a change the device holds before the page opens. `page` must be on the
 * app's origin.
 */
export async function putInDeviceCopy(
  page: Page,
  atlasId: string,
  update: Uint8Array,
): Promise<void> {
  await page.evaluate(
    ({ name, update }) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open(name)
        request.onupgradeneeded = () => {
          request.result.createObjectStore('updates', { autoIncrement: true })
          request.result.createObjectStore('custom')
        }
        request.onerror = () => reject(request.error)
        request.onsuccess = () => {
          const tx = request.result.transaction('updates', 'readwrite')
          tx.objectStore('updates').add(new Uint8Array(update))
          tx.oncomplete = () => {
            request.result.close()
            resolve()
          }
        }
      }),
    { name: `netwerkatlas:${atlasId}:edit`, update: [...update] },
  )
}
