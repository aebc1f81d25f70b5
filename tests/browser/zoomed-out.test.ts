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
 * which shows the two shapes in the middle of the screen at zoom `z`.
 */
const withEditor = (page: Page, script: string) =>
  page.evaluate(`(() => {
    const editor = window.editor
    const zoomTo = (editor, z) => {
      editor.setCamera({ x: 0, y: 0, z })
      editor.centerOnPoint({ x: 5230, y: 5080 })
    }
    ${script}
  })()`)

/** What the page draws for each of the two shapes: overview form or tldraw's, and its text. */
async function drawn(page: Page) {
  return page.evaluate(() =>
    ['shape:box', 'shape:star'].map((id) => {
      const element = document.querySelector(`.tl-shape[data-shape-id="${id}"]`)
      return {
        overview: !!element?.querySelector('.atlas-geo-overview'),
        text: element?.querySelector('.tl-rich-text')?.textContent ?? '',
        bar: !!element?.querySelector('.atlas-geo-overview-text'),
        outline: element?.querySelector('.atlas-geo-overview path')?.getAttribute('d') ?? '',
      }
    }),
  )
}

/** Both shapes as tldraw draws them, with their words. */
const CLOSE_BY = [
  { overview: false, text: 'Oma Riet', bar: false, outline: '' },
  { overview: false, text: 'Voetbal', bar: false, outline: '' },
]

describe('a page seen from afar', () => {
  it('draws geo shapes in a simple form once their words are too small to read', async () => {
    const atlas = await createAtlas(server.url)
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await openAtlasPage(context, server.url + atlas.editUrl, 'Sanne')
    await withEditor(
      page,
      `const label = (text) => ({
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
      })
      editor.createShapes([
        {
          id: 'shape:box',
          type: 'geo',
          x: 5000,
          y: 5000,
          props: { geo: 'rectangle', w: 240, h: 120, fill: 'semi', richText: label('Oma Riet') },
        },
        {
          id: 'shape:star',
          type: 'geo',
          x: 5300,
          y: 5000,
          props: { geo: 'star', w: 160, h: 160, richText: label('Voetbal') },
        },
      ])
      zoomTo(editor, 1)`,
    )
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
})
