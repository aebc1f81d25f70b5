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

/** The option texts of a drop-down list. */
function options(page: Page, label: string): Promise<string[]> {
  return page
    .getByLabel(label, { exact: true })
    .locator('option')
    .allTextContents()
    .then((all) => all.map((o) => o.trim()))
}

/** The text of the label of the field in the inspector that `name` is the start of. */
async function inspectorLabel(page: Page, start: RegExp): Promise<string> {
  const labels = await page.locator('.inspector label').allTextContents()
  const label = labels.find((l) => start.test(l))
  if (!label) throw new Error(`no label ${start} in the inspector: ${labels.join(' / ')}`)
  return label.trim()
}

const WORDS = {
  nl: {
    means: /^Hoe hebben/,
    frequency: /^Hoe vaak/,
    brings: /^Wat brengt/,
    relation: 'Relatie',
    schedule: 'Contactschema',
    poster: 'Basisposter',
    openPoster: 'Poster invullen',
  },
  en: {
    means: /^How do/,
    frequency: /^How often/,
    brings: /^What does/,
    relation: 'Relation',
    schedule: 'Contact schedule',
    poster: 'Main poster',
    openPoster: 'Fill in the poster',
  },
} as const

describe('one word per thing', () => {
  for (const language of ['nl', 'en'] as const) {
    it(`the inspector, the contact schedule and the toolbar name a contact alike (${language})`, async () => {
      const words = WORDS[language]
      const page = await openSampleAtlas(browser, server.url, language)

      // The relation Sanne–Kees in the inspector.
      await page.evaluate("void window.editor.select('shape:relation-sanne-kees-stressful')")
      const inspector = page.locator('.inspector')
      await inspector.locator('h2').waitFor()
      const tool = (await page.getByTestId('tools.relation').getAttribute('aria-label')) ?? ''
      expect(tool.split(' — ')[0]).toBe(words.relation)
      expect((await inspector.locator('h2').innerText()).toLowerCase()).toContain(
        words.relation.toLowerCase(),
      )
      const means = await inspectorLabel(page, words.means)
      const frequency = await inspectorLabel(page, words.frequency)
      const brings = await inspectorLabel(page, words.brings)
      const inInspector = {
        means: await options(page, means),
        frequency: await options(page, frequency),
      }
      expect(inInspector.means).toHaveLength(5)
      expect(inInspector.frequency).toHaveLength(6)

      // The same relation in the contact schedule.
      await page.evaluate(
        "window.editor.selectNone(); window.editor.setCurrentPage('page:contactschema')",
      )
      const schedule = page.getByTestId('contact-schedule')
      const row = schedule.locator('tr').filter({ hasText: 'Kees' })
      await row.waitFor()
      const inSchedule = {
        means: (await row.locator('select').nth(0).locator('option').allTextContents()).map((o) =>
          o.trim(),
        ),
        frequency: (await row.locator('select').nth(1).locator('option').allTextContents()).map(
          (o) => o.trim(),
        ),
      }
      expect(inSchedule).toEqual(inInspector)
      const headers = await schedule.getByRole('columnheader').allInnerTexts()
      expect(headers.at(-1)).toBe(brings)
      // The field's own name for a screen reader asks the same question, about these two.
      const field = (await row.locator('textarea').getAttribute('aria-label')) ?? ''
      for (const word of brings.replace('?', '').split(' ')) expect(field).toContain(word)

      // The sheets carry the map's name.
      await expect(schedule.locator('h2 .screen-only').innerText()).resolves.toBe(words.schedule)
      await page.evaluate("void window.editor.setCurrentPage('page:basisposter')")
      await page.getByRole('button', { name: words.openPoster }).click()
      await expect(page.getByTestId('poster-editor').locator('h2').innerText()).resolves.toBe(
        words.poster,
      )
      await page.context().close()
    })
  }
})
