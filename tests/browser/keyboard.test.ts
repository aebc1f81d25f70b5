import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { openAtlasPage } from '../helpers/browser'
import { makeLinkInDialog } from '../helpers/links'
import { openSampleAtlas } from '../helpers/pages'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
})

afterAll(() => closeAppAndBrowser(server, browser))

/** The texts of the basisposter's questions, in order, as the sheet shows them. */
function questions(page: Page): Promise<string[]> {
  return page
    .getByTestId('poster-editor')
    .locator('.question-list textarea')
    .evaluateAll((all) => all.map((t) => (t as HTMLTextAreaElement).value))
}

/** The accessible name of the element that has the keyboard focus. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    return el?.getAttribute('aria-label') ?? el?.id ?? el?.tagName ?? ''
  })
}

describe('the basisposter with the keyboard', () => {
  it('starts the next question with Enter, and a new line with Shift+Enter', async () => {
    const page = await openSampleAtlas(browser, server.url)
    await page.evaluate("void window.editor.setCurrentPage('page:basisposter')")
    await page.getByRole('button', { name: 'Poster invullen' }).click()
    const before = await questions(page)
    expect(before.length).toBeGreaterThanOrEqual(2)

    // Enter at the end of the first question: a new, empty second question has the focus.
    await page.getByLabel('Vraag 1', { exact: true }).focus()
    await page.keyboard.press('End')
    await page.keyboard.press('Enter')
    await expect.poll(() => questions(page)).toEqual([before[0], '', ...before.slice(1)])
    await expect.poll(() => focused(page)).toBe('Vraag 2')
    // Enter in an empty question does not make another one.
    await page.keyboard.press('Enter')
    expect(await questions(page)).toEqual([before[0], '', ...before.slice(1)])
    expect(await focused(page)).toBe('Vraag 2')

    await page.keyboard.type('Wie helpt mij met koken?')
    await page.keyboard.press('Shift+Enter')
    await page.keyboard.type('Ook in het weekend.')
    await page.keyboard.press('Enter')
    await page.keyboard.type('Hoe kom ik bij mijn werk?')
    await expect
      .poll(() => questions(page))
      .toEqual([
        before[0],
        'Wie helpt mij met koken?\nOok in het weekend.',
        'Hoe kom ik bij mijn werk?',
        ...before.slice(1),
      ])
    expect(await focused(page)).toBe('Vraag 3')
    await page.context().close()
  })
})

/** Where the keyboard is and what is selected. */
function state(page: Page): Promise<{ focus: string; inInspector: boolean; selected: string[] }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    const editor = (window as unknown as { editor: { getSelectedShapeIds(): string[] } }).editor
    const label = el?.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null
    return {
      focus: el?.classList.contains('tl-container')
        ? 'canvas'
        : (el?.getAttribute('aria-label') ?? label ?? el?.textContent ?? el?.tagName ?? '').trim(),
      inInspector: !!el?.closest('.inspector'),
      selected: editor.getSelectedShapeIds(),
    }
  })
}

/** Clicks the middle of the person shape that shows `name` on the current page. */
async function clickPerson(page: Page, name: string): Promise<void> {
  const shape = page.locator('.tl-shape[data-shape-type="person"]').filter({ hasText: name })
  const box = await shape.first().boundingBox()
  if (!box) throw new Error(`${name} is not on the map`)
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
}

describe('the canvas and the inspector with the keyboard', () => {
  it('moves Tab through the bars into the inspector while the selection stays', async () => {
    const page = await openSampleAtlas(browser, server.url)
    await clickPerson(page, 'Marleen')
    await page.getByRole('heading', { name: 'Over Marleen' }).waitFor()
    const selected = (await state(page)).selected
    expect(selected).toHaveLength(1)

    // From the share button on, Tab goes on through the bar into the inspector, as it looks:
    // each press to another element, never to another shape.
    await page.getByRole('button', { name: 'Delen' }).focus()
    const path = ['Delen']
    for (let i = 0; i < 12 && !(await state(page)).inInspector; i++) {
      await page.keyboard.press('Tab')
      const now = await state(page)
      expect(now.selected).toEqual(selected)
      expect(path).not.toContain(now.focus)
      path.push(now.focus)
    }
    expect(path.at(-1)).toBe('Sluiten')
    await page.keyboard.press('Tab')
    expect(await state(page)).toEqual({ focus: 'Naam', inInspector: true, selected })
    // And back again with Shift+Tab, the same way.
    await page.keyboard.press('Shift+Tab')
    for (const focus of path.slice(0, -1).reverse()) {
      await page.keyboard.press('Shift+Tab')
      expect(await state(page)).toEqual({ focus, inInspector: false, selected })
    }
    await page.context().close()
  })

  it('goes into the inspector with Enter, back with Escape, and Tab on the canvas walks the map', async () => {
    const page = await openSampleAtlas(browser, server.url)
    await clickPerson(page, 'Marleen')
    const marleen = await state(page)
    expect(marleen.focus).toBe('canvas')

    await page.keyboard.press('Enter')
    await expect.poll(() => state(page)).toEqual({ ...marleen, focus: 'Naam', inInspector: true })
    expect(await page.getByLabel('Naam', { exact: true }).inputValue()).toBe('Marleen')
    await page.keyboard.press('Escape')
    await expect.poll(() => state(page)).toEqual(marleen)

    // Tab on the canvas is tldraw's: the next shape, the keyboard stays on the canvas.
    await page.keyboard.press('Tab')
    const next = await state(page)
    expect(next.focus).toBe('canvas')
    expect(next.selected).toHaveLength(1)
    expect(next.selected).not.toEqual(marleen.selected)
    // Enter opens the inspector of whatever is selected now, a person or a relation.
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await state(page)).inInspector).toBe(true)
    expect((await state(page)).selected).toEqual(next.selected)

    // A view link: nothing can be changed, so the inspector itself takes the focus.
    const viewLink = await makeLinkInDialog(page, 'view', 'Opa')
    const viewer = await openAtlasPage(await browser.newContext(), viewLink, 'Opa')
    await viewer.waitForFunction(
      "window.editor?.getCurrentPageShapes().some((s) => s.type === 'person')",
    )
    await viewer.evaluate("void window.editor.setCurrentPage('page:relatiekaart')")
    await clickPerson(viewer, 'Marleen')
    const seen = await state(viewer)
    await viewer.keyboard.press('Enter')
    await expect
      .poll(() => state(viewer))
      .toEqual({ ...seen, focus: 'Gegevens van de keuze', inInspector: true })
    await viewer.keyboard.press('Escape')
    await expect.poll(() => state(viewer)).toEqual(seen)
    await viewer.context().close()
    await page.context().close()
  })

  it('puts the focus in the new relation after Verbind', async () => {
    const page = await openSampleAtlas(browser, server.url)
    await page.evaluate("void window.editor.setCurrentPage('page:familiekaart')")
    // With the keyboard only: the person from the people panel, then the connect form.
    await page.getByRole('button', { name: 'Laat zien waar Kees staat' }).focus()
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'Over Kees' }).waitFor()
    const form = page.locator('.inspector form')
    await form.getByLabel('Naar').focus()
    await form.getByLabel('Naar').selectOption({ label: 'Tim' })
    await form.getByLabel('Soort relatie').selectOption({ label: 'Sterk' })
    await form.getByRole('button', { name: 'Verbind' }).focus()
    await page.keyboard.press('Enter')

    await expect
      .poll(() => state(page))
      .toEqual({
        focus: 'Over deze relatie',
        inInspector: true,
        selected: [expect.stringMatching(/^shape:/)],
      })
    const inspector = page.locator('.inspector')
    await inspector.getByText('Kees en Tim').waitFor()
    await inspector.getByRole('status').getByText('De relatie is gemaakt.').waitFor()
    expect(await inspector.getByLabel('Soort relatie').inputValue()).toBe('strong')
    // The next Tab goes on through the new relation's fields.
    await page.keyboard.press('Tab')
    expect(await state(page)).toMatchObject({ focus: 'Soort relatie', inInspector: true })
    await page.context().close()
  })
})
