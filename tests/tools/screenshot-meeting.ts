/**
 * Puts the sample atlas on a fresh server with a meeting under way (people present, their hopes,
 * a guardian's piketpaaltjes, agreements, a basisteam) and takes a screenshot of every step of
 * the meeting screen on a beamer (1920×1080) and on a phone (390×844), plus privétijd as the
 * client's screen and a professional's screen show it (a step longer than the screen: also its end).
 * Run: `npx vite build && npx tsx tests/tools/screenshot-meeting.ts [out-dir] [nl|en]`
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import * as Y from 'yjs'
import { linkUrl } from '../../shared/api/atlases'
import { readAtlasContent } from '../../shared/domain/content'
import { buildSampleAtlas, SAMPLE_ATLAS_TITLE, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import {
  addAgreement,
  addWho,
  setAgreementText,
  setBasisteamMember,
  setExpectation,
  setFirstMeeting,
  setMeetingStep,
  setPresent,
} from '../../shared/plan/actions'
import { MEETING_STEPS } from '../../shared/plan/layout'
import { launchChromium } from '../helpers/browser'
import {
  callApi,
  connectProvider,
  createAtlas,
  createLink,
  synced,
  syncedClient,
  waitFor,
} from '../helpers/clients'
import { startTestServer } from '../helpers/server'

const outDir = process.argv[2] ?? 'screenshots-meeting'
const language = process.argv[3] === 'en' ? 'en' : 'nl'
const clientDir = fileURLToPath(new URL('../../dist/client', import.meta.url))
const SIZES = {
  beamer: { width: 1920, height: 1080 },
  phone: { width: 390, height: 844 },
} as const

await mkdir(outDir, { recursive: true })
const server = await startTestServer({ env: { CLIENT_DIR: clientDir } })
const browser = await launchChromium()
try {
  const atlas = await createAtlas(server.url, SAMPLE_ATLAS_TITLE)
  const writer = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
  seedAtlasDoc(writer.doc, buildSampleAtlas())
  const content = readAtlasContent(writer.doc)
  const curator = await createLink(server.url, atlas.id, atlas.editToken, 'professional', 'Curator')
  for (const [text, framework] of [
    ['Sanne houdt haar budgetcoach tot 2027.', 'curatele'],
    ['Geld boven € 200 gaat via de curator.', 'curatele'],
  ]) {
    const r = await callApi(
      server.url,
      'POST',
      `/api/atlases/${atlas.id}/piketpaaltjes`,
      curator.token,
      {
        text,
        framework,
      },
    )
    if (r.status !== 201) throw new Error(`piketpaaltje: ${r.status}`)
  }

  const plan = connectProvider(server.wsUrl, `${atlas.id}/plan`, atlas.editToken, new Y.Doc())
  await synced(plan)
  const hopes = [
    'Dat we samen een plan maken waar ik blij van word.',
    'Dat Sanne weet wie ze kan bellen.',
    'Rust in huis, en dat de zondagen weer gezellig worden.',
    'Ik wil helpen met de boodschappen.',
  ]
  const people = content.persons.slice(0, 8)
  people.forEach((p, i) => {
    setPresent(plan.doc, p.id, true)
    if (hopes[i]) setExpectation(plan.doc, p.id, hopes[i])
  })
  const texts = [
    'Ria belt Sanne elke zondag na het eten.',
    'Sanne en haar zus doen samen de boodschappen op zaterdag.',
    'Kees helpt met de post, één keer per maand.',
  ]
  content.questions.forEach((q, i) => {
    const id = addAgreement(plan.doc, q.id)
    setAgreementText(plan.doc, id, 'what', texts[i % texts.length] ?? '')
    const who = people[(i + 1) % people.length]
    if (who) addWho(plan.doc, id, who.id)
    setAgreementText(plan.doc, id, 'when', 'elke week')
  })
  for (const p of people.slice(0, 4)) setBasisteamMember(plan.doc, p.id, true)
  setFirstMeeting(plan.doc, '2026-09-14')

  const pages: Record<keyof typeof SIZES, Page> = {} as never
  for (const [name, viewport] of Object.entries(SIZES) as Array<
    [keyof typeof SIZES, { width: number; height: number }]
  >) {
    const context = await browser.newContext({ viewport })
    await context.addInitScript(`localStorage.setItem('netwerkatlas:language', '${language}')`)
    const page = await context.newPage()
    await page.goto(`${server.url}/atlas/${atlas.id}/bijeenkomst#edit=${atlas.editToken}`)
    pages[name] = page
  }
  const professional = await (await browser.newContext({ viewport: SIZES.phone })).newPage()
  await professional.goto(
    `${server.url}${linkUrl(atlas.id, 'professional', curator.token).replace('#', '/bijeenkomst#')}`,
  )

  // What the screen shows; when the step is longer than the screen, also its end.
  const shoot = async (file: string, page: Page) => {
    await page.waitForTimeout(400)
    await writeFile(join(outDir, file), await page.screenshot())
    console.log(`written ${join(outDir, file)}`)
    const scrolled = await page.evaluate(() => {
      const box = document.querySelector('.meeting-scroll')
      if (!box || box.scrollHeight <= box.clientHeight) return false
      box.scrollTop = box.scrollHeight
      return true
    })
    if (!scrolled) return
    const end = file.replace('.png', '-end.png')
    await writeFile(join(outDir, end), await page.screenshot())
    console.log(`written ${join(outDir, end)}`)
    await page.evaluate(() => document.querySelector('.meeting-scroll')?.scrollTo(0, 0))
  }
  for (const [i, step] of MEETING_STEPS.entries()) {
    setMeetingStep(plan.doc, step)
    for (const [name, page] of Object.entries(pages)) {
      await page.locator(`[data-step="${step}"]`).waitFor({ timeout: 15_000 })
      await shoot(`${i + 1}-${step}-${name}.png`, page)
    }
    if (step === 'information') {
      await professional.locator(`[data-step="${step}"]`).waitFor({ timeout: 15_000 })
      await shoot(`${i + 1}-${step}-professional.png`, professional)
    }
    if (step === 'private-time') {
      await pages.beamer.getByTestId('private-time-switch').click()
      await waitFor(
        async () => (await pages.beamer.locator('[data-private-time="on"]').count()) === 1,
        'privétijd on',
      )
      for (const [name, page] of Object.entries(pages))
        await shoot(`${i + 1}-${step}-on-${name}.png`, page)
      await professional.waitForTimeout(1500)
      await shoot(`${i + 1}-${step}-on-professional.png`, professional)
      await pages.beamer.getByTestId('private-time-switch').click()
      await waitFor(
        async () => (await pages.beamer.locator('[data-private-time="off"]').count()) === 1,
        'privétijd off',
      )
    }
  }
  plan.destroy()
  writer.destroy()
} finally {
  await browser.close()
  await server.close()
}
process.exit(0)
