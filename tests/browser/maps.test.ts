import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Editor } from 'tldraw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKGROUND_IDS } from '../../shared/domain/pageLayout'
import { placementAt } from '../../shared/domain/relationMap'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { openAtlasPage } from '../helpers/browser'
import { createAtlas } from '../helpers/clients'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser
const contexts: BrowserContext[] = []

type Point = { x: number; y: number }
type Win = { editor: Editor }

/** Opens a link in a fresh browser context and answers the one-time name question. */
async function openAtlas(link: string, name: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  contexts.push(context)
  const page = await openAtlasPage(context, server.url + link, name)
  // The five instrument pages and their backgrounds are laid out once the atlas is open.
  await page.waitForFunction(
    () => Boolean((window as unknown as Win).editor?.getShape('shape:timeline' as never)),
    null,
    { timeout: 15_000 },
  )
  return page
}

/** Shows an instrument page, zoomed to fit what is on it. */
async function show(page: Page, pageId: string): Promise<void> {
  await page.evaluate((id) => {
    const editor = (window as unknown as Win).editor
    editor.setCurrentPage(id as never)
    editor.zoomToFit()
  }, pageId)
}

/** Drags with the real mouse from one page point to another. */
async function drag(page: Page, from: Point, to: Point): Promise<void> {
  const [a, b] = await page.evaluate(
    ([p, q]) => {
      const editor = (window as unknown as Win).editor
      return [editor.pageToScreen(p), editor.pageToScreen(q)]
    },
    [from, to],
  )
  await page.mouse.move(a.x, a.y)
  await page.mouse.down()
  for (let i = 1; i <= 12; i++) {
    await page.mouse.move(a.x + ((b.x - a.x) * i) / 12, a.y + ((b.y - a.y) * i) / 12)
    await page.waitForTimeout(16)
  }
  await page.mouse.up()
}

/** Centre (page space) of a shape, as this browser sees it. */
function centreOf(page: Page, shapeId: string): Promise<Point | null> {
  return page.evaluate((id) => {
    const editor = (window as unknown as Win).editor
    const box = editor.getShapePageBounds(id as never)
    return box ? { x: box.center.x, y: box.center.y } : null
  }, shapeId)
}

/** Closeness and sector of a person record, as this browser's store holds them. */
function placementOf(page: Page, personId: string) {
  return page.evaluate((id) => {
    const person = (window as unknown as Win).editor.store.get(id as never) as unknown as
      | { closeness: string | null; sector: string | null }
      | undefined
    return person ? { closeness: person.closeness, sector: person.sector } : null
  }, personId)
}

const RING_MAP: string = BACKGROUND_IDS.ringMap

describe('the maps in two browsers', () => {
  let a: Page
  let b: Page
  /** Centre and diameter of the ring map (the same in both browsers). */
  let map: { centre: Point; diameter: number }

  beforeAll(async () => {
    ;({ server, browser } = await startAppAndBrowser())
    const atlas = await createAtlas(server.url, 'Atlas van Sanne')
    a = await openAtlas(atlas.editUrl, 'Sanne')
    b = await openAtlas(atlas.editUrl, 'Begeleider')
    map = await a.evaluate((id) => {
      const shape = (window as unknown as Win).editor.getShape(id as never) as unknown as {
        x: number
        y: number
        props: { w: number }
      }
      const r = shape.props.w / 2
      return { centre: { x: shape.x + r, y: shape.y + r }, diameter: shape.props.w }
    }, RING_MAP)
  })

  afterAll(async () => {
    for (const context of contexts) await context.close()
    await closeAppAndBrowser(server, browser)
  })

  it('moving a person to another ring in A changes his closeness in B, and back', async () => {
    await show(a, 'page:relatiekaart')
    await show(b, 'page:relatiekaart')
    // Ria stands in the acquaintances ring of the family sector (straight up, 650 from the centre).
    await a.evaluate((c) => {
      const editor = (window as unknown as Win).editor
      const types = editor.store.schema.types as unknown as Record<
        string,
        { create(r: object): never }
      >
      editor.store.put([types.person.create({ id: 'person:ria', name: 'Ria', gender: 'female' })])
      editor.createShape({
        id: 'shape:ria' as never,
        type: 'person',
        x: c.x - 80,
        y: c.y - 650 - 75,
        props: { personId: 'person:ria', w: 160, h: 150 },
      })
    }, map.centre)
    await expect
      .poll(() => placementOf(b, 'person:ria'), { timeout: 15_000 })
      .toEqual({ closeness: 'acquaintances', sector: 'family' })

    // A drags her into the inner ring, a little to the right: still family, now very close.
    const from = await centreOf(a, 'shape:ria')
    if (!from) throw new Error('Ria is not drawn in A')
    await drag(a, from, { x: map.centre.x + 60, y: map.centre.y - 220 })
    await expect
      .poll(() => placementOf(a, 'person:ria'))
      .toEqual({ closeness: 'very-close', sector: 'family' })
    await expect
      .poll(() => placementOf(b, 'person:ria'), { timeout: 15_000 })
      .toEqual({ closeness: 'very-close', sector: 'family' })

    // B edits her record (as the panel does): in A her shape moves to that ring and sector.
    await b.evaluate(() => {
      const editor = (window as unknown as Win).editor
      const ria = editor.store.get('person:ria' as never) as unknown as object
      editor.store.put([{ ...ria, closeness: 'services', sector: 'work' } as never])
    })
    await expect
      .poll(
        async () => {
          const c = await centreOf(a, 'shape:ria')
          return c && placementAt(c, map.centre, map.diameter)
        },
        { timeout: 15_000 },
      )
      .toEqual({ closeness: 'services', sector: 'work' })
  })

  it('draws a relation with the tool, and the line follows a moved person in B', async () => {
    await a.evaluate((c) => {
      const editor = (window as unknown as Win).editor
      const types = editor.store.schema.types as unknown as Record<
        string,
        { create(r: object): never }
      >
      editor.store.put([types.person.create({ id: 'person:kees', name: 'Kees', gender: 'male' })])
      editor.createShape({
        id: 'shape:kees' as never,
        type: 'person',
        x: c.x + 400 - 80,
        y: c.y - 75,
        props: { personId: 'person:kees', w: 160, h: 150 },
      })
      editor.zoomToFit()
    }, map.centre)
    const ria = await centreOf(a, 'shape:ria')
    const kees = await centreOf(a, 'shape:kees')
    if (!ria || !kees) throw new Error('persons not drawn')
    await a.getByTestId('tools.relation').click()
    await drag(a, ria, kees)

    /** The relation between Ria and Kees as B sees it: its end (page space) and Kees's box. */
    const relationInB = () =>
      b.evaluate(() => {
        const editor = (window as unknown as Win).editor
        const relation = editor
          .getCurrentPageShapes()
          .find(
            (s) =>
              s.type === 'relation' &&
              (s.props as { fromPersonId: string }).fromPersonId === 'person:ria' &&
              (s.props as { toPersonId: string }).toPersonId === 'person:kees',
          )
        if (!relation) return null
        const bindings = editor.getBindingsFromShape(relation, 'relation-end' as never).length
        const vertices = editor.getShapeGeometry(relation).vertices
        const last = vertices[vertices.length - 1]
        if (!last) return null
        const end = editor.getShapePageTransform(relation).applyToPoint(last)
        const box = editor.getShapePageBounds('shape:kees' as never)
        if (!box) return null
        const touches =
          end.x >= box.minX - 2 &&
          end.x <= box.maxX + 2 &&
          end.y >= box.minY - 2 &&
          end.y <= box.maxY + 2
        return { bindings, end: { x: Math.round(end.x), y: Math.round(end.y) }, touches }
      })
    await expect
      .poll(relationInB, { timeout: 15_000 })
      .toMatchObject({ bindings: 2, touches: true })
    const before = await relationInB()

    // A moves Kees 300 down with the mouse; in B the line still ends at Kees, somewhere else.
    await a.keyboard.press('Escape')
    await drag(a, kees, { x: kees.x, y: kees.y + 300 })
    await expect
      .poll(
        async () => {
          const now = await relationInB()
          return now && { touches: now.touches, moved: now.end.y - (before?.end.y ?? 0) > 150 }
        },
        { timeout: 15_000 },
      )
      .toEqual({ touches: true, moved: true })
  })

  it('leaves no dangling relation when a person is taken off the map', async () => {
    await a.evaluate(() => {
      ;(window as unknown as Win).editor.deleteShapes(['shape:kees' as never])
    })
    await expect
      .poll(
        () =>
          b.evaluate(() => {
            const editor = (window as unknown as Win).editor
            const all = editor.store.allRecords() as unknown as Array<{
              typeName: string
              type?: string
              toId?: string
              props?: { toPersonId?: string }
            }>
            return {
              relationsToKees: all.filter(
                (r) => r.type === 'relation' && r.props?.toPersonId === 'person:kees',
              ).length,
              looseBindings: all.filter(
                (r) => r.typeName === 'binding' && !editor.getShape(r.toId as never),
              ).length,
              keesStillInAtlas: Boolean(editor.store.get('person:kees' as never)),
            }
          }),
        { timeout: 15_000 },
      )
      .toEqual({ relationsToKees: 0, looseBindings: 0, keesStillInAtlas: true })
  })

  it('puts an event dated 2021 between 2019 and 2023, and moves it when its date changes', async () => {
    await show(a, 'page:gebeurteniskaart')
    await show(b, 'page:gebeurteniskaart')
    // A clicks with the event tool on the axis where 2021 is, above it: a high point in 2021.
    const spot = await a.evaluate(() => {
      const editor = (window as unknown as Win).editor
      const axis = editor.getShape('shape:timeline' as never) as unknown as {
        x: number
        y: number
        props: { w: number; fromYear: number; toYear: number }
      }
      const { w, fromYear, toYear } = axis.props
      const x = axis.x + ((2021.5 - fromYear) / (toYear - fromYear + 1)) * w
      editor.zoomToBounds({ x: x - 700, y: axis.y, w: 1400, h: 760 })
      return { x, y: axis.y + 380 - 150 }
    })
    const screen = await a.evaluate((p) => (window as unknown as Win).editor.pageToScreen(p), spot)
    await a.getByTestId('tools.event').click()
    await a.mouse.click(screen.x, screen.y)
    const created = await a.evaluate(() => {
      const shape = (window as unknown as Win).editor.getOnlySelectedShape()
      return shape && { id: shape.id, ...(shape.props as { date: string; mood: string }) }
    })
    expect(created).toMatchObject({ date: '2021', mood: 'high' })
    const id2021 = created?.id as string

    // Two more events are made with a date only (as the panel does): they go to their place.
    await a.evaluate(() => {
      const editor = (window as unknown as Win).editor
      for (const date of ['2019', '2023']) {
        editor.createShape({
          id: `shape:event-${date}` as never,
          type: 'event',
          x: 0,
          y: 0,
          props: { date, title: `In ${date}`, mood: 'high' },
        })
      }
    })
    const xs = (page: Page) =>
      page.evaluate(
        (ids) =>
          ids.map((id) => {
            const box = (window as unknown as Win).editor.getShapePageBounds(id as never)
            return box ? Math.round(box.center.x) : null
          }),
        ['shape:event-2019', id2021, 'shape:event-2023'],
      )
    await expect
      .poll(
        async () => {
          const [x19, x21, x23] = await xs(b)
          if (x19 == null || x21 == null || x23 == null) return 'not all in B yet'
          return x19 < x21 && x21 < x23 ? 'in order' : `out of order: ${x19}, ${x21}, ${x23}`
        },
        { timeout: 15_000 },
      )
      .toBe('in order')

    // A changes the date of the 2021 event to 2024: in B it now stands after 2023.
    await a.evaluate((id) => {
      ;(window as unknown as Win).editor.updateShape({
        id: id as never,
        type: 'event',
        props: { date: '2024' },
      })
    }, id2021)
    await expect
      .poll(
        async () => {
          const [, x24, x23] = await xs(b)
          return x24 != null && x23 != null && x24 > x23
        },
        { timeout: 15_000 },
      )
      .toBe(true)
  })
})
