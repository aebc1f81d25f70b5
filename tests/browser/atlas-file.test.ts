import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AtlasFile } from '../../shared/api/atlasFile'
import { VersionList } from '../../shared/api/versions'
import { readAtlasContent } from '../../shared/domain/content'
import { buildSampleAtlas, SAMPLE_ATLAS_TITLE, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { addAgreement, addWho } from '../../shared/plan/actions'
import { addMeeting, setMember } from '../../shared/plan/basisteam'
import { readAgreements } from '../../shared/plan/layout'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { answerName } from '../helpers/browser'
import { callApi, createAtlas, syncedClient, waitFor } from '../helpers/clients'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser
const shotsDir = fileURLToPath(new URL('../../.test-output/atlas-file', import.meta.url))

beforeAll(async () => {
  await mkdir(shotsDir, { recursive: true })
  ;({ server, browser } = await startAppAndBrowser())
})

afterAll(() => closeAppAndBrowser(server, browser))

/** The sample atlas on the server with a plan (an agreement, a member, a meeting) and one version. */
async function atlasWithPlan() {
  const atlas = await createAtlas(server.url, SAMPLE_ATLAS_TITLE)
  const maps = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
  const plan = await syncedClient(server.wsUrl, `${atlas.id}/plan`, atlas.editToken)
  try {
    seedAtlasDoc(maps.doc, buildSampleAtlas())
    const content = readAtlasContent(maps.doc)
    const ria = content.persons.find((p) => p.name === 'Ria')
    const question = content.questions[0]
    if (!ria || !question) throw new Error('the sample atlas has Ria and questions')
    const agreement = addAgreement(plan.doc, question.id, { what: 'Samen naar de markt' })
    addWho(plan.doc, agreement, ria.id)
    setMember(plan.doc, {
      personId: ria.id,
      teamRole: 'houdt de datum bij',
      contact: 'call',
      contactNote: 'belt liever',
      professional: false,
    })
    addMeeting(plan.doc, { startsAt: '2027-03-12T18:30:00Z', place: 'Bij Sanne' })
    await waitFor(async () => {
      const probe = await syncedClient(server.wsUrl, `${atlas.id}/plan`, atlas.viewToken)
      const done = readAgreements(probe.doc)[0]?.who.length === 1
      probe.destroy()
      return done
    }, 'the plan on the server')
    const kept = await callApi(
      server.url,
      'POST',
      `/api/atlases/${atlas.id}/versions`,
      atlas.editToken,
      { meetingId: null },
    )
    expect(kept.status).toBe(201)
  } finally {
    maps.destroy()
    plan.destroy()
  }

  return atlas
}

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

  it('carries the plan and its versions from the export dialog to an atlas opened on the home page', async () => {
    const atlas = await atlasWithPlan()

    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    })
    const page = await context.newPage()
    await page.goto(server.url + atlas.editUrl)
    await answerName(page, 'Begeleider')
    await page.getByRole('button', { name: 'Exporteren' }).click()
    await page.getByRole('radio', { name: /Atlasbestand \(reservekopie\)/ }).check()
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 20_000 }),
      page.getByRole('button', { name: 'Downloaden' }).click(),
    ])
    const text = await readFile(await download.path(), 'utf8')
    const file = AtlasFile.parse(JSON.parse(text))
    expect(file.version).toBe(2)
    expect(file.plan?.agreements.map((a) => a.what)).toEqual(['Samen naar de markt'])
    expect(file.plan?.basisteam.members.map((m) => m.teamRole)).toEqual(['houdt de datum bij'])
    expect(file.plan?.basisteam.meetings).toHaveLength(1)
    expect(file.versions.map((v) => v.content.agreements[0]?.who[0]?.name)).toEqual(['Ria'])
    // The complete plan came from the server: the dialog adds no warning.
    await page.getByText(/^Klaar\. Het bestand .* is gemaakt\.\s*$/).waitFor()
    await page.screenshot({ path: join(shotsDir, 'export-plan-done.png') })

    await page.goto(server.url)
    await page.getByTestId('open-atlas-file').setInputFiles({
      name: 'Sanne.netwerkatlas',
      mimeType: 'application/json',
      buffer: Buffer.from(text),
    })
    const status = page.getByRole('status')
    await status.getByText(/Gelukt\. Er is een nieuwe atlas gemaakt/).waitFor({ timeout: 20_000 })
    await status.getByRole('link', { name: 'Naar de atlas' }).click()
    await page.getByTestId('plan-button').click()
    await page.getByTestId('plan-screen').waitFor({ timeout: 20_000 })
    const what = page.locator(
      `[data-testid="agreement"][data-agreement-id="${file.plan?.agreements[0]?.id}"] textarea[data-field="what"]`,
    )
    await expect.poll(() => what.inputValue(), { timeout: 20_000 }).toBe('Samen naar de markt')
    await page.screenshot({ path: join(shotsDir, 'imported-plan.png') })

    const [, copyId, token] = /\/atlas\/([^/#]+)\/plan#edit=([^&]+)/.exec(page.url()) ?? []
    expect(copyId).not.toBe(atlas.id)
    const versions = await callApi(
      server.url,
      'GET',
      `/api/atlases/${copyId}/versions`,
      token ?? '',
    )
    expect(VersionList.parse(await versions.json()).versions).toEqual(file.versions)
    await context.close()
  })

  it('says so when the versions cannot come from the server, and keeps the plan this device has', async () => {
    const atlas = await atlasWithPlan()
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    })
    const page = await context.newPage()
    await page.route('**/versions', (route) => route.abort('internetdisconnected'))
    await page.goto(server.url + atlas.editUrl)
    await answerName(page, 'Begeleider')
    await page.getByRole('button', { name: 'Exporteren' }).click()
    await page.getByRole('radio', { name: /Atlasbestand \(reservekopie\)/ }).check()
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 20_000 }),
      page.getByRole('button', { name: 'Downloaden' }).click(),
    ])
    const file = AtlasFile.parse(JSON.parse(await readFile(await download.path(), 'utf8')))
    expect(file.plan?.agreements.map((a) => a.what)).toEqual(['Samen naar de markt'])
    expect(file.versions).toEqual([])
    await page
      .getByText('De versies van het plan konden niet van de server komen.', { exact: false })
      .waitFor()
    await page.screenshot({ path: join(shotsDir, 'export-plan-missing.png') })
    await context.close()
  })

  it('offline, makes the file at once from the plan this device kept, and says the versions are missing', async () => {
    const atlas = await atlasWithPlan()
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    })
    const page = await context.newPage()
    await page.goto(server.url + atlas.editUrl)
    await answerName(page, 'Begeleider')
    const exportFile = async () => {
      await page.getByRole('button', { name: 'Exporteren' }).click()
      await page.getByRole('radio', { name: /Atlasbestand \(reservekopie\)/ }).check()
      const [download] = await Promise.all([
        // Well under the 10 s the export waits for a server it might still reach.
        page.waitForEvent('download', { timeout: 6_000 }),
        page.getByRole('button', { name: 'Downloaden' }).click(),
      ])
      return AtlasFile.parse(JSON.parse(await readFile(await download.path(), 'utf8')))
    }
    // Online once: the device keeps its own copy of the plan.
    expect((await exportFile()).versions).toHaveLength(1)
    await page.getByRole('button', { name: 'Sluiten' }).click()

    await context.setOffline(true)
    const file = await exportFile()
    expect(file.plan?.agreements.map((a) => a.what)).toEqual(['Samen naar de markt'])
    expect(file.versions).toEqual([])
    await page
      .getByText('De versies van het plan konden niet van de server komen.', { exact: false })
      .waitFor()
    await context.close()
  })
})
