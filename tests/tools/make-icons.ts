/**
 * Draws the app's icons (`client/public/icons/`) from one SVG pictogram, in real Chromium: a person
 * in the middle of his network, on the rings of the relatiekaart. The PNGs are committed; run this
 * again only when the pictogram changes.
 * Run: `npx tsx tests/tools/make-icons.ts`
 */
import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { launchChromium } from '../helpers/browser'

const out = (name: string) =>
  fileURLToPath(new URL(`../../client/public/icons/${name}`, import.meta.url))

/** The app's accent and paper colours (client/styles.css: --accent, --bg). */
const ACCENT = '#1f5fae'
const PAPER = '#f6f5f1'

/** The network, drawn in a 100×100 box around (50, 50). */
const NETWORK = `
  <circle cx="50" cy="50" r="27" fill="none" stroke="${PAPER}" stroke-opacity="0.45" stroke-width="2"/>
  <circle cx="50" cy="50" r="42" fill="none" stroke="${PAPER}" stroke-opacity="0.3" stroke-width="2"/>
  <g stroke="${PAPER}" stroke-width="3" stroke-linecap="round">
    <line x1="50" y1="50" x2="50" y2="23"/>
    <line x1="50" y1="50" x2="76" y2="58"/>
    <line x1="50" y1="50" x2="27" y2="64"/>
    <line x1="50" y1="50" x2="80" y2="22"/>
  </g>
  <g fill="${PAPER}">
    <circle cx="50" cy="23" r="7"/>
    <circle cx="76" cy="58" r="7"/>
    <circle cx="27" cy="64" r="7"/>
    <circle cx="80" cy="22" r="5"/>
  </g>
  <circle cx="50" cy="50" r="12" fill="${ACCENT}" stroke="${PAPER}" stroke-width="3"/>
  <circle cx="50" cy="50" r="7" fill="${PAPER}"/>`

/** An icon of `size` px: the network on the accent colour, scaled to `share` of the icon. */
function svg(size: number, { rounded, share }: { rounded: boolean; share: number }): string {
  const scale = Number(((size * share) / 100).toFixed(4))
  const offset = Number(((size - size * share) / 2).toFixed(2))
  const radius = rounded ? size * 0.18 : 0
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" role="img">
  <title>Netwerkatlas</title>
  <rect width="${size}" height="${size}" rx="${radius}" fill="${ACCENT}"/>
  <g transform="translate(${offset} ${offset}) scale(${scale})">${NETWORK}</g>
</svg>`
}

const ICONS = [
  { name: 'icon-192.png', size: 192, rounded: true, share: 0.9 },
  { name: 'icon-512.png', size: 512, rounded: true, share: 0.9 },
  // Maskable: the whole square is painted, the drawing stays in the safe circle (80 % across).
  { name: 'icon-maskable-512.png', size: 512, rounded: false, share: 0.66 },
  { name: 'apple-touch-icon-180.png', size: 180, rounded: false, share: 0.8 },
]

const browser = await launchChromium()
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 })
  for (const icon of ICONS) {
    await page.setViewportSize({ width: icon.size, height: icon.size })
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${svg(icon.size, icon)}</body></html>`,
    )
    const png = await page.screenshot({
      omitBackground: true,
      clip: { x: 0, y: 0, width: icon.size, height: icon.size },
    })
    await writeFile(out(icon.name), png)
  }
  await writeFile(out('icon.svg'), `${svg(512, { rounded: true, share: 0.9 })}\n`)
} finally {
  await browser.close()
}
console.log('icons written to client/public/icons/')
