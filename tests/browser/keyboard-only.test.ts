/**
 * Everything by keyboard alone: once the page is open, the test only presses keys (Tab,
 * Shift+Tab, Enter, Escape, arrows, letters). A person, a relation, a life event and an agreement
 * are made that way, and the server's copy of the atlas and of its plan must hold them.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { readAtlasContent } from '../../shared/domain/content'
import { readAgreements } from '../../shared/plan/layout'
import { setUpBrowserApp } from '../helpers/app'
import { createAtlas } from '../helpers/clients'

const app = setUpBrowserApp()
const { client } = app

/** What the keyboard is on: its accessible name as a person hears it, or "canvas". */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    if (!el || el === document.body) return ''
    if (el.classList.contains('tl-container')) return 'canvas'
    const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null
    return (el.getAttribute('aria-label') ?? label ?? el.textContent ?? el.tagName)
      .replace(/\s+/g, ' ')
      .trim()
  })
}

/**
 * Presses Tab (or Shift+Tab) until the keyboard is on the element named `name` (inside `within`,
 * a CSS selector, when given); fails when it does not get there within 150 presses.
 */
async function tabTo(
  page: Page,
  name: string | RegExp,
  { back = false, within }: { back?: boolean; within?: string } = {},
): Promise<void> {
  const matches = (now: string) => (typeof name === 'string' ? now === name : name.test(now))
  const inside = () =>
    within
      ? page.evaluate((sel) => !!document.activeElement?.closest(sel), within)
      : Promise.resolve(true)
  const seen: string[] = []
  for (let i = 0; i < 150; i++) {
    const now = await focused(page)
    if (matches(now) && (await inside())) return
    seen.push(now)
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab')
  }
  throw new Error(`Tab never reached "${name}"; it went through: ${seen.join(' | ')}`)
}

/** Goes to a map through the list of maps ("Kaarten"), with Tab and Enter. */
async function goToMap(page: Page, name: string, pageId: string): Promise<void> {
  await tabTo(page, /^Kaarten: /)
  await page.keyboard.press('Enter')
  await tabTo(page, name, { within: '[data-testid="page-menu.list"]' })
  await page.keyboard.press('Enter')
  await expect.poll(() => currentPage(page)).toBe(pageId)
}

/** The current page's id in the editor (read only; the keyboard does the moving). */
function currentPage(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      (
        window as unknown as { editor: { getCurrentPageId(): string } }
      ).editor.getCurrentPageId() as string,
  )
}

/**
 * The sample atlas on the server, opened from its edit link in a fresh 1280×800 Dutch device; the
 * name question is answered with keys. Also gives the server's copies of the atlas and its plan.
 */
async function openByKeyboard() {
  const { atlas, writer, plan } = await app.sampleAtlas()
  const content = () => readAtlasContent(writer.doc)

  const page = await (await app.device()).newPage()
  await page.goto(app.server.url + atlas.editUrl)

  // From here on: keys only. The name question has the focus.
  await expect.poll(() => focused(page), { timeout: 15_000 }).toBe('Jouw naam')
  await page.keyboard.type('Begeleider')
  await page.keyboard.press('Enter')
  await page.locator('.connection[data-state="online"]').waitFor({ timeout: 15_000 })
  await page.waitForFunction(
    "window.editor?.getCurrentPageShapes().some((s) => s.type === 'person')",
  )
  return { page, content, plan: plan.doc }
}

describe('the atlas and the plan by keyboard alone', () => {
  it('makes a person, a relation, an event and an agreement without a pointer', async () => {
    const { page, content, plan } = await openByKeyboard()

    // A person on the relationship map: the people panel's button, then his name.
    await goToMap(page, 'Relatiekaart', 'page:relatiekaart')
    await tabTo(page, 'Nieuwe persoon')
    await page.keyboard.press('Enter')
    await expect.poll(() => focused(page)).toBe('Naam')
    await page.keyboard.type('Joris')
    await expect
      .poll(() => content().persons.some((p) => p.name === 'Joris'), { timeout: 10_000 })
      .toBe(true)

    // A relation from Joris to Ria: the connect form in his inspector.
    await tabTo(page, 'Naar')
    await page.keyboard.type('Ria')
    await tabTo(page, 'Verbind')
    await page.keyboard.press('Enter')
    await expect
      .poll(
        () =>
          content().relations.some(
            (r) =>
              [r.from.name, r.to.name].sort().join(' en ') === 'Joris en Ria' &&
              r.map === 'relatiekaart',
          ),
        { timeout: 10_000 },
      )
      .toBe(true)
    await expect.poll(() => focused(page)).toBe('Over deze relatie')

    // An event on the life events map: back on the canvas (Escape), to the next maps with
    // Alt+→, then the new-event key; its title has the focus.
    await page.keyboard.press('Escape')
    await expect.poll(() => focused(page)).toBe('canvas')
    for (let i = 0; i < 5 && (await currentPage(page)) !== 'page:gebeurteniskaart'; i++) {
      const before = await currentPage(page)
      await page.keyboard.press('Alt+ArrowRight')
      await expect.poll(() => currentPage(page)).not.toBe(before)
    }
    expect(await currentPage(page)).toBe('page:gebeurteniskaart')
    const eventsBefore = content().events.length
    await page.keyboard.press('Shift+J')
    await expect.poll(() => focused(page)).toBe('Titel')
    await page.keyboard.type('Verhuisd naar een eigen huis')
    await expect
      .poll(() => content().events.map((e) => e.title), { timeout: 10_000 })
      .toContain('Verhuisd naar een eigen huis')
    expect(content().events).toHaveLength(eventsBefore + 1)

    // The plan: Escape twice leaves the inspector and the selection, Tab leaves the canvas and
    // goes on through the bars to the plan's link.
    await page.keyboard.press('Escape')
    await expect.poll(() => focused(page)).toBe('canvas')
    await page.keyboard.press('Escape')
    await tabTo(page, 'Plan')
    await page.keyboard.press('Enter')
    await page.getByTestId('plan-screen').waitFor({ timeout: 20_000 })
    await page.locator('.connection[data-state="online"]').waitFor({ timeout: 20_000 })
    const agreementsBefore = readAgreements(plan).length
    await tabTo(page, 'Afspraak toevoegen')
    await page.keyboard.press('Enter')
    // The new agreement's first field takes the focus: its words are typed right away.
    await expect.poll(() => focused(page)).toBe('Wat')
    await page.keyboard.type('Samen boodschappen doen op zaterdag')
    await expect
      .poll(() => readAgreements(plan).map((a) => a.what), { timeout: 10_000 })
      .toContain('Samen boodschappen doen op zaterdag')
    expect(readAgreements(plan)).toHaveLength(agreementsBefore + 1)
  })
})

/** The rows of the open shortcuts list: keys and what they do, as shown. */
function shortcutRows(page: Page): Promise<string[][]> {
  return page
    .locator('dialog[open] .shortcuts-table tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) =>
        [...row.querySelectorAll('td')].map((td) =>
          (td.textContent ?? '').replace(/\s+/g, ' ').trim(),
        ),
      ),
    )
}

describe('an empty life events map by keyboard alone', () => {
  it("goes there through the list of maps and makes the first event with the hint's button", async () => {
    const atlas = await createAtlas(app.server.url, 'Atlas van Kim')
    const writer = await client(atlas.id, atlas.editToken)
    const page = await (await app.device()).newPage()
    await page.goto(app.server.url + atlas.editUrl)
    await expect.poll(() => focused(page), { timeout: 15_000 }).toBe('Jouw naam')
    await page.keyboard.type('Begeleider')
    await page.keyboard.press('Enter')
    await page.locator('.connection[data-state="online"]').waitFor({ timeout: 15_000 })

    await goToMap(page, 'Gebeurteniskaart', 'page:gebeurteniskaart')
    // The hint says what to do by touch and by keyboard, not only with a mouse.
    const hint = (await page.getByTestId('empty-timeline-hint').textContent()) ?? ''
    expect(hint).not.toMatch(/klik/i)
    expect(hint).toContain('tik op de tijdlijn')
    expect(hint).toContain('druk op Enter')
    await tabTo(page, 'Gebeurtenis', { within: '[data-testid="empty-timeline-hint"]' })
    await page.keyboard.press('Enter')
    await expect.poll(() => focused(page)).toBe('Titel')
    await page.keyboard.type('Naar school')
    await expect
      .poll(() => readAtlasContent(writer.doc).events.map((e) => e.title), { timeout: 10_000 })
      .toEqual(['Naar school'])
  })
})

/**
 * Goes to the tool named `name` in tldraw's toolbar: Tab reaches the toolbar at the tool it
 * was last on, the arrow keys move along it (a toolbar is one Tab stop).
 */
async function toolbarTo(page: Page, name: RegExp): Promise<void> {
  await tabTo(page, /\S/, { within: '.tlui-main-toolbar' })
  const seen: string[] = []
  for (let i = 0; i < 12; i++) {
    const now = await focused(page)
    if (name.test(now)) return
    seen.push(now)
    await page.keyboard.press('ArrowRight')
    // The toolbar moves the focus as it renders: wait for it to leave the tool it was on.
    await expect.poll(() => focused(page)).not.toBe(now)
  }
  throw new Error(`The arrows never reached ${name}; they went through: ${seen.join(' | ')}`)
}

describe("the toolbar's tools by keyboard alone", () => {
  it('makes an event and a person in the middle of the screen with Enter on their tools', async () => {
    const { page, content } = await openByKeyboard()
    await goToMap(page, 'Gebeurteniskaart', 'page:gebeurteniskaart')
    const eventsBefore = content().events.length
    await toolbarTo(page, /^Gebeurtenis/)
    await page.keyboard.press('Enter')
    await expect.poll(() => focused(page)).toBe('Titel')
    await page.keyboard.type('Een nieuwe fiets')
    await expect
      .poll(() => content().events.map((e) => e.title), { timeout: 10_000 })
      .toContain('Een nieuwe fiets')
    expect(content().events).toHaveLength(eventsBefore + 1)

    await page.keyboard.press('Escape')
    await page.keyboard.press('Escape')
    await goToMap(page, 'Relatiekaart', 'page:relatiekaart')
    await toolbarTo(page, /^Persoon/)
    await page.keyboard.press('Enter')
    await expect.poll(() => focused(page)).toBe('Naam')
    await page.keyboard.type('Noor')
    await expect
      .poll(() => content().persons.some((p) => p.name === 'Noor'), { timeout: 10_000 })
      .toBe(true)
  })
})

describe('the list of keyboard shortcuts', () => {
  it('opens from the bar and with ?, lists the keys, and gives the focus back on Escape', async () => {
    const { page } = await openByKeyboard()
    const dialog = page.getByRole('dialog', { name: 'Sneltoetsen' })

    // From its button in the atlas bar.
    await tabTo(page, 'Sneltoetsen')
    await page.keyboard.press('Enter')
    await dialog.waitFor()
    const rows = await shortcutRows(page)
    expect(rows).toContainEqual(['Tab of Shift+Tab', expect.stringContaining('volgende knop')])
    expect(rows).toContainEqual(['Enter', 'Open wat je gekozen hebt. Daar kun je het veranderen.'])
    expect(rows).toContainEqual(['Esc', expect.stringContaining('Terug naar de kaart')])
    expect(rows).toContainEqual(['Shift+P', 'Maak een nieuwe persoon.'])
    expect(rows).toContainEqual(['Shift+J', 'Maak een nieuwe gebeurtenis.'])
    expect(rows).toContainEqual(['?', 'Laat deze lijst zien.'])
    expect(rows.some(([, what]) => what?.includes('Verbind'))).toBe(true)
    // The whole list fits a 1280×800 screen: nothing to scroll.
    const box = await page
      .locator('dialog[open]')
      .evaluate((d) => ({ scroll: d.scrollHeight, client: d.clientHeight }))
    expect(box.scroll).toBeLessThanOrEqual(box.client)
    await expect.poll(async () => !!(await focusedInDialog(page))).toBe(true)
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect(await focused(page)).toBe('Sneltoetsen')

    // With "?" on the canvas: a new person, and back to the canvas with Escape.
    await goToMap(page, 'Relatiekaart', 'page:relatiekaart')
    await tabTo(page, 'Nieuwe persoon')
    await page.keyboard.press('Enter')
    await expect.poll(() => focused(page)).toBe('Naam')
    // "?" typed in a field is text, not the list.
    await page.keyboard.type('Wie?')
    expect(await page.getByRole('dialog').count()).toBe(0)
    await page.keyboard.press('Escape')
    await expect.poll(() => focused(page)).toBe('canvas')
    await page.keyboard.press('?')
    await dialog.waitFor()
    expect(await shortcutRows(page)).toEqual(rows)
    // tldraw's own key on "/" (its cursor chat) did not take the "?".
    expect(
      await page.evaluate(
        () =>
          (
            window as unknown as {
              editor: { getInstanceState(): { isChatting: boolean } }
            }
          ).editor.getInstanceState().isChatting,
      ),
    ).toBe(false)
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect(await focused(page)).toBe('canvas')

    // tldraw's full list is one step on, and its own keys still work on the canvas.
    await page.keyboard.press('?')
    await dialog.waitFor()
    await tabTo(page, 'Meer sneltoetsen')
    await page.keyboard.press('Enter')
    // tldraw's own dialog has the same name ("Sneltoetsen"); ours is the native <dialog>.
    await page.locator('dialog.dialog').waitFor({ state: 'detached' })
    await page.locator('.tlui-shortcuts-dialog__body').waitFor()
  })
})

/** True while the keyboard is inside an open dialog. */
function focusedInDialog(page: Page): Promise<boolean> {
  return page.evaluate(() => !!document.activeElement?.closest('dialog[open]'))
}

/** WCAG's contrast ratio of a CSS rgb() colour against white. */
function contrastOnWhite(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((c) => {
    const v = Number(c) / 255
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)
}

describe('the chosen person on the canvas', () => {
  it('is outlined clearly when the keyboard chooses him, and the outline moves with Tab', async () => {
    const { page } = await openByKeyboard()
    await goToMap(page, 'Relatiekaart', 'page:relatiekaart')
    const rings = () =>
      page.locator('.tl-shape[data-shape-type="person"]').evaluateAll((shapes) =>
        shapes.flatMap((shape) => {
          const ring = shape.querySelector('.person-focus-ring')
          if (!ring) return []
          const style = getComputedStyle(ring)
          const box = ring.getBoundingClientRect()
          return [
            {
              text: shape.textContent ?? '',
              stroke: style.stroke,
              width: Number.parseFloat(style.strokeWidth),
              visible: box.width > 0 && box.height > 0,
            },
          ]
        }),
      )
    expect(await rings()).toEqual([])

    await tabTo(page, 'Laat zien waar Ria staat')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await rings()).length).toBe(1)
    const [ria] = await rings()
    expect(ria?.text).toContain('Ria')
    expect(ria?.visible).toBe(true)
    expect(ria?.width).toBeGreaterThanOrEqual(3)
    expect(contrastOnWhite(ria?.stroke ?? '')).toBeGreaterThanOrEqual(3)

    // Into Ria's inspector and back onto the canvas with Escape: Tab there walks the map, and
    // the ring goes with the next person chosen.
    await tabTo(page, 'Naam')
    await page.keyboard.press('Escape')
    await expect.poll(() => focused(page)).toBe('canvas')
    let next = await rings()
    for (let i = 0; i < 30 && (next.length !== 1 || next[0]?.text === ria?.text); i++) {
      await page.keyboard.press('Tab')
      next = await rings()
    }
    expect(next).toHaveLength(1)
    expect(next[0]?.text).not.toBe(ria?.text)
    expect(await focused(page)).toBe('canvas')
  })
})
