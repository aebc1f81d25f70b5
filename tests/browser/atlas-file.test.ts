import { readFile } from 'node:fs/promises'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AtlasFile } from '../../shared/api/atlasFile'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { answerName } from '../helpers/browser'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
})

afterAll(() => closeAppAndBrowser(server, browser))

describe('atlas file', () => {
  it('saves the open atlas as a .netwerkatlas file', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      acceptDownloads: true,
    })
    const page = await context.newPage()
    await page.goto(server.url)
    await page.getByRole('button', { name: 'Voorbeeldatlas van Sanne' }).click()
    await answerName(page, 'Begeleider')
    await page.getByRole('button', { name: 'Exporteren' }).click()
    await page.getByRole('radio', { name: /Atlasbestand \(reservekopie\)/ }).check()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Downloaden' }).click(),
    ])
    expect(download.suggestedFilename()).toBe('Voorbeeldatlas van Sanne.netwerkatlas')
    const path = await download.path()
    const file = AtlasFile.parse(JSON.parse(await readFile(path, 'utf8')))
    expect(file.format).toBe('netwerkatlas')
    expect(file.content.persons.length).toBeGreaterThan(0)
    await context.close()
  })
})
