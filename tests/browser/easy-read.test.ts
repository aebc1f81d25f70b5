/**
 * Easy-read ("Makkelijk lezen"): switched on with the keyboard, it keeps five large tools with
 * their words, shows the short Dutch sentences, survives a reload and goes away again; the share
 * dialog asks one thing per screen; axe finds nothing serious with it on.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { easyEn } from '../../client/i18n/easy/en'
import { easyNl } from '../../client/i18n/easy/nl'
import { en } from '../../client/i18n/en'
import { nl } from '../../client/i18n/nl'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { auditPage, describeFindings } from '../helpers/axe'
import { openSampleAtlas } from '../helpers/pages'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
})

afterAll(() => closeAppAndBrowser(server, browser))

/** The five tools of easy-read, in Dutch, in their order. */
const EASY_TOOLS = [
  nl.atlas.tools.select,
  nl.people.tools.person,
  nl.people.tools.relation,
  nl.people.tools.event,
  nl.easyRead.undo,
]

/** The accessible name of what has the keyboard focus. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    if (!el || el === document.body) return ''
    return (el.getAttribute('aria-label') ?? el.textContent ?? el.tagName)
      .replace(/\s+/g, ' ')
      .trim()
  })
}

/** Presses Tab until the keyboard is on the element named `name`; fails after 150 presses. */
async function tabTo(page: Page, name: string): Promise<void> {
  const seen: string[] = []
  for (let i = 0; i < 150; i++) {
    const now = await focused(page)
    if (now === name) return
    seen.push(now)
    await page.keyboard.press('Tab')
  }
  throw new Error(`Tab never reached "${name}"; it went through: ${seen.join(' | ')}`)
}

/** WCAG's contrast ratio of two opaque CSS rgb() colours. */
function contrast(a: string, b: string): number {
  const luminance = (rgb: string) => {
    const [r, g, bl] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((c) => {
      const v = Number(c) / 255
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
    }) as [number, number, number]
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl
  }
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

/** The names of the buttons in the easy-read toolbar ([] when there is none). */
function easyToolbar(page: Page): Promise<string[]> {
  return page
    .getByRole('toolbar', { name: nl.easyRead.toolbar })
    .getByRole('button')
    .allTextContents()
    .then((names) => names.map((n) => n.trim()))
}

/** How many of tldraw's own tool buttons the toolbar shows. */
function tldrawTools(page: Page): Promise<number> {
  return page.locator('.tlui-main-toolbar [data-testid^="tools."]').count()
}

async function sampleWithEasyRead(): Promise<Page> {
  const page = await openSampleAtlas(browser, server.url, 'nl')
  await page.getByTestId('easy-read-switch').click()
  await page.getByTestId('easy-toolbar').waitFor()
  return page
}

describe('easy-read', () => {
  it('is switched on by keyboard: five tools with words, short sentences, kept after a reload, and off again', async () => {
    const page = await openSampleAtlas(browser, server.url, 'nl')
    // The full toolbar first: tldraw's drawing tools beside the atlas's.
    await expect.poll(() => tldrawTools(page)).toBeGreaterThan(5)
    await expect(page.getByRole('button', { name: nl.mapText.show }).count()).resolves.toBe(1)

    // On, with keys alone.
    await page.locator('.tl-container').focus()
    await tabTo(page, nl.easyRead.switch)
    await page.keyboard.press('Enter')
    await expect.poll(() => easyToolbar(page)).toEqual(EASY_TOOLS)
    expect(await tldrawTools(page)).toBe(0)
    const easySwitch = page.getByTestId('easy-read-switch')
    expect(await easySwitch.getAttribute('aria-pressed')).toBe('true')
    // The easy catalogue's words, not the normal ones.
    await page.getByRole('button', { name: easyNl.mapText.show }).waitFor()
    expect(await page.getByRole('button', { name: nl.mapText.show }).count()).toBe(0)
    // Large targets: every tool and the switch at least 56 px high, the words larger.
    const heights = await page
      .locator('[data-testid="easy-toolbar"] button, [data-testid="easy-read-switch"]')
      .evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height))
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(56)
    // axe leaves the colours of what lies over the canvas "to review": the tools' words are
    // checked here, 4.5:1 against their own background (pressed and not).
    const colours = await page
      .locator('[data-testid="easy-toolbar"] button:not(:disabled)')
      .evaluateAll((els) =>
        els.map((el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]),
      )
    for (const [text, background] of colours) {
      expect(
        contrast(text ?? '', background ?? ''),
        `${text} on ${background}`,
      ).toBeGreaterThanOrEqual(4.5)
    }
    expect(
      await page.evaluate(() =>
        Number.parseFloat(getComputedStyle(document.documentElement).fontSize),
      ),
    ).toBeGreaterThanOrEqual(22)

    // The tools work from the keyboard: Enter on "Gebeurtenis" makes an event in the middle.
    const events = () =>
      page.evaluate(
        "window.editor.getCurrentPageShapes().filter((s) => s.type === 'event').length",
      ) as Promise<number>
    await page.evaluate("void window.editor.setCurrentPage('page:gebeurteniskaart')")
    const before = await events()
    await page.getByRole('button', { name: nl.people.tools.event, exact: true }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(events).toBe(before + 1)

    // Kept on this device: still on after a reload.
    await page.reload()
    await page.waitForFunction(
      () =>
        ((
          window as unknown as { editor?: { getCurrentPageShapes(): unknown[] } }
        ).editor?.getCurrentPageShapes().length ?? 0) > 0,
    )
    await expect.poll(() => easyToolbar(page)).toEqual(EASY_TOOLS)
    expect(await page.getByTestId('easy-read-switch').getAttribute('aria-pressed')).toBe('true')

    // Off again: the full toolbar and the normal words are back.
    await page.getByTestId('easy-read-switch').focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => tldrawTools(page)).toBeGreaterThan(5)
    expect(await easyToolbar(page)).toEqual([])
    await page.getByRole('button', { name: nl.mapText.show }).waitFor()
    await page.context().close()
  })

  it('is on the home page too, with its short sentences', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    await context.addInitScript("localStorage.setItem('netwerkatlas:language', 'nl')")
    const page = await context.newPage()
    await page.goto(server.url)
    await page.getByRole('button', { name: nl.easyRead.switch }).click()
    await page.getByText(easyNl.app.tagline).waitFor()
    expect(await page.getByText(nl.app.tagline).count()).toBe(0)
    await context.close()
  })

  it('asks one thing per screen in the share dialog, with Volgende and Terug', async () => {
    const page = await sampleWithEasyRead()
    await page.getByRole('button', { name: nl.share.button }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByText(easyNl.access.links.intro).waitFor()
    const step = (n: number, total: number) =>
      dialog.getByText(
        nl.easyRead.step.replace('{{n}}', String(n)).replace('{{total}}', String(total)),
      )
    // The first screen only tells; the question of the role comes after "Volgende".
    expect(await dialog.getByRole('radio').count()).toBe(0)
    await dialog.getByRole('button', { name: nl.easyRead.next }).click()
    await dialog.getByRole('radio', { name: /^Alleen kijken/ }).check()
    expect(
      await dialog.getByRole('textbox', { name: easyNl.access.links.forWho }).isVisible(),
    ).toBe(false)
    await dialog.getByRole('button', { name: nl.easyRead.next }).click()
    await dialog.getByRole('textbox', { name: easyNl.access.links.forWho }).fill('Oma Truus')
    expect(await dialog.getByRole('radio').first().isVisible()).toBe(false)
    // Back keeps what was chosen.
    await dialog.getByRole('button', { name: nl.easyRead.back }).click()
    expect(await dialog.getByRole('radio', { name: /^Alleen kijken/ }).isChecked()).toBe(true)
    await dialog.getByRole('button', { name: nl.easyRead.next }).click()
    expect(await step(3, await stepsTotal(page)).count()).toBe(1)
    await dialog.getByRole('button', { name: easyNl.access.links.makeButton }).click()
    await dialog.getByRole('textbox', { name: 'Link voor Oma Truus' }).waitFor()
    await page.context().close()
  })

  it("asks a new person's questions one per screen in the inspector", async () => {
    const page = await sampleWithEasyRead()
    await page.getByRole('button', { name: nl.people.panel.add }).click()
    const name = page.getByRole('textbox', { name: nl.people.person.name, exact: true })
    await name.waitFor()
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('INPUT')
    await page.keyboard.type('Noor')
    const gender = page.getByRole('group', { name: nl.people.person.gender })
    expect(await gender.isVisible()).toBe(false)
    const inspector = page.locator('.inspector')
    await inspector.getByRole('button', { name: nl.easyRead.next }).click()
    await gender.waitFor()
    expect(await name.isVisible()).toBe(false)
    await inspector.getByRole('button', { name: nl.easyRead.back }).click()
    await name.waitFor()
    expect(await name.inputValue()).toBe('Noor')
    await page.context().close()
  })

  it("asks a relation's and an event's questions one per screen in the inspector too", async () => {
    const page = await sampleWithEasyRead()
    const inspector = page.locator('.inspector')
    const choose = (type: string) =>
      page.evaluate((type) => {
        type Editor = {
          getCurrentPageShapes(): { id: string; type: string }[]
          select(id: string): void
        }
        const editor = (window as unknown as { editor: Editor }).editor
        const shape = editor.getCurrentPageShapes().find((s) => s.type === type)
        if (!shape) throw new Error(`no ${type} on this page`)
        editor.select(shape.id)
      }, type)
    const next = inspector.getByRole('button', { name: nl.easyRead.next })

    await choose('relation')
    const kind = inspector.getByRole('combobox', { name: nl.people.relation.kind })
    await kind.waitFor()
    const direction = inspector.getByRole('group', { name: nl.people.relation.direction })
    expect(await direction.isVisible()).toBe(false)
    await next.click()
    await direction.waitFor()
    expect(await kind.isVisible()).toBe(false)

    await page.evaluate(() => {
      const editor = (window as unknown as { editor: { setCurrentPage(id: string): void } }).editor
      editor.setCurrentPage('page:gebeurteniskaart')
    })
    await choose('event')
    // The title first: a new event puts the keyboard there.
    const title = inspector.getByRole('textbox', { name: nl.people.event.title, exact: true })
    await title.waitFor()
    const date = inspector.getByRole('textbox', { name: nl.people.event.date })
    expect(await date.isVisible()).toBe(false)
    await next.click()
    await date.waitFor()
    expect(await title.isVisible()).toBe(false)
    await page.context().close()
  })

  it('asks one thing per screen in the export dialog', async () => {
    const page = await sampleWithEasyRead()
    await page.getByRole('button', { name: nl.exportDialog.button }).click()
    const dialog = page.getByTestId('export-dialog')
    const what = dialog.getByRole('group', { name: nl.exportDialog.what })
    await what.waitFor()
    const which = dialog.getByRole('group', { name: nl.exportDialog.instrument })
    expect(await which.isVisible()).toBe(false)
    await dialog.getByRole('button', { name: nl.easyRead.next }).click()
    await which.waitFor()
    expect(await what.isVisible()).toBe(false)
    await dialog.getByRole('button', { name: nl.easyRead.back }).click()
    await what.waitFor()
    await page.context().close()
  })

  it('has a speaker beside the texts of a dialog', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    await context.addInitScript(RECORDING_SPEECH)
    await context.addInitScript(
      "localStorage.setItem('netwerkatlas:language', 'nl'); localStorage.setItem('netwerkatlas:easy-read', 'on')",
    )
    const page = await context.newPage()
    await page.goto(server.url)
    await page.getByRole('button', { name: 'Voorbeeldatlas van Sanne' }).click()
    const dialog = page.getByRole('dialog', { name: easyNl.name.title })
    await dialog.getByRole('button', { name: nl.mapText.readAloud }).click()
    expect(await spoken(page)).toBe(`${easyNl.name.title} ${easyNl.name.intro}`)
    await context.close()
  })

  it('keeps a notice until it is closed: no time-out', async () => {
    const page = await sampleWithEasyRead()
    // The page's clock is the test's: a minute passes at once, without waiting for it.
    await page.clock.install()
    await page.locator('.tl-canvas').click({ position: { x: 640, y: 420 } })
    await page.keyboard.press('Control+a')
    await page.keyboard.press('Delete')
    await page.getByRole('dialog').getByRole('button', { name: nl.deletion.yes }).click()
    const putBack = page.getByRole('button', { name: nl.deletion.putBack })
    await putBack.waitFor()
    await page.clock.fastForward(60_000)
    await page.clock.runFor(1_000)
    expect(await putBack.isVisible()).toBe(true)
    await putBack.click()
    await putBack.waitFor({ state: 'detached' })
    await page.context().close()
  })

  it('shows the word beside every pictogram of the atlas bar', async () => {
    const page = await sampleWithEasyRead()
    const words = async () =>
      Promise.all(
        ['history-button', 'shortcuts-button'].map(async (id) =>
          (await page.getByTestId(id).innerText()).trim(),
        ),
      )
    expect(await words()).toEqual([nl.history.button, nl.shortcuts.button])
    await page.context().close()
  })

  it("keeps tldraw's own notices past their time too", async () => {
    const page = await sampleWithEasyRead()
    // The notice tldraw shows when a page holds too many shapes, through the editor's own event.
    await page.evaluate(() => {
      const editor = (window as unknown as { editor: { emit(e: string, a: unknown): void } }).editor
      editor.emit('max-shapes', { name: 'Relatiekaart', count: 4000 })
    })
    const full = page
      .locator('.tlui-toast__container')
      .filter({ hasText: 'Maximum shapes reached' })
    await full.waitFor()
    // Real time: tldraw's notices run on a timer the page's test clock does not drive; without
    // easy-read this one is gone after 4 s.
    await page.waitForTimeout(6_000)
    expect(await full.count()).toBe(1)
    await page.context().close()
  })

  it('has no serious or critical axe finding with easy-read on', async () => {
    const page = await sampleWithEasyRead()
    const found: string[] = []
    const check = async (screen: string) => {
      const findings = await auditPage(page)
      if (findings.length > 0) found.push(`== ${screen}\n${describeFindings(findings)}`)
    }
    await check('relatiekaart')
    await page.getByRole('button', { name: nl.share.button }).click()
    await page.getByRole('dialog').getByText(easyNl.access.links.intro).waitFor()
    await check('share dialog, first step')
    await page.getByRole('dialog').getByRole('button', { name: nl.easyRead.next }).click()
    await check('share dialog, second step')
    await page.keyboard.press('Escape')
    await page.getByTestId('shortcuts-button').click()
    await page.getByRole('dialog').waitFor()
    await check('shortcuts')
    // The larger words still fit a 1280×800 screen: nothing to scroll.
    const box = await page
      .locator('dialog[open]')
      .evaluate((d) => ({ scroll: d.scrollHeight, client: d.clientHeight }))
    expect(box.scroll).toBeLessThanOrEqual(box.client)
    await page.keyboard.press('Escape')
    await page.getByTestId('plan-button').click()
    await page.getByTestId('plan-screen').waitFor()
    await page.getByRole('button', { name: easyNl.plan.present }).waitFor()
    await check('plan')
    await page.goto(server.url)
    await page.getByText(easyNl.app.tagline).waitFor()
    await check('home')
    expect(found.join('\n'), found.join('\n')).toBe('')
    await page.context().close()
  })

  it('has no serious or critical axe finding with easy-read on in English', async () => {
    const page = await openSampleAtlas(browser, server.url, 'en')
    await page.getByTestId('easy-read-switch').click()
    await page.getByTestId('easy-toolbar').waitFor()
    const found: string[] = []
    const check = async (screen: string) => {
      const findings = await auditPage(page)
      if (findings.length > 0) found.push(`== ${screen}\n${describeFindings(findings)}`)
    }
    await check('relationship map')
    await page.getByRole('button', { name: en.share.button }).click()
    await page.getByRole('dialog').getByText(easyEn.access.links.intro).waitFor()
    await check('share dialog, first step')
    await page.keyboard.press('Escape')
    await page.getByTestId('plan-button').click()
    await page.getByTestId('plan-screen').waitFor()
    await page.getByRole('button', { name: easyEn.plan.present }).waitFor()
    await check('plan')
    await page.goto(server.url)
    await page.getByText(easyEn.app.tagline).waitFor()
    await check('home')
    expect(found.join('\n'), found.join('\n')).toBe('')
    await page.context().close()
  })
})

/**
 * A recording stand-in for the browser's speech synthesis with one Dutch voice of the device
 * (Chromium here has none of its own).
 */
const RECORDING_SPEECH = `
  window.__spoken = []
  window.SpeechSynthesisUtterance = class {
    constructor(text) { this.text = text; this.lang = ''; this.voice = null }
  }
  Object.defineProperty(window, 'speechSynthesis', {
    configurable: true,
    value: {
      speak(u) { window.__spoken.push(u.text) },
      cancel() {},
      getVoices() { return [{ name: 'Xander', lang: 'nl-NL', localService: true }] },
      addEventListener() {},
      removeEventListener() {},
    },
  })`

/** What the stand-in was asked to say, joined. */
async function spoken(page: Page): Promise<string> {
  return ((await page.evaluate('window.__spoken')) as string[]).join(' ')
}

/** How many steps the share dialog has in easy-read, read from its "Stap 1 van N". */
async function stepsTotal(page: Page): Promise<number> {
  const text = (await page.getByRole('dialog').getByTestId('easy-step-count').textContent()) ?? ''
  return Number(text.match(/(\d+)\D*$/)?.[1] ?? 0)
}
