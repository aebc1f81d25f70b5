/**
 * A bad plan entry already stored (written straight to the data folder, as a server before the
 * plan check or a foreign writer left it) never breaks the plan, the meeting or the basisteam
 * page: the entry is left out and the page says so, the good agreements show, and the page works.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { LowdbAtlasStore } from '../../server/storage/lowdb'
import { docKey } from '../../server/storage/types'
import { readAtlasContent } from '../../shared/domain/content'
import { buildSampleAtlas, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { addAgreement, setAgreementText, setMeetingStep } from '../../shared/plan/actions'
import {
  addMeeting,
  BASISTEAM_MEETINGS_KEY,
  BASISTEAM_NOTES_KEY,
  setMember,
} from '../../shared/plan/basisteam'
import { AGREEMENTS_KEY, MEETING_EXPECTATIONS_KEY, readAgreements } from '../../shared/plan/layout'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { createAtlas, syncedClient, waitFor } from '../helpers/clients'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
})

afterAll(() => closeAppAndBrowser(server, browser))

const SKIPPED_NL = /dingen in de atlas kunnen niet getoond worden/

/**
 * The sample atlas with a plan of two good agreements and, when `bad`, entries of the wrong kind
 * beside them: both documents stored straight into the data folder, past every check.
 */
async function storedPlan(bad: boolean) {
  const atlas = await createAtlas(server.url)
  const doc = new Y.Doc()
  seedAtlasDoc(doc, buildSampleAtlas())
  const content = readAtlasContent(doc)
  const question = content.questions[0]?.id as string
  const ria = content.persons[1]?.id as string
  const plan = new Y.Doc()
  const first = addAgreement(plan, question, { what: 'Elke zondag samen eten' })
  const second = addAgreement(plan, question, { what: 'Samen naar de markt' })
  setMeetingStep(plan, 'questions')
  setMember(plan, {
    personId: ria,
    teamRole: '',
    contact: null,
    contactNote: '',
    professional: false,
  })
  addMeeting(plan, { startsAt: '2027-03-12T18:30:00Z', place: 'Bij Sanne' })
  if (bad) {
    const agreements = plan.getMap(AGREEMENTS_KEY)
    agreements.set('agreement:getal', 42)
    const broken = new Y.Map<unknown>()
    broken.set('questionId', question)
    broken.set('index', 'a5')
    broken.set('what', new Y.Map())
    broken.set('who', 'Ria en Ahmed')
    broken.set('status', 'x'.repeat(100_000))
    agreements.set('agreement:kapot', broken)
    plan.getMap(MEETING_EXPECTATIONS_KEY).set(ria, 5)
    plan.getMap(BASISTEAM_NOTES_KEY).set('meeting:x agreement:y good', new Y.Array())
    plan.getMap(BASISTEAM_MEETINGS_KEY).set('meeting:raar', 'morgen')
  }
  const store = await LowdbAtlasStore.open(server.dataDir)
  await store.storeDoc(atlas.id, Y.encodeStateAsUpdate(doc))
  await store.storeDoc(docKey(atlas.id, 'plan'), Y.encodeStateAsUpdate(plan))
  return { atlas, first, second }
}

/** Opens a screen of the atlas (its path: `plan`, `bijeenkomst`, `basisteam`) on a fresh device. */
async function open(link: string, screen: string, testId: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  await context.addInitScript("localStorage.setItem('netwerkatlas:language', 'nl')")
  const page = await context.newPage()
  const errors: string[] = []
  const warnings: string[] = []
  page.on('pageerror', (error) => errors.push(String(error)))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
    if (m.type() === 'warning') warnings.push(m.text())
  })
  const started = performance.now()
  await page.goto(server.url + link.replace(/^(\/atlas\/[^#/]+)/, `$1/${screen}`))
  await page.getByTestId(testId).waitFor({ timeout: 30_000 })
  await page.locator('.connection[data-state="online"]').waitFor({ timeout: 20_000 })
  return { page, errors, warnings, ms: performance.now() - started }
}

function whatField(page: Page, agreementId: string) {
  return page.locator(
    `[data-testid="agreement"][data-agreement-id="${agreementId}"] textarea[data-field="what"]`,
  )
}

describe('a bad plan entry already stored', () => {
  it('is left out of the plan page, which says so, shows the good agreements and works', async () => {
    const clean = await storedPlan(false)
    const withoutIt = await open(clean.atlas.editUrl, 'plan', 'plan-screen')
    const { atlas, first, second } = await storedPlan(true)
    const withIt = await open(atlas.editUrl, 'plan', 'plan-screen')
    const { page } = withIt

    await expect.poll(() => whatField(page, first).inputValue()).toBe('Elke zondag samen eten')
    await expect.poll(() => whatField(page, second).inputValue()).toBe('Samen naar de markt')
    expect(await page.locator('[data-testid="agreement"]').count()).toBe(2)
    await page.getByText(SKIPPED_NL).waitFor({ timeout: 5000 })
    expect(withIt.warnings.some((w) => w.includes('plan entries skipped'))).toBe(true)
    expect(withIt.errors).toEqual([])
    expect(withIt.ms).toBeLessThan(withoutIt.ms * 1.5 + 1000)
    await page.screenshot({ path: '/tmp/bad-plan-entries.png' })

    // It works: a word typed into a good agreement reaches another device.
    await whatField(page, first).click()
    await page.keyboard.press('End')
    await page.keyboard.type(' bij Ria')
    const other = await syncedClient(server.wsUrl, `${atlas.id}/plan`, atlas.editToken)
    await waitFor(
      () =>
        readAgreements(other.doc).find((a) => a.id === first)?.what ===
        'Elke zondag samen eten bij Ria',
      'the typed words at another device',
    )
    // And the server takes a good change to the agreement next to the bad ones.
    setAgreementText(other.doc, second, 'what', 'Samen naar de markt op zaterdag')
    await expect
      .poll(() => whatField(page, second).inputValue())
      .toBe('Samen naar de markt op zaterdag')
    other.destroy()
    for (const p of [withoutIt, withIt]) await p.page.context().close()
  })

  it('leaves the meeting and the basisteam page working', async () => {
    const { atlas } = await storedPlan(true)
    const meeting = await open(atlas.editUrl, 'bijeenkomst', 'meeting-screen')
    await meeting.page.getByText(SKIPPED_NL).waitFor({ timeout: 5000 })
    expect(meeting.errors).toEqual([])
    await meeting.page.screenshot({ path: '/tmp/bad-plan-entries-meeting.png' })
    const team = await open(atlas.editUrl, 'basisteam', 'basisteam-screen')
    await team.page.getByText(SKIPPED_NL).waitFor({ timeout: 5000 })
    await team.page.getByTestId('basisteam-member').first().waitFor({ timeout: 5000 })
    expect(team.errors).toEqual([])
    await team.page.screenshot({ path: '/tmp/bad-plan-entries-basisteam.png' })
    for (const p of [meeting, team]) await p.page.context().close()
  })
})
