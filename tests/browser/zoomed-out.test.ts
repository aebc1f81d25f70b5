import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { openAtlasPage } from '../helpers/browser'
import { createAtlas } from '../helpers/clients'
import type { TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
})

afterAll(() => closeAppAndBrowser(server, browser))

/**
 * Runs `script` in the page with the app's tldraw editor as `editor`, and `zoomTo(editor, z)`,
 * which shows the first shapes in the middle of the screen at zoom `z`; resolves with what the
 * script returns.
 */
const withEditor = (page: Page, script: string): Promise<unknown> =>
  page.evaluate(`(() => {
    const editor = window.editor
    const zoomTo = (editor, z) => {
      editor.setCamera({ x: 0, y: 0, z })
      editor.centerOnPoint({ x: 5230, y: 5080 })
    }
    ${script}
  })()`)

/** What the page draws for each shape: overview form or tldraw's, and its text. */
async function drawn(page: Page, ids = ['shape:box', 'shape:star']) {
  return page.evaluate(
    (ids) =>
      ids.map((id) => {
        const element = document.querySelector(`.tl-shape[data-shape-id="${id}"]`)
        return {
          overview: !!element?.querySelector('.atlas-geo-overview'),
          text: element?.querySelector('.tl-rich-text')?.textContent ?? '',
          bar: [
            ...(element?.querySelectorAll('.atlas-geo-overview, .atlas-geo-overview-text') ?? []),
          ].some((e) => getComputedStyle(e).backgroundImage.includes('repeating-linear-gradient')),
          outline: element?.querySelector('.atlas-geo-overview path')?.getAttribute('d') ?? '',
        }
      }),
    ids,
  )
}

/** A label of rich text, as a script line for `withEditor`. */
const LABEL = `const label = (text) => ({
  type: 'doc',
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
})`

/** A filled box with words, as a script expression (uses `label` from LABEL). */
const BOX = `{
  id: 'shape:box',
  type: 'geo',
  x: 5000,
  y: 5000,
  props: { geo: 'rectangle', w: 240, h: 120, fill: 'semi', richText: label('Oma Riet') },
}`

/** Both shapes as tldraw draws them, with their words. */
const CLOSE_BY = [
  { overview: false, text: 'Oma Riet', bar: false, outline: '' },
  { overview: false, text: 'Voetbal', bar: false, outline: '' },
]

/**
 * A new atlas open in a new device, with the filled box and the shapes `others` (script objects
 * after it in one list, using `label`) made on its first page, shown at 100 %.
 */
async function openWithShapes(others: string) {
  const atlas = await createAtlas(server.url)
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const page = await openAtlasPage(context, server.url + atlas.editUrl, 'Sanne')
  await withEditor(page, `${LABEL}\neditor.createShapes([${BOX}, ${others}])\nzoomTo(editor, 1)`)
  return { context, page }
}

describe('a page seen from afar', () => {
  it('draws geo shapes in a simple form once their words are too small to read', async () => {
    const { context, page } = await openWithShapes(`
        {
          id: 'shape:star',
          type: 'geo',
          x: 5300,
          y: 5000,
          props: { geo: 'star', w: 160, h: 160, richText: label('Voetbal') },
        },`)
    // Close by: tldraw's own drawing with the words.
    await expect.poll(() => drawn(page)).toEqual(CLOSE_BY)

    // From afar (labels about 4 px high): a box, or the star's outline, with a bar for the words.
    await withEditor(page, 'zoomTo(editor, 0.2)')
    await expect.poll(async () => (await drawn(page)).map((d) => d.overview)).toEqual([true, true])
    const far = await drawn(page)
    expect(far.map((d) => [d.text, d.bar])).toEqual([
      ['', true],
      ['', true],
    ])
    expect(far[0]?.outline).toBe('')
    expect(far[1]?.outline).toMatch(/^M[\d.-]+,[\d.-]+(L[\d.-]+,[\d.-]+){10}Z$/)
    await page.screenshot({ path: '.test-output/zoomed-out.png' })

    // Typing in a shape shows its words whatever the zoom.
    await withEditor(page, `editor.setEditingShape('shape:box')`)
    await expect.poll(async () => (await drawn(page))[0]?.overview).toBe(false)
    await withEditor(page, 'editor.setEditingShape(null)')
    await expect.poll(async () => (await drawn(page))[0]?.overview).toBe(true)

    // Closer again: the words are back.
    await withEditor(page, 'zoomTo(editor, 0.5)')
    await expect.poll(() => drawn(page)).toEqual(CLOSE_BY)
    await context.close()
  })

  it('builds no label for a shape out of view, and measures a label only when it is needed', async () => {
    const { context, page } = await openWithShapes(`
        {
          id: 'shape:ring',
          type: 'geo',
          x: 5300,
          y: 5000,
          props: { geo: 'ellipse', w: 240, h: 160, fill: 'none', richText: label('Werk en school') },
        },
        {
          id: 'shape:far',
          type: 'geo',
          x: 20000,
          y: 20000,
          props: { geo: 'rectangle', w: 200, h: 100, richText: label('Ver weg') },
        },`)
    const ids = ['shape:box', 'shape:ring', 'shape:far']
    await expect
      .poll(async () => (await drawn(page, ids)).map((d) => [d.overview, d.text]))
      .toEqual([
        [false, 'Oma Riet'],
        [false, 'Werk en school'],
        [true, ''],
      ])

    // The far shape's label has not been measured: nothing asked for it. Asked for its bounds,
    // the same geometry measures it.
    const measuredBeforeAndAfter = await withEditor(
      page,
      `const label = editor.getShapeGeometry('shape:far').children.find((c) => c.isLabel)
      const before = label.measured !== undefined
      label.bounds
      return [before, label.measured !== undefined]`,
    )
    expect(measuredBeforeAndAfter).toEqual([false, true])

    // The geometry equals tldraw's own, label included.
    const geometries = (await withEditor(
      page,
      `const util = editor.getShapeUtil('geo')
      const tldraws = Object.getPrototypeOf(Object.getPrototypeOf(util))
      const text = (g) => JSON.stringify([g.bounds, g.children.find((c) => c.isLabel)?.bounds])
      return ${JSON.stringify(ids)}.map((id) => {
        const shape = editor.getShape(id)
        return [text(util.getGeometry(shape)), text(tldraws.getGeometry.call(util, shape))]
      })`,
    )) as Array<[string, string]>
    expect(geometries).toHaveLength(3)
    for (const [ours, tldraws] of geometries) expect(ours).toBe(tldraws)

    // Clicking the hollow ellipse's words selects it; a double click starts typing in it.
    const centre = (await withEditor(page, 'return editor.pageToScreen({ x: 5420, y: 5080 })')) as {
      x: number
      y: number
    }
    await page.mouse.click(centre.x, centre.y)
    await expect
      .poll(() => page.evaluate('window.editor.getSelectedShapeIds()'))
      .toEqual(['shape:ring'])
    await page.mouse.dblclick(centre.x, centre.y)
    await expect.poll(() => page.evaluate('window.editor.getEditingShapeId()')).toBe('shape:ring')
    await page.keyboard.press('Escape')

    // Brought into view, the far shape shows its words.
    await withEditor(page, `editor.centerOnPoint({ x: 20100, y: 20050 })`)
    await expect
      .poll(async () => (await drawn(page, ['shape:far'])).map((d) => [d.overview, d.text]))
      .toEqual([[false, 'Ver weg']])
    // Out of view again, it keeps what it has built (tldraw only hides it).
    await withEditor(page, 'zoomTo(editor, 1)')
    await expect
      .poll(() => page.evaluate('window.editor.getCulledShapes().has("shape:far")'))
      .toBe(true)
    expect((await drawn(page, ['shape:far'])).map((d) => [d.overview, d.text])).toEqual([
      [false, 'Ver weg'],
    ])
    await context.close()
  })
})
