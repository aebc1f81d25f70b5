import i18next from 'i18next'
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib'
import { type Editor, getSvgAsImage } from 'tldraw'
import type * as Y from 'yjs'
import { buildAtlasFile, safeFileName } from '../../shared/api/atlasFile'
import { embedAtlasInPng, embedAtlasInSvg, withPngResolution } from '../../shared/export/embed'
import type { Instrument } from '../../shared/schema/pages'
import { legendFor } from '../canvas/legend'
import { atlasContentOf } from '../canvas/pages/useAtlasContent'
import { type PlanCompleteness, withPlan } from '../sync/planSource'
import type { DocAccess } from '../sync/useSyncedDoc'
import type { InstrumentDrawing } from './drawing'
import { loadSheetFontInPage, sheetFontCss } from './fonts'
import { type Dpi, type Paper, PT_PER_MM, paperPixels, paperPoints } from './paper'
import { AtlasRenderer, drawContactSchedule } from './render'
import {
  composeSheet,
  INK,
  LINE,
  MUTED,
  type SheetContent,
  type SheetUnits,
  sheetMetrics,
} from './sheet'

/** The atlas an export is made of. */
export interface ExportSource {
  editor: Editor
  doc: Y.Doc
  /** The atlas's title ("Atlas van Sanne"). */
  title: string
  /** The page's link: an atlas file carries the plan this link may read, fetched when made. */
  access: DocAccess
}

/** A finished export, ready to download or share. */
export interface ExportResult {
  blob: Blob
  fileName: string
  /** For a file that carries the atlas: how complete the plan in it is. */
  plan?: PlanCompleteness
}

/** One step of a long export: `done` of `total` pages. */
export type ExportProgress = (done: number, total: number) => void

export interface ImageOptions {
  instrument: Instrument
  format: 'png' | 'svg'
  paper: Paper
  dpi: Dpi
  /** Put the whole atlas inside the image, so it can be opened again as an atlas. */
  embedAtlas: boolean
}

export interface PdfOptions {
  /** The instruments, in the order of the pages. */
  instruments: Instrument[]
  paper: Paper
  dpi: Dpi
}

/**
 * An instrument's name in the reader's language (the page records keep their Dutch names).
 */
export function instrumentName(instrument: Instrument): string {
  return i18next.t(`maps.instruments.${instrument}`)
}

function dateText(now: Date): string {
  return new Intl.DateTimeFormat(i18next.language || 'nl', { dateStyle: 'long' }).format(now)
}

/** The client's name for a sheet's header (his person record; the atlas's title when none). */
function clientName(source: ExportSource): string {
  const client = source.editor.store.query
    .records('person')
    .get()
    .find((p) => p.isClient)
  return client?.name.trim() || source.title
}

/** The drawings of instruments, made by one invisible editor that is disposed afterwards. */
async function drawAll(
  source: ExportSource,
  instruments: readonly Instrument[],
): Promise<Map<Instrument, InstrumentDrawing | null>> {
  const drawings = new Map<Instrument, InstrumentDrawing | null>()
  // Sheets measure their words in the font they are printed in.
  await loadSheetFontInPage()
  const renderer = instruments.some((i) => i !== 'contactschema')
    ? new AtlasRenderer(source.editor)
    : null
  try {
    for (const instrument of instruments) {
      drawings.set(
        instrument,
        instrument === 'contactschema'
          ? await drawContactSchedule(atlasContentOf(source.editor).contacts)
          : await (renderer as AtlasRenderer).draw(instrument),
      )
    }
  } finally {
    renderer?.dispose()
  }
  return drawings
}

function instrumentSheet(
  source: ExportSource,
  instrument: Instrument,
  drawing: InstrumentDrawing | null,
  now: Date,
  footer?: string,
): SheetContent {
  return {
    title: instrumentName(instrument),
    subtitle: i18next.t('exportDialog.sheetSubtitle', {
      name: clientName(source),
      date: dateText(now),
    }),
    brand: i18next.t('app.name'),
    footer,
    drawing,
    empty: i18next.t('exportDialog.emptyInstrument'),
    align: instrument === 'contactschema' ? 'top' : 'centre',
    legend: legendFor(instrument),
  }
}

/** The sheet of one instrument as an SVG string (for the preview and the SVG file). */
export async function instrumentSheetSvg(
  source: ExportSource,
  instrument: Instrument,
  paper: Paper,
  units: SheetUnits = { kind: 'mm' },
  now = new Date(),
): Promise<string> {
  const [css, drawings] = await Promise.all([sheetFontCss(), drawAll(source, [instrument])])
  return composeSheet(
    instrumentSheet(source, instrument, drawings.get(instrument) ?? null, now),
    paper,
    units,
    css,
  )
}

/** The width in pixels a PNG says it has (IHDR). */
function pngWidth(png: Uint8Array): number {
  return new DataView(png.buffer, png.byteOffset, png.byteLength).getUint32(16)
}

async function rasterise(
  svg: string,
  paper: Paper,
  dpi: Dpi,
  type: 'png' | 'jpeg',
): Promise<Uint8Array> {
  const px = paperPixels(paper, dpi)
  // getSvgAsImage keeps the canvas within the browser's limit (an iPad draws at most ~16.7
  // million pixels), so the image may come out smaller than asked.
  const blob = await getSvgAsImage(svg, {
    type,
    width: px.w,
    height: px.h,
    pixelRatio: 1,
    quality: 0.92,
  })
  if (!blob) throw new Error('The browser could not draw the sheet')
  const bytes = new Uint8Array(await blob.arrayBuffer())
  if (type === 'jpeg') return bytes
  // Paper programs read the printing size from pHYs: the dpi this image really has.
  return withPngResolution(bytes, (dpi * pngWidth(bytes)) / px.w)
}

/** The atlas does not fit inside an image (an atlas file holds at most 20 MB). */
export class AtlasTooLargeForImage extends Error {
  override name = 'AtlasTooLargeForImage'
}

async function embedded<T>(embed: () => Promise<T>): Promise<T> {
  try {
    return await embed()
  } catch (error) {
    if (error instanceof RangeError) throw new AtlasTooLargeForImage(error.message)
    throw error
  }
}

/** The atlas file's text, with the plan and its versions as this link may read them. */
function atlasJson(source: ExportSource): Promise<{ value: string; plan: PlanCompleteness }> {
  return withPlan(source.access, (plan) =>
    JSON.stringify(buildAtlasFile(source.doc, source.title, new Date(), plan)),
  )
}

/** One instrument as a PNG (paper size at the chosen dpi) or an SVG (paper size in mm). */
export async function exportInstrumentImage(
  source: ExportSource,
  options: ImageOptions,
): Promise<ExportResult> {
  const { instrument, format, paper, dpi, embedAtlas } = options
  const fileName = safeFileName(
    `${source.title} - ${instrumentName(instrument)}`,
    format === 'png' ? '.png' : '.svg',
  )
  const atlas = embedAtlas ? await atlasJson(source) : null
  if (format === 'svg') {
    let svg = await instrumentSheetSvg(source, instrument, paper)
    if (atlas) svg = await embedded(() => embedAtlasInSvg(svg, atlas.value))
    return { blob: new Blob([svg], { type: 'image/svg+xml' }), fileName, plan: atlas?.plan }
  }
  const px = paperPixels(paper, dpi)
  const svg = await instrumentSheetSvg(source, instrument, paper, { kind: 'px', ...px })
  let png = await rasterise(svg, paper, dpi, 'png')
  if (atlas) png = await embedded(() => embedAtlasInPng(png, atlas.value))
  return { blob: new Blob([png as BlobPart], { type: 'image/png' }), fileName, plan: atlas?.plan }
}

/** The title page of the PDF: the atlas's title, the date, and the pages that follow. */
function titleSheet(
  source: ExportSource,
  instruments: readonly Instrument[],
  now: Date,
): SheetContent {
  return {
    title: source.title,
    subtitle: i18next.t('exportDialog.titlePageSubtitle', {
      name: clientName(source),
      date: dateText(now),
    }),
    brand: i18next.t('app.name'),
    drawing: null,
    empty: '',
    lines: [
      i18next.t('exportDialog.titlePageContents'),
      ...instruments.map((instrument, i) =>
        i18next.t('exportDialog.titlePageLine', {
          page: i + 2,
          name: instrumentName(instrument),
        }),
      ),
    ],
  }
}

/**
 * The whole atlas (or the instruments chosen, in the order chosen) as one PDF: a title page,
 * then one landscape page per instrument. Each page is the sheet drawn at print resolution.
 */
export async function exportAtlasPdf(
  source: ExportSource,
  options: PdfOptions,
  onProgress: ExportProgress = () => {},
  signal?: AbortSignal,
): Promise<ExportResult> {
  const { instruments, paper, dpi } = options
  const now = new Date()
  const total = instruments.length + 1
  onProgress(0, total)
  const css = await sheetFontCss()
  signal?.throwIfAborted()
  const drawings = await drawAll(source, instruments)
  const px = paperPixels(paper, dpi)
  const size = paperPoints(paper)
  const pdf = await PDFDocument.create()
  pdf.setTitle(source.title)
  pdf.setSubject(i18next.t('exportDialog.pdfSubject', { name: clientName(source) }))
  pdf.setCreator(i18next.t('app.name'))
  pdf.setProducer(i18next.t('app.name'))
  pdf.setLanguage(i18next.language || 'nl')
  pdf.setCreationDate(now)
  pdf.setModificationDate(now)
  const title = titleSheet(source, instruments, now)
  const sheets: SheetContent[] = [
    title,
    ...instruments.map((instrument, i) =>
      instrumentSheet(
        source,
        instrument,
        drawings.get(instrument) ?? null,
        now,
        i18next.t('exportDialog.pageOf', { page: i + 2, total }),
      ),
    ),
  ]
  for (const [i, sheet] of sheets.entries()) {
    signal?.throwIfAborted()
    // The title page is text: drawn as text where the PDF's own fonts can write it.
    if (sheet === title && (await drawTitlePage(pdf, sheet, paper))) {
      onProgress(i + 1, total)
      continue
    }
    const svg = composeSheet(sheet, paper, { kind: 'px', ...px }, css)
    const jpeg = await pdf.embedJpg(await rasterise(svg, paper, dpi, 'jpeg'))
    pdf.addPage([size.w, size.h]).drawImage(jpeg, { x: 0, y: 0, width: size.w, height: size.h })
    onProgress(i + 1, total)
  }
  const bytes = await pdf.save()
  return {
    blob: new Blob([bytes as BlobPart], { type: 'application/pdf' }),
    fileName: safeFileName(source.title, '.pdf'),
  }
}

const colour = (hex: string) =>
  rgb(
    Number.parseInt(hex.slice(1, 3), 16) / 255,
    Number.parseInt(hex.slice(3, 5), 16) / 255,
    Number.parseInt(hex.slice(5, 7), 16) / 255,
  )

/**
 * The title page as vector text in Helvetica, laid out like every sheet. False (and nothing
 * drawn) when a text has a character Helvetica's Latin set cannot write; the page is then drawn
 * as a picture like the others.
 */
async function drawTitlePage(pdf: PDFDocument, sheet: SheetContent, paper: Paper) {
  const regular = await pdf.embedFont(StandardFonts.Helvetica)
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold)
  const texts = [sheet.title, sheet.subtitle, sheet.brand, ...(sheet.lines ?? [])]
  try {
    for (const text of texts) {
      regular.encodeText(text)
      bold.encodeText(text)
    }
  } catch {
    return false
  }
  const m = sheetMetrics(paper)
  const pt = (mm: number) => mm * PT_PER_MM
  const page = pdf.addPage([pt(m.w), pt(m.h)])
  const y = (mm: number) => pt(m.h - mm)
  page.drawText(sheet.title, {
    x: pt(m.margin),
    y: y(m.titleY),
    size: pt(m.titleSize),
    font: bold,
    color: colour(INK),
  })
  page.drawText(sheet.subtitle, {
    x: pt(m.margin),
    y: y(m.subY),
    size: pt(m.subSize),
    font: regular,
    color: colour(MUTED),
  })
  page.drawText(sheet.brand, {
    x: pt(m.w - m.margin) - regular.widthOfTextAtSize(sheet.brand, pt(m.subSize)),
    y: y(m.titleY),
    size: pt(m.subSize),
    font: regular,
    color: colour(MUTED),
  })
  page.drawLine({
    start: { x: pt(m.margin), y: y(m.ruleY) },
    end: { x: pt(m.w - m.margin), y: y(m.ruleY) },
    thickness: pt(0.4),
    color: colour(LINE),
  })
  for (const [i, line] of (sheet.lines ?? []).entries()) {
    page.drawText(line, {
      x: pt(m.margin),
      y: y(m.lineY(i)),
      size: pt(m.lineSize),
      font: regular,
      color: colour(INK),
    })
  }
  return true
}

/** The atlas file (every record, the structured content, the plan), as the backup to keep. */
export async function exportAtlasFile(source: ExportSource): Promise<ExportResult> {
  const { value, plan } = await atlasJson(source)
  return {
    blob: new Blob([value], { type: 'application/json' }),
    fileName: safeFileName(source.title, '.netwerkatlas'),
    plan,
  }
}

/** Lets the browser save `result` as a download. */
export function download(result: ExportResult): void {
  const url = URL.createObjectURL(result.blob)
  const link = document.createElement('a')
  link.href = url
  link.download = result.fileName
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/** Sheets as SVG for the dialog's preview: the title page (for a PDF) and each instrument. */
export async function sheetPreviews(
  source: ExportSource,
  instruments: readonly Instrument[],
  paper: Paper,
  withTitlePage: boolean,
): Promise<{ svg: string; label: string }[]> {
  const now = new Date()
  const [css, drawings] = await Promise.all([sheetFontCss(), drawAll(source, instruments)])
  const total = instruments.length + 1
  const sheets = instruments.map((instrument, i) => ({
    label: instrumentName(instrument),
    svg: composeSheet(
      instrumentSheet(
        source,
        instrument,
        drawings.get(instrument) ?? null,
        now,
        withTitlePage ? i18next.t('exportDialog.pageOf', { page: i + 2, total }) : undefined,
      ),
      paper,
      { kind: 'mm' },
      css,
    ),
  }))
  if (!withTitlePage) return sheets
  const title = composeSheet(titleSheet(source, instruments, now), paper, { kind: 'mm' }, css)
  return [{ label: source.title, svg: title }, ...sheets]
}
