import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { RECORDS_KEY } from '../../shared/sync/layout'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { answerName, openAtlasPage } from '../helpers/browser'
import { syncedClient, waitFor } from '../helpers/clients'
import { goToPage } from '../helpers/pages'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
})

afterAll(() => closeAppAndBrowser(server, browser))

/**
 * The atlas as this browser holds it, for comparing: every document record by id, without the
 * devices' own user records and without a relation's line geometry (drawn from its two persons).
 */
function documentOf(page: Page): Promise<string> {
  return page.evaluate(() => {
    const editor = (window as unknown as { editor: { store: { serialize(s: string): object } } })
      .editor
    const records = editor.store.serialize('document') as Record<string, Record<string, unknown>>
    const kept = Object.keys(records)
      .sort()
      .map((id) => records[id])
      .filter((r) => r.typeName !== 'user')
      .map((r) => {
        if (r.type !== 'relation') return r
        const { x: _x, y: _y, props, ...rest } = r
        const { start: _s, end: _e, ...data } = props as Record<string, unknown>
        return { ...rest, props: data }
      })
    return JSON.stringify(kept)
  })
}

function countOf(page: Page, type: string): Promise<number> {
  return page.evaluate(
    (t) =>
      (window as unknown as { editor: { getCurrentPageShapes(): { type: string }[] } }).editor
        .getCurrentPageShapes()
        .filter((s) => s.type === t).length,
    type,
  )
}

/** The sample atlas in one browser (from the home page), and its edit link opened in a second one. */
async function sampleInTwoBrowsers(): Promise<[Page, Page, string]> {
  const a = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
  await a.goto(server.url)
  await a.getByRole('button', { name: 'Voorbeeldatlas van Sanne' }).click()
  await answerName(a, 'Fatima')
  const link = await a.evaluate(() => {
    const id = location.pathname.split('/').pop() ?? ''
    const entry = JSON.parse(localStorage.getItem('netwerkatlas:atlases') ?? '[]').find(
      (e: { id: string }) => e.id === id,
    )
    return `/atlas/${id}#edit=${entry.editToken}&view=${entry.viewToken}`
  })
  const b = await openAtlasPage(
    await browser.newContext({ viewport: { width: 1280, height: 800 } }),
    server.url + link,
    'Sanne',
  )
  await expect.poll(() => documentOf(b)).toBe(await documentOf(a))
  return [a, b, link]
}

describe('the five instrument pages', () => {
  it('cannot be deleted, renamed, moved or added to by any route, and a second browser sees nothing change', async () => {
    const [a, b, link] = await sampleInTwoBrowsers()
    const before = await documentOf(a)

    // The page menu: the five maps by name, each announced by its name, nothing to edit.
    await a.getByTestId('page-menu.button').click()
    const items = a.getByTestId('page-menu.item')
    await expect.poll(() => items.count()).toBe(5)
    const names = await a.getByTestId('page-menu.list').getByRole('button').allTextContents()
    expect(names).toEqual([
      'Basisposter',
      'Familiekaart',
      'Relatiekaart',
      'Contactschema',
      'Gebeurteniskaart',
    ])
    // A double click goes to the map and closes the list; a right click opens nothing.
    await a.getByRole('button', { name: 'Relatiekaart', exact: true }).dblclick()
    await a.getByTestId('page-menu.button').click()
    await a.getByRole('button', { name: 'Relatiekaart', exact: true }).click({ button: 'right' })
    expect(await a.getByRole('textbox').count()).toBe(0)
    expect(await a.getByRole('menuitem').count()).toBe(0)
    // Enter on the current page goes there and renames nothing.
    const current = a.getByTestId('page-menu.list').locator('[aria-current="page"]')
    await expect.poll(() => current.textContent()).toBe('Relatiekaart')
    await current.focus()
    await a.keyboard.press('Enter')
    expect(await a.getByRole('textbox').count()).toBe(0)
    await expect.poll(() => a.getByTestId('page-menu.list').count()).toBe(0)

    // The keyboard: Alt+→ on the last map makes no new page.
    await goToPage(a, 'Gebeurteniskaart')
    await a.locator('.tl-canvas').click({ position: { x: 700, y: 600 } })
    await a.keyboard.press('Alt+ArrowRight')
    await a.keyboard.press('Alt+ArrowRight')

    // The context menu of a shape offers no other page, so no new one either.
    await goToPage(a, 'Familiekaart')
    await a.evaluate(() => {
      const editor = (window as unknown as { editor: import('tldraw').Editor }).editor
      const person = editor.getCurrentPageShapes().find((s) => s.type === 'person')
      if (person) editor.select(person.id)
    })
    const box = await a.locator('.tl-shape[data-shape-type="person"]').first().boundingBox()
    if (!box) throw new Error('no person on the family map')
    await a.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { button: 'right' })
    await a.getByRole('menuitem').first().waitFor()
    const menu = await a.getByRole('menuitem').allTextContents()
    expect(menu.join('|')).not.toMatch(/pagina|page/i)
    await a.keyboard.press('Escape')

    // Any other route through the editor on this device: deleting, renaming, reordering.
    const attempts = await a.evaluate(() => {
      const editor = (window as unknown as { editor: import('tldraw').Editor }).editor
      const id = 'page:relatiekaart' as import('tldraw').TLPageId
      editor.deletePage(id)
      editor.renamePage(id, 'Weg')
      editor.updatePage({ id, index: 'a9' as import('tldraw').IndexKey })
      editor.store.remove([id])
      return editor.getPages().map((p) => p.name)
    })
    expect(attempts).toEqual([
      'Basisposter',
      'Familiekaart',
      'Relatiekaart',
      'Contactschema',
      'Gebeurteniskaart',
    ])

    // An old client (a tab of an earlier build, a device that deleted offline) takes the page
    // with every shape and binding on it in one change: the server puts it all back at once.
    const [, id, token] = /\/atlas\/([^#]+)#edit=([^&]+)/.exec(link) ?? []
    const old = await syncedClient(
      `${server.url.replace(/^http/, 'ws')}/sync`,
      id ?? '',
      token ?? '',
    )
    const records = old.doc.getMap<Y.Map<unknown>>(RECORDS_KEY)
    const onPage = (r: Y.Map<unknown>) => r.get('parentId') === 'page:relatiekaart'
    const shapes = [...records.entries()].filter(([, r]) => onPage(r)).map(([key]) => key)
    expect(shapes.length).toBeGreaterThan(5)
    old.doc.transact(() => {
      for (const [key, r] of records.entries()) {
        if (shapes.includes(r.get('fromId') as string) || shapes.includes(r.get('toId') as string))
          records.delete(key)
      }
      for (const key of shapes) records.delete(key)
      records.delete('page:relatiekaart')
    })
    await waitFor(() => records.has('page:relatiekaart'), 'the server to put the page back')
    old.destroy()

    expect(await documentOf(a)).toBe(before)
    // The second browser: give the writes time to arrive, then nothing changed.
    await a.evaluate(() => new Promise((r) => setTimeout(r, 1000)))
    expect(await documentOf(a)).toBe(before)
    expect(await documentOf(b)).toBe(before)
  })

  it('shows their names in English, and deletes a free page only after asking', async () => {
    const [a, b] = await sampleInTwoBrowsers()
    await a.evaluate(() => localStorage.setItem('netwerkatlas:language', 'en'))
    await a.reload()
    await a.locator('.connection[data-state="online"]').waitFor()
    await a.getByTestId('page-menu.button').click()
    expect(await a.getByTestId('page-menu.list').getByRole('button').allTextContents()).toEqual([
      'Main poster',
      'Family map',
      'Relationship map',
      'Contact schedule',
      'Life events map',
    ])
    await a.keyboard.press('Escape')

    // A page someone drew on beside the five (an older atlas) is listed after them.
    await b.evaluate(() => {
      const editor = (window as unknown as { editor: import('tldraw').Editor }).editor
      const id = 'page:schets' as import('tldraw').TLPageId
      editor.createPage({ id, name: 'Schets' })
      editor.createShape({ type: 'geo', parentId: id, x: 0, y: 0 })
    })
    await a.getByTestId('page-menu.button').click()
    await a.getByRole('heading', { name: 'Other pages' }).waitFor()
    await a.getByRole('button', { name: 'Delete page Schets' }).click()
    await a.getByText('There is 1 thing on this page.').waitFor()
    await a.getByRole('button', { name: 'No, keep' }).click()
    expect(await b.evaluate('window.editor.getPages().length')).toBe(6)
    await a.getByTestId('page-menu.button').click()
    await a.getByRole('button', { name: 'Delete page Schets' }).click()
    await a.getByRole('button', { name: 'Yes, delete' }).click()
    await expect.poll(() => b.evaluate('window.editor.getPages().length')).toBe(5)
  })
})

describe('removing people and relations', () => {
  it('asks first when several go, says how many, and can be put back by whoever did it', async () => {
    const [a, b] = await sampleInTwoBrowsers()
    await goToPage(a, 'Relatiekaart')
    await goToPage(b, 'Relatiekaart')
    const before = await documentOf(a)
    const persons = await countOf(a, 'person')
    const relations = await countOf(a, 'relation')
    expect(persons).toBeGreaterThan(2)

    // Select everything and press Delete: a question that counts, and "no" keeps it all.
    await a.locator('.tl-canvas').click({ position: { x: 1100, y: 700 } })
    await a.keyboard.press('Control+a')
    await a.keyboard.press('Delete')
    const dialog = a.getByRole('dialog')
    await dialog
      .getByRole('heading', { name: `${persons} personen en ${relations} relaties verwijderen?` })
      .waitFor()
    await dialog.getByRole('button', { name: 'Nee, bewaren' }).click()
    expect(await documentOf(a)).toBe(before)

    // Yes: gone for both browsers; "Terugzetten" brings back exactly what was there.
    await a.keyboard.press('Control+a')
    await a.keyboard.press('Delete')
    await dialog.getByRole('button', { name: 'Ja, verwijderen' }).click()
    await expect.poll(() => countOf(b, 'person')).toBe(0)
    expect(await countOf(b, 'relation')).toBe(0)
    // The people stay in the atlas (only their places on this map went).
    expect(await b.getByRole('button', { name: /^Mensen/ }).textContent()).toContain('9')
    await a.getByRole('button', { name: 'Terugzetten' }).click()
    await expect.poll(() => documentOf(b)).toBe(before)
    expect(await documentOf(a)).toBe(before)

    // Ctrl+Z works too, on the device that deleted.
    await a.keyboard.press('Control+a')
    await a.keyboard.press('Delete')
    await dialog.getByRole('button', { name: 'Ja, verwijderen' }).click()
    await expect.poll(() => countOf(b, 'person')).toBe(0)
    await a.keyboard.press('Control+z')
    await expect.poll(() => documentOf(b)).toBe(before)

    // One person without relations goes without a question.
    const lone = await a.evaluate(() => {
      const editor = (window as unknown as { editor: import('tldraw').Editor }).editor
      const person = editor
        .getCurrentPageShapes()
        .find(
          (s) =>
            s.type === 'person' && editor.getBindingsToShape(s.id, 'relation-end').length === 0,
        )
      if (person) editor.select(person.id)
      return person?.id ?? null
    })
    if (lone) {
      await a.keyboard.press('Delete')
      await expect.poll(() => countOf(b, 'person')).toBe(persons - 1)
      expect(await dialog.count()).toBe(0)
    }
  })

  it('keeps the eraser to drawings: a sweep over people takes none of them', async () => {
    const [a, b] = await sampleInTwoBrowsers()
    await goToPage(a, 'Relatiekaart')
    const before = await documentOf(b)
    const shapes = a.locator('.tl-shape[data-shape-type="person"]')
    const first = await shapes.nth(0).boundingBox()
    const last = await shapes.nth((await shapes.count()) - 1).boundingBox()
    if (!first || !last) throw new Error('no persons on the relationship map')
    await a.keyboard.press('e')
    await a.mouse.move(first.x + first.width / 2, first.y + first.height / 2)
    await a.mouse.down()
    for (let i = 0; i < (await shapes.count()); i++) {
      const box = await shapes.nth(i).boundingBox()
      if (box) await a.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 })
    }
    await a.mouse.up()
    await a.evaluate(() => new Promise((r) => setTimeout(r, 800)))
    expect(await documentOf(b)).toBe(before)
  })
})
