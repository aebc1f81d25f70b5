import boldUrl from '@tldraw/assets/fonts/IBMPlexSans-Bold.woff2?url'
import mediumUrl from '@tldraw/assets/fonts/IBMPlexSans-Medium.woff2?url'

/** The font family every exported sheet is set in; its files travel inside the sheet. */
export const SHEET_FONT = 'Netwerkatlas Sans'
const FONT_STACK = `'${SHEET_FONT}', sans-serif`

let cached: Promise<string> | null = null
let loaded: Promise<void> | null = null

/**
 * Makes the sheet font usable in this page too, so that text measured here (the contact
 * schedule's rows) has the size it will have on the sheet.
 */
export function loadSheetFontInPage(): Promise<void> {
  loaded ??= Promise.all([
    new FontFace(SHEET_FONT, `url(${mediumUrl})`, { weight: '100 599' }).load(),
    new FontFace(SHEET_FONT, `url(${boldUrl})`, { weight: '600 900' }).load(),
  ])
    .then((faces) => {
      for (const face of faces) document.fonts.add(face)
    })
    .catch((error: unknown) => {
      loaded = null
      throw error
    })
  return loaded
}

async function dataUrl(url: string): Promise<string> {
  const response = await fetch(url)
  if (!response.ok) throw new Error(`font ${response.status}`)
  const bytes = new Uint8Array(await response.arrayBuffer())
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return `data:font/woff2;base64,${btoa(binary)}`
}

/**
 * CSS for a sheet: IBM Plex Sans (medium and bold, bundled with the app and fetched from our own
 * origin) as data URLs, so the file looks the same on any computer; and a rule that sets every
 * text of the sheet — the maps' own SVG text and HTML inside foreignObject — in that font.
 */
export function sheetFontCss(): Promise<string> {
  cached ??= Promise.all([dataUrl(mediumUrl), dataUrl(boldUrl)])
    .then(
      ([
        medium,
        bold,
      ]) => `@font-face{font-family:'${SHEET_FONT}';font-weight:100 599;src:url(${medium}) format('woff2')}
@font-face{font-family:'${SHEET_FONT}';font-weight:600 900;src:url(${bold}) format('woff2')}
text,tspan{font-family:${FONT_STACK}}
foreignObject,foreignObject *{font-family:${FONT_STACK}!important}`,
    )
    .catch((error: unknown) => {
      cached = null
      throw error
    })
  return cached
}
