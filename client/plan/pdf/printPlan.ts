/**
 * The printed plan in the browser, loaded only when someone prints: the fonts (TrueType, made
 * from the app's own WOFF2 files at build time), the layout, the PDF, and the download.
 */
import boldUrl from '@tldraw/assets/fonts/IBMPlexSans-Bold.woff2?ttf'
import regularUrl from '@tldraw/assets/fonts/IBMPlexSans-Medium.woff2?ttf'
import type { PlanView } from '../planView'
import type { PrintWords } from '../words'
import { composePlan } from './compose'
import { buildPlanPdf, type PlanFonts } from './planPdf'

let fonts: Promise<PlanFonts> | null = null

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url)
  if (!response.ok) throw new Error(`font ${response.status}`)
  return new Uint8Array(await response.arrayBuffer())
}

function loadFonts(): Promise<PlanFonts> {
  fonts ??= Promise.all([fetchBytes(regularUrl), fetchBytes(boldUrl)])
    .then(([regular, bold]) => ({ regular, bold }))
    .catch((error: unknown) => {
      fonts = null
      throw error
    })
  return fonts
}

/** A file name any computer accepts, from a plan's name. */
export function pdfFileName(name: string): string {
  const printable = Array.from(name, (c) => ((c.codePointAt(0) ?? 0) < 0x20 ? ' ' : c)).join('')
  const safe = printable
    .replace(/[<>:"/\\|?*]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100)
  return `${safe || 'Plan'}.pdf`
}

/** Makes the plan's PDF and lets the browser save it. */
export async function printPlan(
  view: PlanView,
  words: PrintWords,
  language: string,
  currentHash: string | null,
): Promise<void> {
  const now = new Date()
  const blocks = composePlan(view, words, now, currentHash)
  const bytes = await buildPlanPdf(blocks, await loadFonts(), {
    title: words.title(view.name),
    language,
    footer: words.footer,
    createdAt: now,
  })
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/pdf' }))
  const link = document.createElement('a')
  link.href = url
  link.download = pdfFileName(words.fileName)
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
