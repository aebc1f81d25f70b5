import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CreateAtlasResponse, Role } from '../../shared/api/atlases'
import { RECORDS_KEY } from '../../shared/sync/layout'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { openAtlasPage } from '../helpers/browser'
import { callApi, createAtlas, createLink, syncedClient, waitFor } from '../helpers/clients'
import { makeLinkInDialog, openLinksDialog, ROLE_WORDS } from '../helpers/links'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
})

afterAll(() => closeAppAndBrowser(server, browser))

/**
 * A fresh device: its own storage, nothing of the atlas on it. It notes the moment an error
 * page or the waiting screen of privétijd first appears, so a test can tell whether a page ever
 * passed through one.
 */
async function newDevice(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  await context.addInitScript(() => {
    const seen = { problem: 0, waiting: 0 }
    ;(window as unknown as { seen: typeof seen }).seen = seen
    new MutationObserver(() => {
      if (!seen.problem && document.querySelector('[data-problem]')) seen.problem = Date.now()
      if (!seen.waiting && document.querySelector('[data-testid="private-time-waiting"]'))
        seen.waiting = Date.now()
    }).observe(document, { childList: true, subtree: true })
  })
  return context
}

/** When (ms since the epoch) the page first showed an error page or the waiting screen; 0 = never. */
function seen(page: Page): Promise<{ problem: number; waiting: number }> {
  return page.evaluate(
    () => (window as unknown as { seen: { problem: number; waiting: number } }).seen,
  )
}

/** Opens `url` as a person would paste it into a fresh device's address bar. */
async function openOnFreshDevice(url: string, name: string): Promise<Page> {
  return openAtlasPage(await newDevice(), url, name)
}

/** The role the atlas page shows, once its canvas is there. */
async function roleOf(page: Page): Promise<string | null> {
  const canvas = page.getByTestId('atlas-canvas')
  await canvas.waitFor({ timeout: 15_000 })
  return canvas.getAttribute('data-role')
}

/** Whether the page's editor is read-only. */
function isReadonly(page: Page): Promise<boolean> {
  return page.evaluate(
    () =>
      (
        window as unknown as { editor: { getInstanceState(): { isReadonly: boolean } } }
      ).editor.getInstanceState().isReadonly,
  )
}

/** Asks the page's editor to create a shape, past any read-only user interface. */
function createShapeIn(page: Page, id: string): Promise<void> {
  return page.evaluate((shapeId) => {
    ;(window as unknown as { editor: { createShape(s: object): void } }).editor.createShape({
      id: shapeId,
      type: 'geo',
      x: 40,
      y: 40,
      props: { w: 80, h: 60 },
    })
  }, `shape:${id}`)
}

/** The shape ids the server holds now, read by a fresh client with an edit secret. */
async function serverShapes(atlasId: string, editToken: string): Promise<string[]> {
  const reader = await syncedClient(server.wsUrl, atlasId, editToken)
  try {
    return [...reader.doc.getMap(RECORDS_KEY).keys()].filter((k) => k.startsWith('shape:'))
  } finally {
    reader.destroy()
  }
}

/** Waits until the server holds shape `id` (read with an edit secret). */
async function serverGets(atlasId: string, editToken: string, id: string): Promise<void> {
  await waitFor(
    async () => (await serverShapes(atlasId, editToken)).includes(`shape:${id}`),
    `the server to hold shape ${id}`,
    15_000,
  )
}

/** The "Deze link werkt niet" page. */
function badLink(page: Page) {
  return page.getByRole('heading', { name: 'Deze link werkt niet' })
}

/** The secret in a link's fragment, after `<role>=`. */
function secretOf(link: string, role: Role): string {
  const match = new RegExp(`[#&]${role}=([\\w-]+)`).exec(link)
  if (!match?.[1]) throw new Error(`no ${role} secret in ${link}`)
  return match[1]
}

describe('links of each role', () => {
  it('made in "Wie heeft een link?", each opens the atlas in its role; professionals read only', async () => {
    const atlas = await createAtlas(server.url)
    const owner = await openOnFreshDevice(server.url + atlas.editUrl, 'Sanne')
    const labels = {
      edit: 'Ria (moeder)',
      view: 'Opa',
      procesbegeleider: 'Fatima (MEE)',
      professional: 'Curator',
    } as const
    const links = {} as Record<Role, string>
    for (const role of Object.keys(labels) as Role[])
      links[role] = await makeLinkInDialog(owner, role, labels[role])

    // The list: every link with its role and label, the first two as "Eerste link", this
    // device's marked, and no secret anywhere on the page.
    await openLinksDialog(owner)
    const rows = owner.getByTestId('link')
    await expect.poll(() => rows.count()).toBe(6)
    const listed = await rows.evaluateAll((els) =>
      els.map((el) => ({
        role: el.getAttribute('data-role'),
        current: el.hasAttribute('data-current'),
        label: el.querySelector('.link-label')?.textContent,
        text: el.textContent ?? '',
      })),
    )
    expect(listed.map(({ role, current, label }) => ({ role, current, label }))).toEqual([
      { role: 'edit', current: true, label: 'Eerste link' },
      { role: 'view', current: false, label: 'Eerste link' },
      { role: 'edit', current: false, label: 'Ria (moeder)' },
      { role: 'view', current: false, label: 'Opa' },
      { role: 'procesbegeleider', current: false, label: 'Fatima (MEE)' },
      { role: 'professional', current: false, label: 'Curator' },
    ])
    for (const row of listed) {
      expect(row.text).toContain(ROLE_WORDS[row.role as Role])
      expect(row.text).toContain('Gemaakt: vandaag')
    }
    expect(listed[0]?.text).toContain('Dit apparaat')
    expect(listed[0]?.text).toContain('Laatst gebruikt: vandaag')
    expect(listed[3]?.text).toContain('Laatst gebruikt: nog nooit')
    const html = await owner.content()
    const secrets = [
      atlas.editToken,
      atlas.viewToken,
      ...(Object.entries(links) as [Role, string][]).map(([role, link]) => secretOf(link, role)),
    ]
    for (const secret of secrets) expect(html).not.toContain(secret)
    await owner.getByRole('button', { name: 'Sluiten' }).click()

    const banner = {
      view: 'Je kijkt mee. Je kunt niets veranderen.',
      procesbegeleider: 'Je kijkt mee als procesbegeleider. Je kunt niets veranderen.',
      professional: 'Je kijkt mee als professional. Je kunt niets veranderen.',
    } as const
    for (const role of Object.keys(labels) as Role[]) {
      const page = await openOnFreshDevice(links[role], labels[role])
      expect(await roleOf(page), role).toBe(role)
      // The address bar holds the link of the page's role.
      expect(page.url(), role).toBe(links[role])
      if (role === 'edit') {
        await createShapeIn(page, `from-${role}`)
        await serverGets(atlas.id, atlas.editToken, `from-${role}`)
        expect(await page.getByRole('button', { name: 'Delen' }).count()).toBe(1)
      } else {
        await page.getByText(banner[role], { exact: true }).waitFor()
        expect(await isReadonly(page), role).toBe(true)
        // Links are managed with an edit link only.
        expect(await page.getByRole('button', { name: 'Delen' }).count(), role).toBe(0)
        // Past the read-only interface, through the editor: nothing reaches the server. An
        // edit made after it does, and a fresh reader then holds that one and not this one.
        await createShapeIn(page, `from-${role}`)
        await createShapeIn(owner, `after-${role}`)
        await serverGets(atlas.id, atlas.editToken, `after-${role}`)
        await expect
          .poll(() => page.evaluate(`window.editor.getShape('shape:after-${role}') != null`))
          .toBe(true)
        expect(await serverShapes(atlas.id, atlas.editToken)).not.toContain(`shape:from-${role}`)
      }
      // The device keeps the atlas with this role: from the home page it opens the same way.
      const home = await page.context().newPage()
      await home.goto(server.url)
      const entry = home.getByRole('link', { name: /Atlas van Sanne/ })
      await expect.poll(() => entry.textContent()).toContain(ROLE_WORDS[role])
      await entry.click()
      expect(await roleOf(home), role).toBe(role)
      expect(home.url(), role).toBe(links[role])
      await page.context().close()
    }
    await owner.context().close()
  })

  it('stopping a link sends its open page to "Deze link werkt niet" within a second', async () => {
    const atlas = await createAtlas(server.url)
    const curator = await createLink(
      server.url,
      atlas.id,
      atlas.editToken,
      'professional',
      'Curator',
    )
    const owner = await openOnFreshDevice(server.url + atlas.editUrl, 'Sanne')
    const pro = await openOnFreshDevice(server.url + curator.url, 'Curator')
    expect(await roleOf(pro)).toBe('professional')

    await openLinksDialog(owner)
    const row = owner.getByTestId('link').filter({ hasText: 'Curator' })
    await row.getByRole('button', { name: 'Link Curator (Professional) stoppen' }).click()
    await row.getByText('Link Curator stoppen?').waitFor()
    // The safe answer has the focus.
    expect(await owner.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
      'Nee, laten staan',
    )
    const asked = Date.now()
    await row.getByRole('button', { name: 'Ja, stoppen' }).click()
    await badLink(pro).waitFor({ timeout: 5_000 })
    const shown = (await seen(pro)).problem
    expect(shown - asked).toBeLessThan(1_000)
    await owner.getByText('De link Curator is gestopt.').waitFor()
    await expect.poll(() => owner.getByTestId('link').count()).toBe(2)

    // It never works again, on any device.
    const again = await (await newDevice()).newPage()
    await again.goto(server.url + curator.url)
    await badLink(again).waitFor()
    await owner.context().close()
    await pro.context().close()
    await again.context().close()
  })
})

describe('"Wie heeft een link?" on a phone', () => {
  it('has every control at least 44 px, each reached with Tab', async () => {
    const atlas = await createAtlas(server.url)
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
    const page = await openAtlasPage(context, server.url + atlas.editUrl, 'Sanne')
    await openLinksDialog(page)
    await page.getByTestId('link').first().waitFor()
    for (const more of await page.locator('dialog summary').all()) await more.click()
    const controls = await page.evaluate(() =>
      [
        ...document.querySelectorAll(
          'dialog button, dialog summary, dialog .role-option, dialog input:not([type=radio])',
        ),
      ].map((el) => {
        const box = el.getBoundingClientRect()
        const name = el.getAttribute('aria-label') ?? el.id ?? ''
        return { name: name || el.textContent?.trim(), w: box.width, h: box.height }
      }),
    )
    expect(controls.length).toBeGreaterThan(12)
    expect(controls.filter((c) => c.w < 44 || c.h < 44)).toEqual([])

    // Tab goes through the dialog: the stop buttons, the role, the label, each "more" part.
    const reached = new Set<string>()
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab')
      reached.add(
        await page.evaluate(() => {
          const el = document.activeElement
          return el?.getAttribute('aria-label') || el?.id || el?.textContent?.trim() || ''
        }),
      )
    }
    for (const name of [
      'Link Eerste link (Samen tekenen) stoppen',
      'Link Eerste link (Alleen kijken) stoppen',
      'link-label',
      'Maak de link',
      'Nieuwe link om te tekenen',
      'rotate-label',
      'Nieuwe link om te tekenen, de oude stoppen',
      'De atlas overdragen aan de klant',
      'handover-own',
      'handover-client',
      'Overdragen aan de klant',
      'Sluiten',
    ])
      expect([...reached]).toContain(name)
    await context.close()
  })
})

describe('a new link to draw with, the old ones stopped', () => {
  it('keeps the device that made it working with the new link; the old link stops everywhere', async () => {
    const atlas = await createAtlas(server.url)
    const owner = await openOnFreshDevice(server.url + atlas.editUrl, 'Sanne')
    const other = await openOnFreshDevice(server.url + atlas.editUrl, 'Zus')

    await openLinksDialog(owner)
    await owner.getByText('Nieuwe link om te tekenen', { exact: true }).click()
    await owner.getByLabel('Voor wie is de nieuwe link?').fill('Sanne')
    await owner.getByRole('button', { name: 'Nieuwe link om te tekenen, de oude stoppen' }).click()
    await owner.getByRole('button', { name: 'Ja, nieuwe link maken' }).click()
    const shown = await owner.getByRole('textbox', { name: 'Link voor Sanne' }).inputValue()
    await owner.getByText('Je ziet deze link maar één keer.', { exact: false }).waitFor()
    expect(await owner.getByRole('img', { name: 'QR-code van de link voor Sanne' }).count()).toBe(1)
    const token = secretOf(shown, 'edit')
    expect(token).not.toBe(atlas.editToken)

    // The other device with the old edit link: "Deze link werkt niet".
    await badLink(other).waitFor({ timeout: 5_000 })

    // This device goes on, with the new link in its address bar, and never showed an error.
    await expect.poll(() => secretOf(owner.url(), 'edit')).toBe(token)
    // The view secret the old edit link carried stopped with it.
    expect(owner.url()).toBe(`${server.url}/atlas/${atlas.id}#edit=${token}`)
    await owner.getByRole('button', { name: 'Klaar' }).click()
    await owner.getByRole('button', { name: 'Sluiten' }).click()
    expect(await roleOf(owner)).toBe('edit')
    await owner.locator('.connection[data-state="online"]').waitFor({ timeout: 15_000 })
    await createShapeIn(owner, 'after-rotation')
    await serverGets(atlas.id, token, 'after-rotation')
    expect((await seen(owner)).problem).toBe(0)
    // After a reload too.
    await owner.reload()
    expect(await roleOf(owner)).toBe('edit')
    expect(secretOf(owner.url(), 'edit')).toBe(token)

    // The old link on a fresh device: stopped. The new one: edits.
    const late = await (await newDevice()).newPage()
    await late.goto(server.url + atlas.editUrl)
    await badLink(late).waitFor()
    const fresh = await openOnFreshDevice(shown, 'Buurman')
    expect(await roleOf(fresh)).toBe('edit')
    for (const page of [owner, other, late, fresh]) await page.context().close()
  })

  it("hands the atlas over: the client's new link as a QR code, the facilitator keeps only a procesbegeleider link", async () => {
    const atlas = await createAtlas(server.url)
    const facilitator = await openOnFreshDevice(server.url + atlas.editUrl, 'Fatima')

    await openLinksDialog(facilitator)
    await facilitator.getByText('De atlas overdragen aan de klant', { exact: true }).click()
    expect(await facilitator.getByLabel('Jouw naam in de lijst').inputValue()).toBe('Fatima')
    // A blank name is caught before the question, and the blank field gets the focus.
    const clientName = facilitator.getByLabel('De klant in de lijst')
    await clientName.fill(' ')
    await facilitator.getByRole('button', { name: 'Overdragen aan de klant' }).click()
    await facilitator.getByText('Vul eerst iets in bij ‘De klant in de lijst’.').waitFor()
    expect(await facilitator.getByRole('button', { name: 'Ja, overdragen' }).count()).toBe(0)
    expect(await clientName.getAttribute('aria-invalid')).toBe('true')
    expect(await facilitator.evaluate(() => document.activeElement?.id)).toBe('handover-client')
    await clientName.fill('Sanne')
    // Filled in, the field is no longer marked and its message goes.
    await facilitator.getByText('Vul eerst iets in bij ‘De klant in de lijst’.').waitFor({
      state: 'detached',
    })
    expect(await clientName.getAttribute('aria-invalid')).toBeNull()
    await facilitator.getByRole('button', { name: 'Overdragen aan de klant' }).click()
    await facilitator.getByRole('button', { name: 'Ja, overdragen' }).click()
    const clientLink = await facilitator
      .getByRole('textbox', { name: 'Link voor Sanne' })
      .inputValue()
    await facilitator.getByRole('img', { name: 'QR-code van de link voor Sanne' }).waitFor()

    // The facilitator's page goes on as procesbegeleider, the QR code still on the screen.
    await expect
      .poll(() => facilitator.getByTestId('atlas-canvas').getAttribute('data-role'), {
        timeout: 10_000,
      })
      .toBe('procesbegeleider')
    expect(facilitator.url()).toMatch(/#procesbegeleider=[\w-]{43}$/)
    expect(await facilitator.getByRole('textbox', { name: 'Link voor Sanne' }).inputValue()).toBe(
      clientLink,
    )
    await facilitator.getByRole('button', { name: 'Klaar' }).click()
    await facilitator
      .getByText('Je kijkt mee als procesbegeleider. Je kunt niets veranderen.')
      .waitFor()
    expect((await seen(facilitator)).problem).toBe(0)
    // His device holds only the procesbegeleider link.
    const kept = await facilitator.evaluate(() => localStorage.getItem('netwerkatlas:atlases'))
    const entry = (JSON.parse(kept ?? '[]') as Record<string, string>[])[0] ?? {}
    expect(Object.keys(entry).filter((k) => k.endsWith('Token'))).toEqual(['procesbegeleiderToken'])
    expect(entry.procesbegeleiderToken).toBe(secretOf(facilitator.url(), 'procesbegeleider'))

    // The client scans it: he draws; the facilitator's old edit link no longer works.
    const client = await openOnFreshDevice(clientLink, 'Sanne')
    expect(await roleOf(client)).toBe('edit')
    await openLinksDialog(client)
    const rows = await client
      .getByTestId('link')
      .evaluateAll((els) =>
        els.map(
          (el) => `${el.getAttribute('data-role')} ${el.querySelector('.link-label')?.textContent}`,
        ),
      )
    // The view secret the old edit link carried stopped with it.
    expect(rows).toEqual(['procesbegeleider Fatima', 'edit Sanne'])
    const old = await (await newDevice()).newPage()
    await old.goto(server.url + atlas.editUrl)
    await badLink(old).waitFor()
    const oldView = await (await newDevice()).newPage()
    await oldView.goto(server.url + atlas.viewUrl)
    await badLink(oldView).waitFor()
    for (const page of [facilitator, client, old, oldView]) await page.context().close()
  })
})

describe('privétijd on a professional’s page', () => {
  /** Switches privétijd with the edit secret, as the client's screen does. */
  async function switchPrivateTime(atlas: CreateAtlasResponse, on: boolean): Promise<void> {
    const response = await callApi(
      server.url,
      'PUT',
      `/api/atlases/${atlas.id}/private-time`,
      atlas.editToken,
      { on },
    )
    expect(response.status).toBe(204)
  }

  it('shows the waiting screen and nothing of the atlas, and comes back by itself when it ends', async () => {
    const atlas = await createAtlas(server.url)
    const curator = await createLink(
      server.url,
      atlas.id,
      atlas.editToken,
      'professional',
      'Curator',
    )
    const facilitator = await createLink(
      server.url,
      atlas.id,
      atlas.editToken,
      'procesbegeleider',
      'Fatima',
    )
    const owner = await openOnFreshDevice(server.url + atlas.editUrl, 'Sanne')
    const viewer = await openOnFreshDevice(server.url + atlas.viewUrl, 'Opa')
    const pro = await openOnFreshDevice(server.url + curator.url, 'Curator')
    const pb = await openOnFreshDevice(server.url + facilitator.url, 'Fatima')
    expect(await roleOf(pro)).toBe('professional')
    expect(await roleOf(pb)).toBe('procesbegeleider')

    await switchPrivateTime(atlas, true)
    for (const page of [pro, pb]) {
      const waiting = page.getByTestId('private-time-waiting')
      await waiting.waitFor({ timeout: 5_000 })
      await waiting.getByRole('heading', { name: 'Privétijd: de familie overlegt' }).waitFor()
      await waiting
        .getByText(
          'De familie maakt nu samen het plan. Jij bent even niet nodig. Dit scherm gaat vanzelf verder als ze klaar zijn.',
        )
        .waitFor()
      expect(await page.getByTestId('atlas-canvas').count()).toBe(0)
      expect(await page.locator('.tl-canvas').count()).toBe(0)
      expect(await page.getByText('Atlas van Sanne').count()).toBe(0)
      // The address bar still holds the link, so the page can come back.
      expect(page.url()).toContain('#')
    }
    // A professional who opens his link now waits too.
    const late = await (await newDevice()).newPage()
    await late.goto(server.url + curator.url)
    await late.getByTestId('private-time-waiting').waitFor()
    // The client and his network go on.
    expect(await roleOf(owner)).toBe('edit')
    expect(await roleOf(viewer)).toBe('view')
    await createShapeIn(owner, 'during-private-time')
    await expect
      .poll(() => viewer.evaluate("window.editor.getShape('shape:during-private-time') != null"))
      .toBe(true)

    await switchPrivateTime(atlas, false)
    for (const page of [pro, pb, late]) {
      expect(await roleOf(page)).toMatch(/professional|procesbegeleider/)
      await expect
        .poll(() => page.evaluate("window.editor?.getShape('shape:during-private-time') != null"), {
          timeout: 15_000,
        })
        .toBe(true)
      expect(await page.getByTestId('private-time-waiting').count()).toBe(0)
    }
    expect(pro.url()).toBe(server.url + curator.url)
    expect((await seen(pro)).problem).toBe(0)
    for (const page of [owner, viewer, pro, pb, late]) await page.context().close()
  })
})
