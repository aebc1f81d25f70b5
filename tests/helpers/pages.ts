import type { Page } from 'playwright-core'
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
