import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mapsMessages } from '../../client/i18n/maps'
import { peopleMessages } from '../../client/i18n/people'
import { instrumentPageId } from '../../shared/schema/pages'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { answerName, openAtlasPage } from '../helpers/browser'
import { createAtlas } from '../helpers/clients'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser
const nl = mapsMessages.nl
const kinds = peopleMessages.nl.relation.kinds

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
})

afterAll(() => closeAppAndBrowser(server, browser))

interface Rect {
  x: number
  y: number
  w: number
  h: number
}

/** Opens the sample atlas on a device with this screen, as a participant who gives a name. */
async function openSample(width: number, height: number): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width, height } })).newPage()
  await page.goto(server.url)
  await page.getByRole('button', { name: 'Voorbeeldatlas van Sanne' }).click()
  await answerName(page, 'Begeleider')
  return page
}

/** Shows a page for the first time and waits until the app has zoomed it (its camera moved). */
async function showFresh(page: Page, pageId: string): Promise<void> {
  await page.evaluate((id) => {
    ;(window as unknown as { editor: { setCurrentPage(id: string): void } }).editor.setCurrentPage(
      id,
    )
  }, pageId)
  await expect
    .poll(() =>
      page.evaluate(() => {
        const { x, y, z } = (
          window as unknown as { editor: { getCamera(): { x: number; y: number; z: number } } }
        ).editor.getCamera()
        return x !== 0 || y !== 0 || z !== 1
      }),
    )
    .toBe(true)
  // Two frames for the shapes to be drawn at the new zoom.
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  )
}

/**
 * The names on the map as drawn on the screen: each person's name (SVG text) and each event
 * card's line of names (HTML), with their rendered size in px and their box.
 */
function namesOnScreen(page: Page) {
  return page.evaluate(() => {
    const editor = (window as unknown as { editor: { getZoomLevel(): number } }).editor
    const names: { text: string; px: number; box: Rect }[] = []
    const rect = (e: Element) => {
      const r = e.getBoundingClientRect()
      return { x: r.x, y: r.y, w: r.width, h: r.height }
    }
    for (const shape of document.querySelectorAll('.tl-shape[data-shape-type="person"]')) {
      // The name is the bold text under the symbol.
      const text = [...shape.querySelectorAll('text')].find(
        (t) => getComputedStyle(t).fontWeight === '700',
      )
      if (!text) continue
      const m = text.getScreenCTM() as DOMMatrix
      const px =
        Number.parseFloat(getComputedStyle(text).fontSize) * Math.sqrt(m.a * m.d - m.b * m.c)
      names.push({ text: text.textContent ?? '', px, box: rect(text) })
    }
    for (const shape of document.querySelectorAll('.tl-shape[data-shape-type="event"]')) {
      const line = [...shape.querySelectorAll('p')].find((p) =>
        /^(Met|With):/.test(p.textContent ?? ''),
      )
      // A card off the screen is culled by tldraw (not drawn): it has no size to measure.
      if (!line || line.offsetWidth === 0) continue
      const scale = line.getBoundingClientRect().width / line.offsetWidth
      names.push({
        text: line.textContent ?? '',
        px: Number.parseFloat(getComputedStyle(line).fontSize) * scale,
        box: rect(line),
      })
    }
    return { names, zoom: editor.getZoomLevel() }
  })
}

/** The boxes of the panels and controls on top of the canvas. */
function controls(page: Page, selector: string): Promise<(Rect & { name: string })[]> {
  return page.evaluate((sel) => {
    return [...document.querySelectorAll(sel)].map((e) => {
      const r = e.getBoundingClientRect()
      return { x: r.x, y: r.y, w: r.width, h: r.height, name: e.className.toString() }
    })
  }, selector)
}

const PANELS = '.atlas-left > *, .atlas-bar > *, .atlas-top > *, .tlui-main-toolbar'

/** A locator's box on the screen. */
async function boxOf(locator: ReturnType<Page['locator']>): Promise<Rect> {
  const b = await locator.boundingBox()
  if (!b) throw new Error('not on the screen')
  return { x: b.x, y: b.y, w: b.width, h: b.height }
}

const overlap = (a: Rect, b: Rect) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

/** Whether the element at the middle of `box` is `selector` or inside it (nothing covers it). */
function uncovered(page: Page, box: Rect, selector: string): Promise<boolean> {
  return page.evaluate(
    ([b, sel]) => {
      const hit = document.elementFromPoint(b.x + b.w / 2, b.y + b.h / 2)
      return !!hit?.closest(sel)
    },
    [box, selector] as const,
  )
}

describe('a map opened for the first time', () => {
  for (const [width, height] of [
    [1280, 800],
    [768, 1024],
    [390, 844],
  ] as const) {
    it(`shows names of at least 12 px at ${width}×${height}, some of them clear of the panels`, async () => {
      const page = await openSample(width, height)
      try {
        for (const instrument of ['familiekaart', 'relatiekaart', 'gebeurteniskaart'] as const) {
          await showFresh(page, instrumentPageId(instrument))
          const { names, zoom } = await namesOnScreen(page)
          const smallest = Math.min(...names.map((n) => n.px))
          console.log(
            `${width}×${height} ${instrument}: zoom ${Math.round(zoom * 100)} %, names ${smallest.toFixed(1)} px`,
          )
          expect(names.length, instrument).toBeGreaterThan(0)
          expect(smallest, instrument).toBeGreaterThanOrEqual(12)
          // Not an empty corner of the map: names are on the screen, not under a panel.
          const panels = await controls(page, PANELS)
          const shown = names.filter(
            (n) =>
              n.box.x >= 0 &&
              n.box.y >= 0 &&
              n.box.x + n.box.w <= width &&
              n.box.y + n.box.h <= height &&
              !panels.some((p) => overlap(p, n.box)),
          )
          expect(shown.length, instrument).toBeGreaterThanOrEqual(Math.min(2, names.length))
        }
      } finally {
        await page.context().close()
      }
    })
  }

  it('can still be zoomed out to show the whole relatiekaart', async () => {
    const page = await openSample(1280, 800)
    try {
      await showFresh(page, instrumentPageId('relatiekaart'))
      const whole = await page.evaluate(() => {
        const editor = (
          window as unknown as {
            editor: {
              zoomToFit(): void
              getCurrentPageBounds(): Rect
              getViewportPageBounds(): Rect
            }
          }
        ).editor
        editor.zoomToFit()
        const map = editor.getCurrentPageBounds()
        const view = editor.getViewportPageBounds()
        return (
          view.x <= map.x &&
          view.y <= map.y &&
          view.x + view.w >= map.x + map.w &&
          view.y + view.h >= map.y + map.h
        )
      })
      expect(whole).toBe(true)
    } finally {
      await page.context().close()
    }
  })
})

describe('the legend of the relatiekaart on the screen', () => {
  it('explains the signs beside the map, clear of its people, and folds away by keyboard', async () => {
    const page = await openSample(1600, 1000)
    try {
      await showFresh(page, instrumentPageId('relatiekaart'))
      const legend = page.getByRole('region', { name: nl.legend.title })
      await legend.waitFor()
      for (const word of [
        nl.legend.rings,
        nl.legend.sectors,
        kinds.strong,
        kinds.weak,
        kinds.tenuous,
        kinds.stressful,
        nl.legend.arrow,
      ])
        await legend.getByText(word, { exact: true }).waitFor()
      const box = await boxOf(legend)
      const people = await controls(page, '.tl-shape[data-shape-type="person"]')
      expect(people.length).toBeGreaterThan(0)
      for (const person of people) expect(overlap(person, box)).toBe(false)

      // By keyboard: the button says what it does and whether the legend is open.
      const toggle = legend.getByRole('button', { name: nl.legend.title })
      await toggle.focus()
      await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true')
      await page.keyboard.press('Enter')
      await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false')
      await expect(legend.getByText(kinds.strong).isVisible()).resolves.toBe(false)
      // The key stayed in the panel: no canvas shortcut ran.
      const tool = await page.evaluate(() =>
        (window as unknown as { editor: { getCurrentToolId(): string } }).editor.getCurrentToolId(),
      )
      expect(tool).toBe('select')
      await page.keyboard.press('Space')
      await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true')

      // Only the relatiekaart has it.
      await showFresh(page, instrumentPageId('familiekaart'))
      await expect(page.getByTestId('map-legend').count()).resolves.toBe(0)
    } finally {
      await page.context().close()
    }
  })

  for (const [width, height] of [
    [1280, 800],
    [1024, 768],
    [768, 1024],
    [390, 844],
  ] as const) {
    it(`keeps its button on the screen and uncovered, and covers no control, at ${width}×${height}`, async () => {
      const page = await openSample(width, height)
      try {
        await showFresh(page, instrumentPageId('relatiekaart'))
        const toggle = page.getByTestId('map-legend').getByRole('button', { name: nl.legend.title })
        for (const open of [false, true]) {
          if ((await toggle.getAttribute('aria-expanded')) !== String(open)) await toggle.click()
          const button = await boxOf(toggle)
          expect(button.x).toBeGreaterThanOrEqual(0)
          expect(button.y).toBeGreaterThanOrEqual(0)
          expect(button.x + button.w).toBeLessThanOrEqual(width)
          expect(button.y + button.h).toBeLessThanOrEqual(height)
          expect(button.h).toBeGreaterThanOrEqual(44)
          await expect(uncovered(page, button, '.map-legend-toggle')).resolves.toBe(true)
          const panel = await boxOf(page.getByTestId('map-legend'))
          for (const control of await controls(
            page,
            `${PANELS}, .tlui-navigation-panel, .tlui-menu-zone`,
          ))
            expect(overlap(panel, control), `${open ? 'open' : 'folded'} × ${control.name}`).toBe(
              false,
            )
        }
      } finally {
        await page.context().close()
      }
    })
  }
})

describe('an empty gebeurteniskaart', () => {
  it('says how to add an event, and the note goes with the first event', async () => {
    const atlas = await createAtlas(server.url, 'Atlas van Noor')
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    try {
      const page = await openAtlasPage(context, server.url + atlas.editUrl, 'Begeleider')
      await page.waitForFunction(() =>
        Boolean(
          (window as unknown as { editor?: { getShape(id: string): unknown } }).editor?.getShape(
            'shape:timeline',
          ),
        ),
      )
      await showFresh(page, instrumentPageId('gebeurteniskaart'))
      const hint = page.getByTestId('empty-timeline-hint')
      await hint.getByText(nl.emptyTimeline.title).waitFor()
      await hint.getByText(nl.emptyTimeline.edit).waitFor()
      const box = await boxOf(hint)
      await expect(uncovered(page, box, '.empty-timeline-hint')).resolves.toBe(true)
      for (const panel of await controls(page, PANELS)) expect(overlap(panel, box)).toBe(false)

      // Its button picks the tool; a click on the axis adds the event, and the note goes.
      await hint.getByRole('button', { name: nl.tools.event }).click()
      await expect
        .poll(() =>
          page.evaluate(() =>
            (
              window as unknown as { editor: { getCurrentToolId(): string } }
            ).editor.getCurrentToolId(),
          ),
        )
        .toBe('event')
      const axis = await page.evaluate(() => {
        const editor = (
          window as unknown as {
            editor: {
              getShapePageBounds(id: string): Rect
              pageToScreen(p: { x: number; y: number }): { x: number; y: number }
            }
          }
        ).editor
        const b = editor.getShapePageBounds('shape:timeline')
        return editor.pageToScreen({ x: b.x + b.w * 0.6, y: b.y + b.h * 0.3 })
      })
      await page.mouse.click(axis.x, axis.y)
      await expect.poll(() => hint.count()).toBe(0)

      // Someone who may only look reads that the events show here when someone adds them.
      const viewer = await browser.newContext({ viewport: { width: 1280, height: 800 } })
      try {
        const empty = await createAtlas(server.url, 'Atlas van Bram')
        // This device knows the participant's name already: no question this time.
        const editor = await context.newPage()
        await editor.goto(server.url + empty.editUrl)
        await editor.waitForFunction(() =>
          Boolean(
            (window as unknown as { editor?: { getShape(id: string): unknown } }).editor?.getShape(
              'shape:timeline',
            ),
          ),
        )
        const look = await openAtlasPage(viewer, server.url + empty.viewUrl, 'Kijker')
        await showFresh(look, instrumentPageId('gebeurteniskaart'))
        const note = look.getByTestId('empty-timeline-hint')
        await note.getByText(nl.emptyTimeline.view).waitFor()
        await expect(note.getByRole('button').count()).resolves.toBe(0)
      } finally {
        await viewer.close()
      }
    } finally {
      await context.close()
    }
  })
})
