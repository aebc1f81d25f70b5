import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
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
