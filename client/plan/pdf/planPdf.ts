/**
 * Draws the typeset plan into a PDF of real text (selectable and searchable): IBM Plex Sans,
 * embedded as a subset of the glyphs used, A4 portrait, a page number at the foot of every page.
 */
import fontkit from '@pdf-lib/fontkit'
import { PDFDocument, type PDFFont, rgb } from 'pdf-lib'
import { A4_FRAME, type Block, type TextStyle, typeset } from './typeset'

/** The font files (TrueType) the plan is set in. */
export interface PlanFonts {
  regular: Uint8Array
  bold: Uint8Array
}

/** What the PDF says about itself and at the foot of its pages. */
export interface PlanPdfInfo {
  title: string
  /** BCP 47 language of the text ("nl"). */
  language: string
  /** The foot of page `n` of `total`. */
  footer: (n: number, total: number) => string
  createdAt: Date
}

const COLOURS = {
  ink: rgb(0x1d / 255, 0x24 / 255, 0x30 / 255),
  muted: rgb(0x5a / 255, 0x63 / 255, 0x72 / 255),
  accent: rgb(0x1f / 255, 0x5f / 255, 0xae / 255),
} as const

/**
 * Characters the font cannot draw (an emoji, a rare script) would print as empty boxes: they are
 * left out of the paper version, and a space stands in for a control character.
 */
function printable(fonts: Record<TextStyle['font'], PDFFont>) {
  const sets = {
    regular: new Set(fonts.regular.getCharacterSet()),
    bold: new Set(fonts.bold.getCharacterSet()),
  }
  return (text: string, font: TextStyle['font']): string => {
    let out = ''
    for (const char of text) {
      const code = char.codePointAt(0) ?? 0
      if (code < 0x20) out += ' '
      else if (sets[font].has(code)) out += char
    }
    return out
  }
}

/** The plan's blocks as a PDF file. */
export async function buildPlanPdf(
  blocks: Block[],
  fontFiles: PlanFonts,
  info: PlanPdfInfo,
): Promise<Uint8Array> {
  const pdf = await PDFDocument.create()
  pdf.registerFontkit(fontkit)
  const fonts = {
    regular: await pdf.embedFont(fontFiles.regular, { subset: true }),
    bold: await pdf.embedFont(fontFiles.bold, { subset: true }),
  }
  const clean = printable(fonts)
  const measure = (text: string, style: TextStyle) =>
    fonts[style.font].widthOfTextAtSize(clean(text, style.font), style.size)
  const pages = typeset(blocks, measure, A4_FRAME)
  const { width, height } = A4_FRAME
  pages.forEach((laid, i) => {
    const page = pdf.addPage([width, height])
    for (const t of laid.texts) {
      const text = clean(t.text, t.style.font)
      if (!text) continue
      page.drawText(text, {
        x: t.x,
        y: height - t.baseline,
        size: t.style.size,
        font: fonts[t.style.font],
        color: COLOURS[t.style.colour],
      })
    }
    for (const r of laid.rules) {
      page.drawLine({
        start: { x: r.x, y: height - r.y },
        end: { x: r.x + r.width, y: height - r.y },
        thickness: 0.75,
        color: COLOURS.muted,
        opacity: 0.5,
      })
    }
    const foot = clean(info.footer(i + 1, pages.length), 'regular')
    const size = 9
    page.drawText(foot, {
      x: (width - fonts.regular.widthOfTextAtSize(foot, size)) / 2,
      y: 40,
      size,
      font: fonts.regular,
      color: COLOURS.muted,
    })
  })
  pdf.setTitle(info.title)
  pdf.setLanguage(info.language)
  pdf.setCreator('Netwerkatlas')
  pdf.setProducer('Netwerkatlas')
  pdf.setCreationDate(info.createdAt)
  pdf.setModificationDate(info.createdAt)
  return pdf.save()
}
