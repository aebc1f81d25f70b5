import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { openAtlasPage } from '../helpers/browser'
import { createAtlas } from '../helpers/clients'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser
const contexts: BrowserContext[] = []

/** Opens a link in a fresh browser context and answers the one-time name question. */
async function openAtlas(link: string, name: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  contexts.push(context)
  return openAtlasPage(context, server.url + link, name)
}

function currentPageId(page: Page): Promise<string> {
  return page.evaluate(() =>
    (window as unknown as { editor: { getCurrentPageId(): string } }).editor.getCurrentPageId(),
  )
}

/** Goes to an instrument with tldraw's page menu, as a user would. */
async function goTo(page: Page, name: string): Promise<void> {
  await page.getByTestId('page-menu.button').click()
  await page.getByTestId('page-menu.list').getByText(name, { exact: true }).click()
  await page.keyboard.press('Escape')
  await expect.poll(() => currentPageId(page)).toBe(`page:${name.toLowerCase()}`)
}

/** The texts of the person shapes drawn on the page shown. */
function personTexts(page: Page): Promise<string[]> {
  return page.locator('.tl-shape[data-shape-type="person"]').allTextContents()
}

/** Person records and person/relation shapes as this browser's store holds them. */
function storeSummary(page: Page) {
  return page.evaluate(() => {
    type Rec = {
      id: string
      typeName: string
      type?: string
      parentId?: string
      name?: string
      props?: { personId?: string; fromPersonId?: string; toPersonId?: string; kind?: string }
    }
    const editor = (window as unknown as { editor: { store: { allRecords(): Rec[] } } }).editor
    const all = editor.store.allRecords()
    return {
      persons: all.filter((r) => r.typeName === 'person').map((r) => ({ id: r.id, name: r.name })),
      views: all
        .filter((r) => r.type === 'person')
        .map((r) => ({ page: r.parentId, personId: r.props?.personId })),
      relations: all
        .filter((r) => r.type === 'relation')
        .map((r) => ({
          page: r.parentId,
          from: r.props?.fromPersonId,
          to: r.props?.toPersonId,
          kind: r.props?.kind,
        })),
    }
  })
}

/** The x position of every person on the family map, by name. */
function xOnFamilyMap(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    type Shape = { type: string; parentId: string; x: number; props: { personId: string } }
    const editor = (
      window as unknown as {
        editor: {
          store: {
            allRecords(): Shape[]
            get(id: string): { name: string } | undefined
          }
        }
      }
    ).editor
    const xs: Record<string, number> = {}
    for (const s of editor.store.allRecords()) {
      if (s.type !== 'person' || s.parentId !== 'page:familiekaart') continue
      const name = editor.store.get(s.props.personId)?.name
      if (name) xs[name] = s.x
    }
    return xs
  })
}

async function shows(page: Page, name: string): Promise<void> {
  await expect
    .poll(() => personTexts(page), { timeout: 15_000 })
    .toEqual(expect.arrayContaining([expect.stringContaining(name)]))
}

describe('one person, many maps', () => {
  let a: Page
  let b: Page

  beforeAll(async () => {
    ;({ server, browser } = await startAppAndBrowser())
    const atlas = await createAtlas(server.url, 'Atlas van Sanne')
    a = await openAtlas(atlas.editUrl, 'Sanne')
    b = await openAtlas(atlas.editUrl, 'Begeleider')
  })

  afterAll(async () => {
    for (const context of contexts) await context.close()
    await closeAppAndBrowser(server, browser)
  })

  it('renames a person in A and every map in both browsers shows the new name', async () => {
    // A draws "mam" on the family map with the person tool, and names her at once.
    await goTo(a, 'Familiekaart')
    await a.getByTestId('tools.person').click()
    await a.mouse.click(520, 620)
    const nameField = a.getByLabel('Naam', { exact: true })
    await expect.poll(() => nameField.evaluate((el) => el === document.activeElement)).toBe(true)
    await a.keyboard.type('mam')
    await shows(a, 'mam')

    // B drags the same mam from the people panel onto the relationship map.
    await goTo(b, 'Relatiekaart')
    const row = b.locator('.person-row').filter({ hasText: 'mam' })
    await row.waitFor({ timeout: 15_000 })
    const handle = await row.locator('.person-row-name').boundingBox()
    if (!handle) throw new Error('no row to drag')
    await b.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2)
    await b.mouse.down()
    await b.mouse.move(600, 300, { steps: 8 })
    await b.mouse.up()
    await shows(b, 'mam')
    await row.getByText('Staat op deze kaart').waitFor()

    const afterPlacing = await storeSummary(b)
    const mam = afterPlacing.persons.find((p) => p.name === 'mam')
    expect(mam).toBeDefined()
    expect(afterPlacing.views.filter((v) => v.personId === mam?.id)).toEqual(
      expect.arrayContaining([
        { page: 'page:familiekaart', personId: mam?.id },
        { page: 'page:relatiekaart', personId: mam?.id },
      ]),
    )
    // Still one person: the relationship map shows a view of her, not a copy.
    expect(afterPlacing.persons.filter((p) => p.name === 'mam')).toHaveLength(1)

    // A renames mam to Ria, once.
    await nameField.fill('Ria')

    // Both maps in both browsers show Ria.
    await shows(b, 'Ria')
    await goTo(b, 'Familiekaart')
    await shows(b, 'Ria')
    await shows(a, 'Ria')
    await goTo(a, 'Relatiekaart')
    await shows(a, 'Ria')
    for (const page of [a, b]) {
      const texts = await personTexts(page)
      expect(texts.some((t) => t.includes('mam'))).toBe(false)
    }
  })

  it('makes, joins and edits persons with the keyboard only', async () => {
    await goTo(a, 'Familiekaart')
    await a.keyboard.press('Escape')
    await a.getByRole('button', { name: 'Nieuwe persoon' }).focus()
    await a.keyboard.press('Enter')
    await a.keyboard.type('Kees')
    await shows(a, 'Kees')

    // The "make a line" form of the inspector: Van = Kees, Naar = Ria, kind, Verbind.
    const connect = a.locator('.inspector form')
    await connect.getByLabel('Naar').focus()
    await connect.getByLabel('Naar').selectOption({ label: 'Ria' })
    await connect.getByLabel('Soort relatie').selectOption({ label: 'Getrouwd' })
    await connect.getByRole('button', { name: 'Verbind' }).focus()
    await a.keyboard.press('Enter')
    await a.getByText('De relatie is gemaakt.').waitFor()

    await expect
      .poll(async () => (await storeSummary(b)).relations, { timeout: 15_000 })
      .toEqual([expect.objectContaining({ page: 'page:familiekaart', kind: 'married' })])

    // The birth year typed in A reaches B's person.
    await a.getByRole('button', { name: 'Laat zien waar Kees staat' }).click()
    await a.getByRole('heading', { name: 'Over Kees' }).waitFor()
    await a.getByLabel('Geboortejaar').focus()
    await a.keyboard.type('1968')
    await shows(b, '1968')
  })

  it('adds a parent one row up, joined to the child by a family line', async () => {
    await goTo(a, 'Familiekaart')
    const ria = a.locator('.person-row').filter({ hasText: 'Ria' })
    await ria.getByRole('button', { name: 'Laat zien waar Ria staat' }).click()
    await a.getByRole('heading', { name: 'Over Ria' }).waitFor()
    await a.getByRole('button', { name: 'Ouder toevoegen' }).click()
    await a.keyboard.type('Opa Henk')
    await shows(b, 'Opa Henk')

    const positions = await a.evaluate(() => {
      type Shape = { type: string; y: number; props: { personId: string } }
      const editor = (
        window as unknown as {
          editor: {
            getCurrentPageShapes(): Shape[]
            store: { get(id: string): { name: string } | undefined }
          }
        }
      ).editor
      return editor
        .getCurrentPageShapes()
        .filter((s) => s.type === 'person')
        .map((s) => ({ name: editor.store.get(s.props.personId)?.name, y: s.y }))
    })
    const y = (name: string) => positions.find((p) => p.name === name)?.y ?? Number.NaN
    expect(y('Opa Henk')).toBeLessThan(y('Ria'))
    const summary = await storeSummary(a)
    const id = (name: string) => summary.persons.find((p) => p.name === name)?.id
    expect(summary.relations).toContainEqual({
      page: 'page:familiekaart',
      from: id('Opa Henk'),
      to: id('Ria'),
      kind: 'parent-child',
    })
  })

  it('keeps children in birth order, oldest on the left, when a birth year is filled in', async () => {
    await goTo(a, 'Familiekaart')
    const ria = a.locator('.person-row').filter({ hasText: 'Ria' })
    const addChild = async (name: string) => {
      await ria.getByRole('button', { name: 'Laat zien waar Ria staat' }).click()
      await a.getByRole('button', { name: 'Kind toevoegen' }).click()
      await a.keyboard.type(name)
      await a.keyboard.press('Enter')
    }
    await addChild('Jong')
    await a.getByLabel('Geboortejaar').fill('2010')
    await addChild('Oud')
    // Without a birth year, the new child comes after his brother, on the right.
    const before = await xOnFamilyMap(a)
    expect(before.Oud).toBeGreaterThan(before.Jong as number)
    await a.getByLabel('Geboortejaar').fill('2005')
    for (const page of [a, b]) {
      await expect
        .poll(async () => {
          const xs = await xOnFamilyMap(page)
          return (xs.Oud as number) < (xs.Jong as number)
        })
        .toBe(true)
    }
  })

  it('draws a dotted outline around one household on the family map, seen in B', async () => {
    await goTo(a, 'Familiekaart')
    const ria = a.locator('.person-row').filter({ hasText: 'Ria' })
    await ria.getByRole('button', { name: 'Laat zien waar Ria staat' }).click()
    await a.getByRole('button', { name: 'Huishouden omlijnen' }).click()
    const household = (page: Page) =>
      page.evaluate(() => {
        type Box = { minX: number; minY: number; maxX: number; maxY: number }
        type Shape = {
          id: string
          type: string
          parentId: string
          props: { personId?: string; dash?: string }
          meta: { household?: boolean }
        }
        const editor = (
          window as unknown as {
            editor: {
              store: { allRecords(): Shape[]; get(id: string): { name: string } | undefined }
              getShapePageBounds(id: string): Box | undefined
            }
          }
        ).editor
        const shapes = editor.store.allRecords().filter((s) => s.parentId === 'page:familiekaart')
        const outline = shapes.find((s) => s.type === 'geo' && s.meta.household)
        if (!outline) return null
        const box = editor.getShapePageBounds(outline.id) as Box
        const inside: string[] = []
        for (const s of shapes) {
          if (s.type !== 'person') continue
          const b = editor.getShapePageBounds(s.id) as Box
          const name = editor.store.get(s.props.personId as string)?.name ?? '?'
          if (
            b.minX >= box.minX &&
            b.maxX <= box.maxX &&
            b.minY >= box.minY &&
            b.maxY <= box.maxY
          ) {
            inside.push(name)
          }
        }
        return { dash: outline.props.dash, inside: inside.sort() }
      })
    // Ria, her husband Kees and their children; not her father, Opa Henk.
    for (const page of [a, b]) {
      await expect
        .poll(() => household(page), { timeout: 15_000 })
        .toEqual({ dash: 'dotted', inside: expect.arrayContaining(['Jong', 'Kees', 'Oud', 'Ria']) })
      expect((await household(page))?.inside).not.toContain('Opa Henk')
    }
  })

  it('asks before deleting a person, then removes him from every map, with his lines', async () => {
    await goTo(b, 'Familiekaart')
    const kees = b.locator('.person-row').filter({ hasText: 'Kees' })
    await kees.getByRole('button', { name: 'Laat zien waar Kees staat' }).click()
    await b.getByRole('button', { name: 'Persoon verwijderen' }).click()
    const dialog = b.getByRole('dialog', { name: 'Kees verwijderen?' })
    await dialog.waitFor()
    // Saying no keeps him.
    await dialog.getByRole('button', { name: 'Nee, bewaren' }).click()
    expect((await storeSummary(b)).persons.some((p) => p.name === 'Kees')).toBe(true)

    await b.getByRole('button', { name: 'Persoon verwijderen' }).click()
    await b.getByRole('button', { name: 'Ja, verwijderen' }).click()
    for (const page of [a, b]) {
      await expect
        .poll(async () => {
          const s = await storeSummary(page)
          return {
            kees: s.persons.some((p) => p.name === 'Kees'),
            married: s.relations.some((r) => r.kind === 'married'),
          }
        })
        .toEqual({ kees: false, married: false })
    }
    expect(await personTexts(a)).not.toEqual(
      expect.arrayContaining([expect.stringContaining('Kees')]),
    )
  })

  it('gives a person a small photo, shown round on the card in B, and takes it away', async () => {
    await goTo(a, 'Relatiekaart')
    await goTo(b, 'Relatiekaart')
    const ria = a.locator('.person-row').filter({ hasText: 'Ria' })
    await ria.getByRole('button', { name: 'Laat zien waar Ria staat' }).click()

    // A large PNG (600 × 400), made by the browser itself.
    const base64 = await a.evaluate(() => {
      const canvas = document.createElement('canvas')
      canvas.width = 600
      canvas.height = 400
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D
      ctx.fillStyle = '#c0392b'
      ctx.fillRect(0, 0, 600, 400)
      return canvas.toDataURL('image/png').split(',')[1] as string
    })
    await a.getByLabel('Foto kiezen').setInputFiles({
      name: 'ria.png',
      mimeType: 'image/png',
      buffer: Buffer.from(base64, 'base64'),
    })

    const photoOfRia = (page: Page) =>
      page.evaluate(() => {
        type Rec = { typeName: string; name?: string; photo?: string | null }
        const editor = (window as unknown as { editor: { store: { allRecords(): Rec[] } } }).editor
        return editor.store.allRecords().find((r) => r.typeName === 'person' && r.name === 'Ria')
          ?.photo
      })
    await expect
      .poll(async () => (await photoOfRia(b))?.slice(0, 23), { timeout: 15_000 })
      .toBe('data:image/jpeg;base64,')
    const size = await b.evaluate(
      async (url) => {
        const img = new Image()
        img.src = url
        await img.decode()
        return [img.naturalWidth, img.naturalHeight]
      },
      (await photoOfRia(b)) as string,
    )
    expect(size).toEqual([256, 256])

    // B's relationship map shows the photo instead of the pictogram; A's form shows it too.
    const card = b.locator('.tl-shape[data-shape-type="person"]').filter({ hasText: 'Ria' })
    await card.locator('image').waitFor({ timeout: 15_000 })
    await a.getByRole('img', { name: 'Foto van Ria' }).waitFor()

    // The SVG export draws the photo as well.
    const svg = await b.evaluate(async () => {
      type Editor = {
        getCurrentPageShapes(): Array<{ id: string; type: string }>
        getSvgString(ids: string[]): Promise<{ svg: string } | undefined>
      }
      const editor = (window as unknown as { editor: Editor }).editor
      const ids = editor
        .getCurrentPageShapes()
        .filter((s) => s.type === 'person')
        .map((s) => s.id)
      return (await editor.getSvgString(ids))?.svg ?? ''
    })
    expect(svg).toMatch(/<image[^>]*href="data:image\/jpeg;base64,/)

    await a.getByRole('button', { name: 'Foto weghalen' }).click()
    await expect.poll(() => photoOfRia(b), { timeout: 15_000 }).toBeNull()
    await expect.poll(() => card.locator('image').count()).toBe(0)
  })

  it('takes a view off a map without deleting the person', async () => {
    await goTo(a, 'Relatiekaart')
    const ria = a.locator('.person-row').filter({ hasText: 'Ria' })
    await ria.getByRole('button', { name: 'Laat zien waar Ria staat' }).click()
    await a.getByRole('button', { name: 'Van deze kaart halen' }).click()
    await ria.getByRole('button', { name: 'Zet Ria op de kaart' }).waitFor()
    const summary = await storeSummary(b)
    const id = summary.persons.find((p) => p.name === 'Ria')?.id
    expect(id).toBeDefined()
    await expect
      .poll(async () => (await storeSummary(b)).views.filter((v) => v.personId === id))
      .toEqual([{ page: 'page:familiekaart', personId: id }])
  })
})
