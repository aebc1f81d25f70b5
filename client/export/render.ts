import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import i18next from 'i18next'
import {
  createTLStore,
  defaultAddFontsFromNode,
  defaultBindingUtils,
  defaultShapeUtils,
  Editor,
  tipTapDefaultExtensions,
} from 'tldraw'
import type { ContactRow } from '../../shared/domain/content'
import { atlasSchema } from '../../shared/schema'
import { type Instrument, instrumentPageId } from '../../shared/schema/pages'
import { bindingUtils, shapeUtils } from '../canvas/registry'
import type { InstrumentDrawing } from './drawing'
import { loadSheetFontInPage, SHEET_FONT } from './fonts'
import { layOutRelationMapForPaper } from './printRelationMap'
import { drawTimelineForPaper } from './printTimeline'

/*
 * The dialog (Exporteren) draws instrument pages with a second, invisible tldraw editor on a copy
 * of the document (`render.ts`; the user's page, camera and presence stay as they are). `sheet.ts`
 * puts a drawing on a landscape sheet (A4/A3, in mm) under a header: instrument, client, date, the
 * instrument named in the reader's language; a map gets its legend beside it or below it,
 * whichever leaves the map larger. The maps are laid out for paper, where every name must be 9 pt
 * or more on A4 and no word may lie on another or on a line: the Relatiekaart's cards and words
 * are drawn larger against the rings and its people moved apart inside their own cells
 * (`shared/domain/relationMapPrint.ts`, annealing with a fixed seed; the copied shapes carry the
 * result in `meta.print`, see `client/canvas/shapes/printLook.ts`), the word of a line from the
 * client under the other name; the Gebeurteniskaart is drawn from its events (`printTimeline.tsx`,
 * `shared/domain/timelinePrint.ts`): the whole axis, the cards in rows with every word, each
 * joined to its date (drawings added by hand on that page are not on the sheet).
 * `tests/browser/print.test.ts` measures the sheets' SVG as it goes to the rasteriser. The contact
 * schedule is an HTML table in a `foreignObject`. Every sheet embeds IBM Plex Sans (bundled with
 * tldraw, from our origin) as data URLs and sets all its text in it. PNG = the sheet drawn at
 * 150/300 dpi (pHYs says so); SVG = the sheet itself; PDF (pdf-lib) = a title page and one page
 * per chosen instrument, each the sheet drawn at print resolution (JPEG): the maps hold HTML
 * (`foreignObject`), which no PDF library draws as vectors. "Send" leaves the atlas out of an
 * image, "keep" puts it in (`shared/export/embed.ts`): a PNG `iTXt` chunk (keyword `netwerkatlas`,
 * zlib) before `IEND`; in an SVG `<metadata><netwerkatlas:atlas encoding="gzip+base64">`. The home
 * page and the canvas (drop) open such an image as a new atlas. Our own PNG chunk code (~60
 * lines): the png-chunk packages date from 2016 and write only Latin-1 `tEXt`. Whether view links
 * may export is the meta map's `viewersMayExport` (`shared/sync/settings.ts`), set by edit links,
 * synced.
 */

const fontAssetUrls = getAssetUrlsByImport().fonts

/**
 * Draws instrument pages without touching the screen: a second, invisible editor on a copy of
 * the atlas's document. The user's own view (page, camera, selection, presence) stays as it is.
 * Dispose it when the export is done.
 */
export class AtlasRenderer {
  private readonly editor: Editor
  private readonly host: HTMLDivElement

  constructor(source: Editor) {
    this.host = document.createElement('div')
    this.host.className = 'tl-container tl-theme__light atlas-export-host'
    this.host.setAttribute('aria-hidden', 'true')
    Object.assign(this.host.style, {
      position: 'fixed',
      left: '-20000px',
      top: '0',
      width: '1200px',
      height: '800px',
      pointerEvents: 'none',
    })
    const inner = document.createElement('div')
    this.host.append(inner)
    document.body.append(this.host)
    try {
      const store = createTLStore({
        schema: atlasSchema,
        snapshot: source.store.getStoreSnapshot('document'),
      })
      this.editor = new Editor({
        store,
        shapeUtils: [...defaultShapeUtils, ...shapeUtils],
        bindingUtils: [...defaultBindingUtils, ...bindingUtils],
        tools: [],
        getContainer: () => inner,
        fontAssetUrls,
        options: {
          text: {
            tipTapConfig: { extensions: tipTapDefaultExtensions },
            addFontsFromNode: defaultAddFontsFromNode,
          },
        },
      })
    } catch (error) {
      this.host.remove()
      throw error
    }
  }

  /** The drawing of an instrument's page, or null when the page is missing or empty. */
  async draw(instrument: Instrument): Promise<InstrumentDrawing | null> {
    const pageId = instrumentPageId(instrument)
    if (!this.editor.getPage(pageId)) return null
    this.editor.setCurrentPage(pageId)
    const ids = [...this.editor.getCurrentPageShapeIds()]
    if (ids.length === 0) return null
    // A lifetime's axis and readable cards do not fit the canvas's proportions on a sheet.
    if (instrument === 'gebeurteniskaart') return drawTimelineForPaper(this.editor)
    // On paper the whole ring map must fit: its people and words are laid out for the sheet.
    if (instrument === 'relatiekaart') layOutRelationMapForPaper(this.editor)
    const result = await this.editor.getSvgString(ids, {
      background: false,
      darkMode: false,
      padding: instrument === 'relatiekaart' ? 8 : 24,
    })
    if (!result) return null
    return { svg: result.svg, width: result.width, height: result.height }
  }

  dispose(): void {
    this.editor.dispose()
    this.host.remove()
  }
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c,
  )

const TABLE_WIDTH = 1100

/** The contact schedule as a drawing: an HTML table inside the SVG, laid out by the browser. */
export async function drawContactSchedule(rows: readonly ContactRow[]): Promise<InstrumentDrawing> {
  await loadSheetFontInPage()
  const cell =
    'padding:10px 12px;border-bottom:1px solid #d5dde3;text-align:left;vertical-align:top;'
  const headings = [
    i18next.t('content.contacts.who'),
    i18next.t('content.contacts.withWhom'),
    i18next.t('content.contacts.means'),
    i18next.t('content.contacts.frequency'),
    i18next.t('content.contacts.brings'),
  ]
  const head = headings
    .map(
      (text) =>
        `<th style="${cell}background:#eef3fb;color:#2f4f7a;font-weight:700">${escapeHtml(text)}</th>`,
    )
    .join('')
  const body = rows
    .map((row) => {
      const values = [
        row.who.name,
        row.withWhom.name,
        row.means ? i18next.t(`content.contacts.means_${row.means}`) : '—',
        row.frequency ? i18next.t(`content.contacts.frequency_${row.frequency}`) : '—',
        row.brings || '—',
      ]
      return `<tr>${values
        .map(
          (v, i) => `<td style="${cell}${i === 0 ? 'font-weight:700;' : ''}">${escapeHtml(v)}</td>`,
        )
        .join('')}</tr>`
    })
    .join('')
  const html =
    rows.length === 0
      ? `<p style="margin:0;font-size:22px;color:#4a5a66">${escapeHtml(i18next.t('exportDialog.emptyContacts'))}</p>`
      : `<table style="width:100%;border-collapse:collapse;font-size:20px;line-height:1.35;color:#1f2d3d"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`
  // Lay it out once in the page to learn its height.
  const probe = document.createElement('div')
  Object.assign(probe.style, {
    position: 'fixed',
    left: '-20000px',
    top: '0',
    width: `${TABLE_WIDTH}px`,
    fontFamily: `'${SHEET_FONT}', sans-serif`,
  })
  probe.innerHTML = html
  document.body.append(probe)
  const height = Math.ceil(probe.getBoundingClientRect().height) + 16
  const xhtml = new XMLSerializer().serializeToString(probe.firstElementChild as Element)
  probe.remove()
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${TABLE_WIDTH} ${height}" width="${TABLE_WIDTH}" height="${height}"><foreignObject x="0" y="0" width="${TABLE_WIDTH}" height="${height}"><div xmlns="http://www.w3.org/1999/xhtml" style="width:${TABLE_WIDTH}px">${xhtml}</div></foreignObject></svg>`
  return { svg, width: TABLE_WIDTH, height }
}
