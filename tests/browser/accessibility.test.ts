/**
 * The accessibility audit: axe (WCAG 2.0, 2.1 and 2.2, A and AA) in real Chromium on every screen
 * and dialog of the app, in Dutch and in English, with the sample atlas. No serious or critical
 * finding may remain; the few canvas exceptions are in tests/helpers/axe.ts.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MEETING_STEPS } from '../../shared/plan/layout'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { type AxeFinding, auditPage, describeFindings } from '../helpers/axe'
import { createLink } from '../helpers/clients'
import { openSampleAtlas } from '../helpers/pages'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
})

afterAll(() => closeAppAndBrowser(server, browser))

/** The words of the screens the audit walks through, per language. */
const WORDS = {
  nl: {
    maps: ['Basisposter', 'Familiekaart', 'Relatiekaart', 'Contactschema', 'Gebeurteniskaart'],
    locate: /^Laat zien waar .+ staat$/,
    share: 'Delen',
    close: 'Sluiten',
    accessLog: 'Wie heeft mijn atlas geopend?',
    back: /^Terug/,
    erase: 'Atlas verwijderen',
    eraseNext: 'Verder naar verwijderen',
    eraseYes1: 'Ja, verder',
    eraseYes2: 'Ja, verwijder de atlas',
    next: 'Volgende',
    you: 'Jij: Begeleider',
    forWho: 'Voor wie is de link?',
    makeLink: 'Maak de link',
    done: 'Klaar',
  },
  en: {
    maps: ['Main poster', 'Family map', 'Relationship map', 'Contact schedule', 'Life events map'],
    locate: /^Show .+ on the map$/,
    share: 'Share',
    close: 'Close',
    accessLog: 'Who opened my atlas?',
    back: /^Back/,
    erase: 'Delete the atlas',
    eraseNext: 'Go on to deleting',
    eraseYes1: 'Yes, go on',
    eraseYes2: 'Yes, delete the atlas',
    next: 'Next',
    you: 'You: Begeleider',
    forWho: 'Who is the link for?',
    makeLink: 'Make the link',
    done: 'Done',
  },
} as const

type Language = keyof typeof WORDS

/** The five maps' page ids, in the order of `WORDS[…].maps`. */
const MAP_PAGES = [
  'page:basisposter',
  'page:familiekaart',
  'page:relatiekaart',
  'page:contactschema',
  'page:gebeurteniskaart',
]

/** Goes to a map through the page menu, by the name the menu shows in this language. */
async function goToMap(page: Page, name: string, id: string): Promise<void> {
  await page.getByTestId('page-menu.button').click()
  await page.getByTestId('page-menu.item').filter({ hasText: name }).first().click()
  if (await page.getByTestId('page-menu.list').isVisible()) {
    await page.getByTestId('page-menu.button').click()
  }
  await expect.poll(() => page.evaluate('window.editor.getCurrentPageId()')).toBe(id)
}

/** Findings per screen, gathered so one run names every problem at once. */
class Audit {
  readonly findings: { screen: string; finding: AxeFinding }[] = []
  readonly screens: string[] = []

  async check(page: Page, screen: string): Promise<void> {
    this.screens.push(screen)
    for (const finding of await auditPage(page)) this.findings.push({ screen, finding })
    // A screen reader jumps to the main part of every screen (WCAG 2.4.1).
    const mains = await page.locator('main, [role="main"]').count()
    if (mains !== 1) {
      this.findings.push({
        screen,
        finding: {
          rule: 'one-main-landmark',
          impact: 'serious',
          target: 'main',
          summary: `${mains} main landmarks, not 1`,
          html: '',
        },
      })
    }
  }

  report(): string {
    const byScreen = new Map<string, AxeFinding[]>()
    for (const { screen, finding } of this.findings) {
      byScreen.set(screen, [...(byScreen.get(screen) ?? []), finding])
    }
    return [...byScreen]
      .map(([screen, findings]) => `== ${screen}\n${describeFindings(findings)}`)
      .join('\n')
  }
}

async function newPage(language: Language, width = 1280, height = 800): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } })
  await context.addInitScript(`localStorage.setItem('netwerkatlas:language', '${language}')`)
  return context.newPage()
}

/**
 * Switches privétijd on at the meeting's step for it, audits that step and the waiting screen a
 * professional sees meanwhile, and switches it off again.
 */
async function auditPrivateTime(
  page: Page,
  atlasUrl: string,
  language: Language,
  audit: Audit,
): Promise<void> {
  const url = new URL(atlasUrl)
  const id = url.pathname.split('/')[2] ?? ''
  const editToken = new URLSearchParams(url.hash.slice(1)).get('edit') ?? ''
  const curator = await createLink(server.url, id, editToken, 'professional', 'Curator')
  const switchButton = page.getByTestId('private-time-switch')
  await switchButton.click()
  await page.getByTestId('private-time-badge').waitFor({ timeout: 15_000 })
  await audit.check(page, 'meeting: privétijd on')
  const professional = await newPage(language)
  await professional.goto(server.url + curator.url)
  await professional.getByTestId('private-time-waiting').waitFor({ timeout: 15_000 })
  await audit.check(professional, 'a professional waiting during privétijd')
  await professional.context().close()
  await switchButton.click()
  await page.getByTestId('private-time-badge').waitFor({ state: 'detached', timeout: 15_000 })
}

describe.each(['nl', 'en'] as const)('the accessibility audit in %s', (language) => {
  const words = WORDS[language]

  it('finds nothing serious on the home page and the error pages', async () => {
    const audit = new Audit()
    const page = await newPage(language)
    await page.goto(server.url)
    await page.locator('main').first().waitFor()
    await audit.check(page, 'home')

    await page.goto(`${server.url}/nowhere`)
    await page.locator('.error-card').waitFor()
    await audit.check(page, 'page not found')

    await page.goto(`${server.url}/atlas/unknown-atlas#k=nothing`)
    await page.locator('.error-card').waitFor({ timeout: 15_000 })
    await audit.check(page, 'unknown atlas')
    await page.context().close()
    expect(audit.findings, audit.report()).toEqual([])
  })

  it('finds nothing serious on the five maps, the people panel, the inspector and the dialogs', async () => {
    const audit = new Audit()
    const page = await openSampleAtlas(browser, server.url, language)
    for (const [index, map] of words.maps.entries()) {
      await goToMap(page, map, MAP_PAGES[index] ?? '')
      await audit.check(page, `map ${map}`)
    }

    await goToMap(page, words.maps[2], 'page:relatiekaart')
    await page.getByRole('button', { name: words.locate }).first().click()
    await page.locator('.inspector').waitFor()
    await audit.check(page, 'people panel and inspector (a person chosen)')
    await page.locator('.inspector-close').click()

    await page.evaluate(
      `void window.editor.select(window.editor.getCurrentPageShapes().find((s) => s.type === 'relation').id)`,
    )
    await page.locator('.inspector').waitFor()
    await audit.check(page, 'inspector (a relation chosen)')
    await page.locator('.inspector-close').click()

    await goToMap(page, words.maps[4], 'page:gebeurteniskaart')
    await page.evaluate(
      `void window.editor.select(window.editor.getCurrentPageShapes().find((s) => s.type === 'event').id)`,
    )
    await page.locator('.inspector').waitFor()
    await audit.check(page, 'inspector (an event chosen)')
    await page.locator('.inspector-close').click()
    await goToMap(page, words.maps[2], 'page:relatiekaart')

    await page.getByTestId('page-menu.button').click()
    await page.getByTestId('page-menu.list').waitFor()
    await audit.check(page, 'the menu of maps, open')
    await page.getByTestId('page-menu.button').click()
    await page.getByTestId('page-menu.list').waitFor({ state: 'detached' })
    await page.getByTestId('main-menu.button').click()
    await page.locator('.tlui-menu').first().waitFor()
    await audit.check(page, "tldraw's main menu, open")
    await page.keyboard.press('Escape')
    await page.locator('.tlui-menu').first().waitFor({ state: 'detached' })

    await page.getByRole('button', { name: words.you }).click()
    await page.getByRole('dialog').waitFor()
    await audit.check(page, 'name dialog')
    await page.keyboard.press('Escape')
    await page.getByRole('dialog').waitFor({ state: 'detached' })

    await page.getByTestId('export-button').click()
    await page.getByTestId('export-dialog').waitFor()
    await page.getByTestId('export-preview').locator('img').first().waitFor({ timeout: 30_000 })
    await audit.check(page, 'export dialog')
    await page.getByRole('dialog').getByRole('button', { name: words.close }).click()
    await page.getByTestId('export-dialog').waitFor({ state: 'detached' })

    await page.getByRole('button', { name: words.share }).click()
    await page.getByTestId('link').first().waitFor()
    await audit.check(page, 'share dialog (links)')
    await page.locator('input[name="link-role"][value="view"]').check()
    await page.getByRole('textbox', { name: words.forWho }).first().fill('Oma Truus')
    await page.getByRole('button', { name: words.makeLink }).click()
    await page.getByTestId('new-link').waitFor()
    await audit.check(page, 'share dialog (a new link with its code)')
    const viewLink = await page.getByTestId('new-link').locator('input').inputValue()
    await page.getByTestId('new-link').getByRole('button', { name: words.done }).click()
    await page.getByTestId('new-link').waitFor({ state: 'detached' })
    const viewer = await page
      .context()
      .browser()
      ?.newContext({ viewport: { width: 1280, height: 800 } })
    if (!viewer) throw new Error('no browser')
    await viewer.addInitScript(`localStorage.setItem('netwerkatlas:language', '${language}')`)
    const seeing = await viewer.newPage()
    await seeing.goto(viewLink)
    await seeing.getByRole('textbox').first().fill('Oma Truus')
    await seeing.keyboard.press('Enter')
    await seeing.locator('.tl-shape[data-shape-type="person"]').first().waitFor({ timeout: 20_000 })
    await audit.check(seeing, 'the atlas through a view link')

    await page.getByRole('button', { name: words.accessLog }).click()
    await page.getByTestId('access-entry').first().waitFor()
    await audit.check(page, 'access log')
    await page.getByRole('button', { name: words.back }).click()
    await page.getByRole('button', { name: words.erase }).click()
    await page.getByRole('button', { name: words.eraseNext }).waitFor()
    await audit.check(page, 'erase: keep the file first')
    await page.getByRole('button', { name: words.eraseNext }).click()
    await page.getByRole('button', { name: words.eraseYes1 }).waitFor()
    await audit.check(page, 'erase: first question')
    await page.getByRole('button', { name: words.eraseYes1 }).click()
    await page.getByRole('button', { name: words.eraseYes2 }).waitFor()
    await audit.check(page, 'erase: second question')
    await page.getByRole('button', { name: words.eraseYes2 }).click()
    await page.locator('.error-card[data-problem="erased"]').waitFor({ timeout: 15_000 })
    await audit.check(page, 'the atlas deleted')
    await seeing.locator('[data-problem="erased"]').waitFor({ timeout: 15_000 })
    await audit.check(seeing, 'the atlas deleted, on the open view link')
    await viewer.close()

    await page.context().close()
    expect(audit.findings, audit.report()).toEqual([])
  })

  it('finds nothing serious on the plan, meeting, basisteam and history screens', async () => {
    const audit = new Audit()
    const atlas = await openSampleAtlas(browser, server.url, language)
    const atlasUrl = atlas.url()
    const page = await atlas.context().newPage()

    await page.goto(atlasUrl.replace(/(\/atlas\/[^/#?]+)/, '$1/plan'))
    await page.getByTestId('plan-screen').waitFor({ timeout: 20_000 })
    await page.getByTestId('plan-question').first().waitFor()
    await audit.check(page, 'plan')

    await page.goto(atlasUrl.replace(/(\/atlas\/[^/#?]+)/, '$1/bijeenkomst'))
    await page.getByTestId('meeting-screen').waitFor({ timeout: 20_000 })
    for (let step = 1; ; step++) {
      await audit.check(page, `meeting step ${step}`)
      if ((await page.getByTestId('private-time-switch').count()) > 0) {
        await auditPrivateTime(page, atlasUrl, language, audit)
      }
      const next = page.getByRole('button', { name: words.next, exact: true })
      if ((await next.count()) === 0 || (await next.isDisabled())) break
      const count = await page.getByTestId('meeting-step-count').textContent()
      await next.click()
      await expect.poll(() => page.getByTestId('meeting-step-count').textContent()).not.toBe(count)
    }

    await page.goto(atlasUrl.replace(/(\/atlas\/[^/#?]+)/, '$1/basisteam'))
    await page.getByTestId('basisteam-screen').waitFor({ timeout: 20_000 })
    await audit.check(page, 'basisteam')

    await page.goto(atlasUrl.replace(/(\/atlas\/[^/#?]+)/, '$1/geschiedenis'))
    await page.getByTestId('history-list').waitFor({ timeout: 20_000 })
    await page.getByTestId('history-moment').first().getByRole('button').click()
    await page.getByTestId('history-compare').waitFor()
    await audit.check(page, 'history')
    await page.context().close()
    expect(audit.findings, audit.report()).toEqual([])
    expect(audit.screens).toContain('a professional waiting during privétijd')
    expect(audit.screens.filter((s) => s.startsWith('meeting step'))).toHaveLength(
      MEETING_STEPS.length,
    )
  })
})

describe('the accessibility audit at 200 % zoom (640 × 400)', () => {
  it('finds nothing serious on a map, its people, the dialogs, the plan, meeting, basisteam and history', async () => {
    const audit = new Audit()
    const page = await openSampleAtlas(browser, server.url, 'nl')
    await page.setViewportSize({ width: 640, height: 400 })
    await audit.check(page, 'map at 640 × 400')
    const folded = page.locator('.people-toggle[aria-expanded="false"]')
    if ((await folded.count()) > 0) await folded.click()
    await page.locator('.person-row').first().waitFor()
    await audit.check(page, 'people panel at 640 × 400')
    await page.getByRole('button', { name: 'Delen' }).click()
    await page.getByTestId('link').first().waitFor()
    await audit.check(page, 'share dialog at 640 × 400')
    await page.keyboard.press('Escape')
    await page.locator('dialog[open]').waitFor({ state: 'detached' })
    await page.getByTestId('export-button').click()
    await page.getByTestId('export-preview').locator('img').first().waitFor({ timeout: 30_000 })
    await audit.check(page, 'export dialog at 640 × 400')
    await page.keyboard.press('Escape')
    await page.getByTestId('export-dialog').waitFor({ state: 'detached' })

    const atlasUrl = page.url()
    for (const [screen, testId] of [
      ['plan', 'plan-screen'],
      ['bijeenkomst', 'meeting-screen'],
      ['basisteam', 'basisteam-screen'],
      ['geschiedenis', 'history-screen'],
    ] as const) {
      await page.goto(atlasUrl.replace(/(\/atlas\/[^/#?]+)/, `$1/${screen}`))
      await page.getByTestId(testId).waitFor({ timeout: 20_000 })
      await audit.check(page, `${screen} at 640 × 400`)
    }
    await page.context().close()
    expect(audit.findings, audit.report()).toEqual([])
  })
})

describe('the audit itself', () => {
  it('reports an unlabelled button by its rule and place', async () => {
    const page = await newPage('nl')
    await page.goto(server.url)
    await page.locator('main').first().waitFor()
    expect(await auditPage(page)).toEqual([])
    await page.evaluate(() => {
      const button = document.createElement('button')
      button.id = 'no-name'
      button.innerHTML =
        '<svg width="24" height="24" viewBox="0 0 24 24"><path d="M4 12h16" stroke="black"/></svg>'
      document.querySelector('main')?.append(button)
    })
    const findings = await auditPage(page)
    await page.context().close()
    expect(findings).toEqual([
      expect.objectContaining({ rule: 'button-name', impact: 'critical', target: '#no-name' }),
    ])
    expect(describeFindings(findings)).toMatch(/critical button-name at #no-name: Fix any/)
  })
})
