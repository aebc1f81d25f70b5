/**
 * Visual needs in real Chromium: a device that asks for less motion gets none (our CSS and
 * tldraw's animation speed), and at 200 % zoom (a 1280 px screen seen as 640 px) the atlas bar,
 * the people panel and the dialogs keep every control reachable, scrolling where needed.
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
})

afterAll(() => closeAppAndBrowser(server, browser))

/** Opens the sample atlas from the home page (in Dutch) in a new context with `options`. */
async function openSample(options: BrowserContextOptions, init = ''): Promise<Page> {
  const context = await browser.newContext(options)
  if (init) await context.addInitScript(init)
  const page = await context.newPage()
  await page.goto(server.url)
  await page.getByRole('button', { name: 'Voorbeeldatlas van Sanne' }).click()
  await page.getByRole('textbox', { name: 'Jouw naam' }).fill('Begeleider')
  await page.getByRole('button', { name: 'Klaar' }).click()
  await page.waitForFunction(
    "window.editor && window.editor.getCurrentPageShapes().some((s) => s.type === 'person')",
  )
  await page.evaluate("void window.editor.setCurrentPage('page:relatiekaart')")
  await page.locator('.tl-shape[data-shape-type="person"]').first().waitFor()
  return page
}

/** Elements whose transitions or animations take time: tag, class and the durations. */
function moving(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const seconds = (list: string) =>
      Math.max(...list.split(',').map((d) => (d.trim().endsWith('ms') ? 0.001 : 1) * parseFloat(d)))
    const found: string[] = []
    for (const element of document.querySelectorAll('*')) {
      for (const pseudo of [null, '::before', '::after']) {
        const style = getComputedStyle(element, pseudo)
        const transition = seconds(style.transitionDuration) + seconds(style.transitionDelay)
        const animation = style.animationName === 'none' ? 0 : seconds(style.animationDuration)
        if (transition > 0.001 || animation > 0.001) {
          found.push(
            `${element.tagName.toLowerCase()}.${String(element.className).slice(0, 40)}${pseudo ?? ''}: ${style.transitionDuration} ${style.animationDuration}`,
          )
        }
      }
    }
    return found
  })
}

/**
 * Puts an element with a class of tldraw's that fades in (its contextual toolbar, shown only while
 * text is edited) into the page, so a transition of tldraw's own is there to be switched off.
 */
async function addFadingToolbar(page: Page): Promise<void> {
  await page.evaluate(() => {
    const toolbar = document.createElement('div')
    toolbar.className = 'tlui-contextual-toolbar'
    document.querySelector('.tl-container')?.append(toolbar)
  })
}

/** An animation speed once chosen in tldraw's menu, kept on the device. */
const STORED_SPEED = `localStorage.setItem('netwerkatlas:canvas-preferences', JSON.stringify({ animationSpeed: 1 }))`

describe('less motion', () => {
  it('moves nothing, and the canvas does not animate, when the device asks for less motion', async () => {
    const page = await openSample(
      { viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' },
      STORED_SPEED,
    )
    await addFadingToolbar(page)
    expect(await page.evaluate('window.editor.user.getAnimationSpeed()')).toBe(0)
    expect(await moving(page)).toEqual([])
    await page.context().close()
  })

  it('keeps the motion of a device that does not ask for less', async () => {
    const page = await openSample(
      { viewport: { width: 1280, height: 800 }, reducedMotion: 'no-preference' },
      STORED_SPEED,
    )
    await addFadingToolbar(page)
    expect(await page.evaluate('window.editor.user.getAnimationSpeed()')).toBe(1)
    expect((await moving(page)).length).toBeGreaterThan(0)
    await page.context().close()
  })
})

/**
 * The controls inside `root` that cannot be brought fully into view (scrolling only what a
 * person can scroll) or that something else covers there, each with its name and why.
 */
function unreachable(page: Page, root: string): Promise<string[]> {
  return page.evaluate((rootSelector) => {
    const roots = [...document.querySelectorAll(rootSelector)]
    if (roots.length === 0) return [`nothing matches ${rootSelector}`]
    const problems: string[] = []
    const controls = roots.flatMap((r) => [
      ...r.querySelectorAll<HTMLElement>(
        'button, a[href], input, select, textarea, summary, [tabindex]:not([tabindex="-1"])',
      ),
    ])
    for (const control of controls) {
      // Inside a folded section: reached by opening it (its summary is checked).
      const folded = control.closest('details:not([open])')
      if (folded && control.parentElement !== folded) continue
      const box = control.getBoundingClientRect()
      // Not drawn (display: none), or visually hidden on purpose (a file input behind its button).
      if (box.width <= 2 || box.height <= 2) continue
      const name = (control.getAttribute('aria-label') ?? control.textContent ?? control.tagName)
        .trim()
        .slice(0, 40)
      // Scroll it into view as a person would: the page and scrolling boxes, nothing clipped.
      const scrolled: Element[] = []
      for (let e = control.parentElement; e; e = e.parentElement) {
        scrolled.push(e)
        ;(e as HTMLElement).dataset.scrollBefore = `${e.scrollLeft},${e.scrollTop}`
      }
      control.scrollIntoView({ block: 'nearest', inline: 'nearest' })
      for (const e of scrolled) {
        const before = (e as HTMLElement).dataset.scrollBefore
        delete (e as HTMLElement).dataset.scrollBefore
        if (before === `${e.scrollLeft},${e.scrollTop}`) continue
        const style = getComputedStyle(e)
        const scrollable = (overflow: string) => overflow === 'auto' || overflow === 'scroll'
        const page = e === document.documentElement || e === document.body
        if (!page && !(scrollable(style.overflowX) || scrollable(style.overflowY))) {
          problems.push(`${name}: only reached by scrolling a box that cannot be scrolled`)
        }
      }
      const r = control.getBoundingClientRect()
      const fits = (from: number, to: number, size: number) =>
        to - from <= size ? from >= -1 && to <= size + 1 : from < size && to > 0
      if (!fits(r.left, r.right, innerWidth) || !fits(r.top, r.bottom, innerHeight)) {
        problems.push(
          `${name}: out of view at ${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}×${Math.round(r.height)}`,
        )
        continue
      }
      const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1)
      const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1)
      const hit = document.elementFromPoint(x, y)
      if (!hit || !(control === hit || control.contains(hit) || hit.contains(control))) {
        const by = hit ? `${hit.tagName.toLowerCase()}.${String(hit.className).slice(0, 40)}` : '?'
        problems.push(`${name}: covered by ${by}`)
      }
    }
    return problems
  }, root)
}

describe('at 200 % zoom (640 × 400)', () => {
  const ZOOMED = { width: 640, height: 400 }
  let page: Page

  beforeAll(async () => {
    page = await openSample({ viewport: ZOOMED })
  })

  afterAll(() => page.context().close())

  it('keeps every control of the atlas bar reachable', async () => {
    expect(await unreachable(page, '.atlas-bar')).toEqual([])
  })

  it('keeps the legend of the map reachable, open and folded', async () => {
    const legend = page.getByTestId('map-legend')
    const toggle = legend.locator('.map-legend-toggle')
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
    await legend.locator('li').first().waitFor()
    expect(await unreachable(page, '[data-testid="map-legend"]')).toEqual([])
    await toggle.click()
    await legend.locator('li').first().waitFor({ state: 'hidden' })
    expect(await unreachable(page, '[data-testid="map-legend"]')).toEqual([])
  })

  it('keeps every control of the people panel reachable, also with a person chosen', async () => {
    // On a small screen the list starts folded.
    const folded = page.locator('.people-toggle[aria-expanded="false"]')
    if ((await folded.count()) > 0) await folded.click()
    await page.locator('.person-row').first().waitFor()
    expect(await unreachable(page, '.people-panel')).toEqual([])
    await page.getByRole('button', { name: 'Laat zien waar Ria staat' }).click()
    await page.locator('.inspector').waitFor()
    expect(await unreachable(page, '.inspector')).toEqual([])
    await page.locator('.inspector-close').click()
  })

  it('keeps every control of the share dialog reachable', async () => {
    await page.getByRole('button', { name: 'Delen' }).click()
    await page.getByTestId('link').first().waitFor()
    expect(await unreachable(page, 'dialog[open]')).toEqual([])
    await page.keyboard.press('Escape')
    await page.locator('dialog[open]').waitFor({ state: 'detached' })
  })

  it('keeps every control of the export dialog reachable', async () => {
    await page.getByTestId('export-button').click()
    await page.getByTestId('export-dialog').waitFor()
    await page.getByTestId('export-preview').locator('img').first().waitFor({ timeout: 30_000 })
    expect(await unreachable(page, 'dialog[open]')).toEqual([])
    await page.keyboard.press('Escape')
    await page.getByTestId('export-dialog').waitFor({ state: 'detached' })
  })
})
