import type { Page } from 'playwright-core'

/** The words of each role in "Wie heeft een link?" (Dutch, the default language). */
export const ROLE_WORDS = {
  edit: 'Samen tekenen',
  view: 'Alleen kijken',
  procesbegeleider: 'Procesbegeleider',
  professional: 'Professional',
} as const

/** Opens "Wie heeft een link?" from the atlas bar, unless it is open already. */
export async function openLinksDialog(page: Page): Promise<void> {
  const heading = page.getByRole('heading', { name: 'Wie heeft een link?' })
  if (await heading.isVisible()) return
  await page.getByRole('button', { name: 'Delen' }).click()
  await heading.waitFor()
}

/**
 * Makes a link for `role` labelled `label` in "Wie heeft een link?" as a person would (choose
 * what the person may do, say who it is for, "Maak de link"), reads the link shown once, and
 * closes the dialog again. Returns the link as shown (an absolute address).
 */
export async function makeLinkInDialog(
  page: Page,
  role: keyof typeof ROLE_WORDS,
  label: string,
): Promise<string> {
  await openLinksDialog(page)
  await page.getByRole('radio', { name: new RegExp(`^${ROLE_WORDS[role]}`) }).check()
  await page.getByLabel('Voor wie is de link?', { exact: true }).fill(label)
  await page.getByRole('button', { name: 'Maak de link' }).click()
  const link = await page.getByRole('textbox', { name: `Link voor ${label}` }).inputValue()
  const dialog = page.getByRole('dialog', { name: 'Wie heeft een link?' })
  await dialog.getByRole('button', { name: 'Klaar' }).click()
  await dialog.getByRole('button', { name: 'Sluiten' }).click()
  await dialog.waitFor({ state: 'detached' })
  return link
}
