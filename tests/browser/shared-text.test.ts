/**
 * Two people type in one long text at the same time, each in his own browser: both keep what they
 * typed, and neither's caret jumps when the other's keys arrive.
 */
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { openAtlasPage } from '../helpers/browser'
import { openSampleAtlas } from '../helpers/pages'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
})

afterAll(() => closeAppAndBrowser(server, browser))

/** The text of a text area and where its caret is. */
function textAndCaret(field: Locator): Promise<{ text: string; caret: number }> {
  return field.evaluate((area: HTMLTextAreaElement) => ({
    text: area.value,
    caret: area.selectionStart,
  }))
}

/** Puts the keyboard in `field` with the caret at `index`. */
async function caretAt(field: Locator, index: number): Promise<void> {
  await field.focus()
  await field.evaluate((area: HTMLTextAreaElement, at) => area.setSelectionRange(at, at), index)
}

/** Both type at once, key by key, each in his own browser. */
async function typeAtOnce(a: Page, aText: string, b: Page, bText: string): Promise<void> {
  await Promise.all([a.keyboard.type(aText, { delay: 35 }), b.keyboard.type(bText, { delay: 35 })])
}

describe('two people typing in one text at once', () => {
  let a: Page
  let b: Page

  beforeAll(async () => {
    a = await openSampleAtlas(browser, server.url)
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    b = await openAtlasPage(context, a.url(), 'Zus')
  })

  it("both keep their words in the basisposter's story, one typing at the start, one at the end", async () => {
    for (const page of [a, b]) {
      await page.evaluate("void window.editor.setCurrentPage('page:basisposter')")
      await page.getByRole('button', { name: 'Poster invullen' }).click()
    }
    const storyA = a.getByLabel('Mijn verhaal')
    const storyB = b.getByLabel('Mijn verhaal')
    const story = (await textAndCaret(storyA)).text
    expect(story).toMatch(/^Ik ben Sanne\..*Mimi\.$/)
    await expect.poll(async () => (await textAndCaret(storyB)).text).toBe(story)

    await caretAt(storyA, 0)
    await caretAt(storyB, story.length)
    const start = 'Hallo! Dit is mijn verhaal. '
    const end = ' Mijn kat heet Mimi 🐈 en ze is één jaar.'
    await typeAtOnce(a, start, b, end)

    const expected = start + story + end
    await expect
      .poll(async () => (await textAndCaret(storyA)).text, { timeout: 10_000 })
      .toBe(expected)
    await expect
      .poll(async () => (await textAndCaret(storyB)).text, { timeout: 10_000 })
      .toBe(expected)
    // Each caret is still right after what its own person typed.
    expect((await textAndCaret(storyA)).caret).toBe(start.length)
    expect((await textAndCaret(storyB)).caret).toBe(expected.length)
  })

  it("both keep their words in a person's note, one typing in the middle, one at the start", async () => {
    for (const page of [a, b]) {
      await page.getByRole('button', { name: 'Poster sluiten' }).click()
      await page.evaluate(
        "window.editor.setCurrentPage('page:relatiekaart'); void window.editor.select('shape:relatiekaart-kees')",
      )
    }
    const noteA = a.getByLabel('Notitie')
    const noteB = b.getByLabel('Notitie')
    const note = (await textAndCaret(noteA)).text
    expect(note).toBe('Vader van Sanne. Woont in Zwolle.')
    await expect.poll(async () => (await textAndCaret(noteB)).text).toBe(note)

    // A types after "Vader van Sanne."; B's words arrive before his caret all the time.
    const middle = 'Vader van Sanne.'.length
    await caretAt(noteA, middle)
    await caretAt(noteB, 0)
    const inMiddle = ' Hij fietst graag.'
    const atStart = 'Kees: '
    await typeAtOnce(a, inMiddle, b, atStart)

    const expected = `${atStart}Vader van Sanne.${inMiddle} Woont in Zwolle.`
    await expect
      .poll(async () => (await textAndCaret(noteA)).text, { timeout: 10_000 })
      .toBe(expected)
    await expect
      .poll(async () => (await textAndCaret(noteB)).text, { timeout: 10_000 })
      .toBe(expected)
    expect((await textAndCaret(noteA)).caret).toBe(atStart.length + middle + inMiddle.length)
    expect((await textAndCaret(noteB)).caret).toBe(atStart.length)
  })

  it("does not break a character being composed (IME) when the other's words arrive", async () => {
    for (const page of [a, b]) {
      await page.evaluate(
        "window.editor.selectNone(); window.editor.setCurrentPage('page:basisposter')",
      )
      await page.getByRole('button', { name: 'Poster invullen' }).click()
    }
    const wishesA = a.getByLabel('Mijn wensen')
    const wishesB = b.getByLabel('Mijn wensen')
    const wishes = (await textAndCaret(wishesA)).text
    await expect.poll(async () => (await textAndCaret(wishesB)).text).toBe(wishes)
    await caretAt(wishesA, wishes.length)
    await caretAt(wishesB, 0)
    // A starts an accent with a dead key; while it is open, B's words arrive in A's atlas.
    const ime = await a.context().newCDPSession(a)
    await ime.send('Input.imeSetComposition', { text: '´', selectionStart: 1, selectionEnd: 1 })
    await b.keyboard.type('Ja! ', { delay: 35 })
    await expect
      .poll(() => a.evaluate("window.editor.store.get('poster:poster').wishes"))
      .toMatch(/^Ja! /)
    await ime.send('Input.insertText', { text: 'é' })
    await a.keyboard.type(' Samen.')
    const expected = `Ja! ${wishes}é Samen.`
    await expect.poll(async () => (await textAndCaret(wishesA)).text).toBe(expected)
    await expect.poll(async () => (await textAndCaret(wishesB)).text).toBe(expected)
    expect((await textAndCaret(wishesA)).caret).toBe(expected.length)
  })
})
