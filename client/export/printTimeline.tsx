import i18next from 'i18next'
import { CloudRain, type LucideIcon, Sun } from 'lucide-react'
import { flushSync } from 'react-dom'
import { createRoot } from 'react-dom/client'
import type { Editor, TLShape } from 'tldraw'
import { compareEventDates, xForDate, yearSpan } from '../../shared/domain/timeline'
import { labelledYears, packCards } from '../../shared/domain/timelinePrint'
import type { EventMood } from '../../shared/schema/event'
import { instrumentPageId } from '../../shared/schema/pages'
import type { AtlasPersonId } from '../../shared/schema/person'
import { formatEventDate, MOOD_LOOK } from '../canvas/shapes/event/EventShapeUtil'
import type { InstrumentDrawing } from './drawing'
import { SHEET_FONT } from './fonts'
import { textWidth } from './sheet'

/**
 * The drawing's units: 4 to a millimetre on A4 (the axis spans the sheet's width), so a card's
 * 14-unit words print at 3.5 mm, about 10 pt; on A3 everything is 1.41 times larger.
 */
const WIDTH = 1092
const CARD_W = 232
const GAP = 14
const ROW_GAP = 16
/** Room between the axis and the first row of cards, for the lines that join them. */
const JOIN = 40
const BAND = 36
const YEAR_SIZE = 14
const LABEL_SIZE = 16
const PAD = 14
const INK = '#36454f'

type EventShape = TLShape<'event'>
type TimelineShape = TLShape<'timeline'>

const escapeText = (text: string) =>
  text.replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c,
  )

/** A pictogram as SVG markup (drawn once by React into a detached element). */
function iconMarkup(Icon: LucideIcon, colour: string, size: number): string {
  const host = document.createElement('div')
  const root = createRoot(host)
  flushSync(() => root.render(<Icon size={size} color={colour} strokeWidth={2.25} />))
  const svg = host.innerHTML
  root.unmount()
  return svg
}

/** One event as it is printed: what the card on the screen says, with nothing cut off. */
interface PrintedEvent {
  id: string
  mood: EventMood
  anchor: number
  html: string
  h: number
}

/**
 * The card of an event as XHTML: mood pictogram and date, title, the persons involved and what
 * helped, all wrapped in full.
 */
function cardHtml(event: EventShape['props'], names: string[], icon: string): string {
  const look = MOOD_LOOK[event.mood]
  const line = 'margin:3px 0 0;font-size:14px;line-height:1.3;overflow-wrap:anywhere;'
  const parts = [
    `<div style="display:flex;align-items:center;gap:6px;color:${look.ink};font-size:14px;font-weight:700;line-height:1.3">${icon}<span>${escapeText(formatEventDate(event.date, i18next.language || 'nl'))}</span></div>`,
    `<p style="margin:3px 0 0;font-size:16px;font-weight:700;line-height:1.25;overflow-wrap:anywhere;color:${event.title ? '#1f2a30' : '#6b7880'}">${escapeText(event.title || i18next.t('maps.event.untitled'))}</p>`,
  ]
  if (names.length > 0)
    parts.push(
      `<p style="${line}">${escapeText(i18next.t('maps.event.with', { names: names.join(', ') }))}</p>`,
    )
  if (event.helped)
    parts.push(
      `<p style="${line}color:#44525a">${escapeText(i18next.t('maps.event.helped', { text: event.helped }))}</p>`,
    )
  return `<div xmlns="http://www.w3.org/1999/xhtml" style="width:${CARD_W}px;box-sizing:border-box;padding:8px 12px 10px;border-radius:12px;background:${look.background};border:2.5px solid ${look.border};color:#1f2a30;font-family:'${SHEET_FONT}',sans-serif">${parts.join('')}</div>`
}

/** The heights the cards take, laid out once in the page in the sheet's font. */
function measureCards(html: string[]): number[] {
  const probe = document.createElement('div')
  Object.assign(probe.style, { position: 'fixed', left: '-20000px', top: '0' })
  probe.innerHTML = html.join('')
  document.body.append(probe)
  const heights = [...probe.children].map((c) => Math.ceil(c.getBoundingClientRect().height))
  probe.remove()
  return heights
}

/**
 * The life-events map for paper: the whole axis from its first to its last year across the
 * sheet, high points above and low points below in rows of readable cards, each joined to its
 * date on the axis. Drawn from the events themselves (the screen's canvas would show a
 * lifetime's axis far too small, or cut it off); drawings someone added by hand are not on it.
 */
export function drawTimelineForPaper(editor: Editor): InstrumentDrawing | null {
  const pageId = instrumentPageId('gebeurteniskaart')
  const shapes = editor
    .getSortedChildIdsForParent(pageId)
    .map((id) => editor.getShape(id))
    .filter((s): s is TLShape => s !== undefined)
  const timeline = shapes.find((s): s is TimelineShape => s.type === 'timeline')
  if (!timeline) return null
  const { fromYear, toYear } = timeline.props
  const events = shapes
    .filter((s): s is EventShape => s.type === 'event')
    .sort((a, b) => compareEventDates(a.props, b.props))

  const highLabel = i18next.t('maps.timeline.high')
  const lowLabel = i18next.t('maps.timeline.low')
  const gutter =
    PAD +
    24 +
    8 +
    Math.max(textWidth(highLabel, LABEL_SIZE, 700), textWidth(lowLabel, LABEL_SIZE, 700)) +
    PAD
  const axisFrom = gutter
  const axisTo = WIDTH - 24
  const axisLength = axisTo - axisFrom

  const icons = {
    high: iconMarkup(Sun, MOOD_LOOK.high.ink, 20),
    low: iconMarkup(CloudRain, MOOD_LOOK.low.ink, 20),
  }
  const cards: PrintedEvent[] = events.map((event) => {
    const names = event.props.personIds.map(
      (id) =>
        (editor.store.get(id as AtlasPersonId) as { name?: string } | undefined)?.name?.trim() ||
        i18next.t('maps.event.unknownPerson'),
    )
    const x = xForDate(event.props.date, fromYear, toYear, axisLength)
    return {
      id: event.id,
      mood: event.props.mood,
      anchor: axisFrom + (Number.isNaN(x) ? 0 : x),
      html: cardHtml(event.props, names, icons[event.props.mood]),
      h: 0,
    }
  })
  measureCards(cards.map((c) => c.html)).forEach((h, i) => {
    ;(cards[i] as PrintedEvent).h = h
  })

  /** Rows of one side: where each card goes, and how tall each row is. */
  const side = (mood: EventMood) => {
    const mine = cards.filter((c) => c.mood === mood)
    const packed = packCards(
      mine.map((c) => ({ id: c.id, anchor: c.anchor, w: CARD_W })),
      axisFrom,
      axisTo,
      GAP,
    )
    const rows: number[] = []
    for (const p of packed) {
      const card = mine.find((c) => c.id === p.id) as PrintedEvent
      rows[p.row] = Math.max(rows[p.row] ?? 0, card.h)
    }
    const height = rows.reduce((sum, h) => sum + h + ROW_GAP, 0)
    return { packed, rows, height: Math.max(64, JOIN + height) }
  }
  const high = side('high')
  const low = side('low')
  const bandTop = PAD + high.height
  const bandBottom = bandTop + BAND
  const height = bandBottom + low.height + PAD

  const parts: string[] = [
    `<rect x="0" y="0" width="${WIDTH}" height="${bandTop + BAND / 2}" rx="16" fill="#fff7e3"/>`,
    `<rect x="0" y="${bandTop + BAND / 2}" width="${WIDTH}" height="${height - bandTop - BAND / 2}" rx="16" fill="#eaf1f7"/>`,
  ]
  // The labels of the two halves, in a column of their own left of the axis.
  const gutterLabel = (icon: string, text: string, y: number, colour: string) =>
    `<g transform="translate(${PAD},${y - 18})">${icon}</g><text x="${PAD + 30}" y="${y}" font-size="${LABEL_SIZE}" font-weight="700" fill="${colour}">${escapeText(text)}</text>`
  parts.push(gutterLabel(iconMarkup(Sun, '#b07d12', 24), highLabel, PAD + 24, '#8a6412'))
  parts.push(
    gutterLabel(iconMarkup(CloudRain, '#3d5f80', 24), lowLabel, height - PAD - 8, '#3d5f80'),
  )

  // The axis: a band with a year scale and an arrow, the years in the middle of their span.
  parts.push(
    `<rect x="${axisFrom}" y="${bandTop}" width="${axisLength}" height="${BAND}" fill="#dde5ea"/>`,
    `<polygon points="${axisTo},${bandTop - 6} ${WIDTH - 4},${bandTop + BAND / 2} ${axisTo},${bandBottom + 6}" fill="#dde5ea"/>`,
  )
  const span = yearSpan(fromYear, toYear)
  const yearWidth = axisLength / span
  for (let i = 0; i <= span; i++) {
    const x = axisFrom + i * yearWidth
    parts.push(
      `<line x1="${x}" y1="${bandTop}" x2="${x}" y2="${bandTop + 6}" stroke="${INK}" stroke-width="1.5"/>`,
      `<line x1="${x}" y1="${bandBottom - 6}" x2="${x}" y2="${bandBottom}" stroke="${INK}" stroke-width="1.5"/>`,
    )
  }
  const yearLabel = textWidth('0000', YEAR_SIZE, 700)
  for (const year of labelledYears(fromYear, toYear, yearWidth, yearLabel)) {
    const x = axisFrom + (year - fromYear + 0.5) * yearWidth
    parts.push(
      `<text x="${x}" y="${bandTop + BAND / 2 + YEAR_SIZE * 0.36}" font-size="${YEAR_SIZE}" font-weight="700" text-anchor="middle" fill="${INK}">${year}</text>`,
    )
  }

  // The cards, each joined to its date on the axis by a line in its colour.
  const place = (mood: EventMood, rows: typeof high) => {
    for (const p of rows.packed) {
      const card = cards.find((c) => c.id === p.id) as PrintedEvent
      const before = rows.rows.slice(0, p.row).reduce((sum, h) => sum + h + ROW_GAP, 0)
      const y = mood === 'high' ? bandTop - JOIN - before - card.h : bandBottom + JOIN + before
      const edge = mood === 'high' ? y + card.h : y
      const join = Math.min(p.x + CARD_W - 18, Math.max(p.x + 18, card.anchor))
      const axis = mood === 'high' ? bandTop : bandBottom
      const colour = MOOD_LOOK[mood].border
      parts.push(
        `<line x1="${join}" y1="${edge}" x2="${card.anchor}" y2="${axis}" stroke="${colour}" stroke-width="2"/>`,
        `<circle cx="${card.anchor}" cy="${axis}" r="4" fill="${colour}"/>`,
        `<foreignObject x="${p.x}" y="${y}" width="${CARD_W}" height="${card.h}">${card.html}</foreignObject>`,
      )
    }
  }
  place('high', high)
  place('low', low)

  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}">${parts.join('')}</svg>`
  return { svg, width: WIDTH, height }
}
