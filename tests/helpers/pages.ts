import type { Browser, Page } from 'playwright-core'
import { expect } from 'vitest'

/** Goes to a page through tldraw's own page menu. */
export async function goToPage(page: Page, name: string): Promise<void> {
  await page.getByTestId('page-menu.button').click()
  await page.getByTestId('page-menu.item').filter({ hasText: name }).first().click()
  // The menu stays open after a choice; close it so the next one opens it afresh.
  if (await page.getByTestId('page-menu.list').isVisible()) {
    await page.getByTestId('page-menu.button').click()
  }
  await expect
    .poll(() =>
      page.evaluate(() => {
        const editor = (window as unknown as { editor: { getCurrentPage(): { name: string } } })
          .editor
        return editor.getCurrentPage().name
      }),
    )
    .toBe(name)
}

/**
 * Opens the sample atlas from the home page in a new 1280×800 context whose app speaks
 * `language`, answers the name question, and shows the relationship map.
 */
export async function openSampleAtlas(
  browser: Browser,
  serverUrl: string,
  language: 'nl' | 'en' = 'nl',
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  await context.addInitScript(`localStorage.setItem('netwerkatlas:language', '${language}')`)
  const page = await context.newPage()
  await page.goto(serverUrl)
  const sample = language === 'nl' ? 'Voorbeeldatlas van Sanne' : 'Sample atlas of Sanne'
  await page.getByRole('button', { name: sample }).click()
  await page
    .getByRole('textbox', { name: language === 'nl' ? 'Jouw naam' : 'Your name' })
    .fill('Begeleider')
  await page.getByRole('button', { name: language === 'nl' ? 'Klaar' : 'Done' }).click()
  await page.waitForFunction(
    "window.editor && window.editor.getCurrentPageShapes().some((s) => s.type === 'person')",
  )
  await page.evaluate("void window.editor.setCurrentPage('page:relatiekaart')")
  await page.locator('.tl-shape[data-shape-type="person"]').first().waitFor()
  return page
}
