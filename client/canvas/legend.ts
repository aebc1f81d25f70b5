import i18next from 'i18next'
import type { Instrument } from '../../shared/schema/pages'
import type { RelationKind } from '../../shared/schema/relation'
import { RING_LINE } from './shapes/background/ringColours'

/** The signs a legend explains, each drawn as a small picture beside its words. */
export type LegendSign =
  | 'male'
  | 'female'
  | 'other'
  | 'deceased'
  | 'client'
  | 'married'
  | 'living-together'
  | 'separated'
  | 'divorced'
  | 'household'
  | 'rings'
  | 'sectors'
  | 'strong'
  | 'normal'
  | 'weak'
  | 'tenuous'
  | 'stressful'
  | 'arrow'
  | 'supporter'
  | 'high'
  | 'low'

/** One line of a legend: a sign and what it means. */
export interface LegendItem {
  sign: LegendSign
  text: string
}

/** A legend: a heading and its lines. */
export interface Legend {
  title: string
  items: LegendItem[]
}

/** The legend of a map's sheet, in the reader's language; null for the poster and the schedule. */
export function legendFor(instrument: Instrument): Legend | null {
  const t = i18next.t
  const kind = (k: RelationKind) => t(`people.relation.kinds.${k}`)
  const item = (sign: LegendSign, text: string): LegendItem => ({ sign, text })
  let items: LegendItem[]
  switch (instrument) {
    case 'familiekaart':
      items = [
        item('male', t('maps.legend.male')),
        item('female', t('maps.legend.female')),
        item('other', t('maps.legend.otherGender')),
        item('deceased', t('maps.legend.deceased')),
        item('client', t('maps.legend.client')),
        item('married', kind('married')),
        item('living-together', kind('living-together')),
        item('separated', kind('separated')),
        item('divorced', kind('divorced')),
        item('household', t('maps.legend.household')),
      ]
      break
    case 'relatiekaart':
      items = [
        item('rings', t('maps.legend.rings')),
        item('sectors', t('maps.legend.sectors')),
        item('strong', kind('strong')),
        item('normal', kind('normal')),
        item('weak', kind('weak')),
        item('tenuous', kind('tenuous')),
        item('stressful', kind('stressful')),
        item('arrow', t('maps.legend.arrow')),
        item('supporter', t('maps.legend.supporter')),
      ]
      break
    case 'gebeurteniskaart':
      items = [item('high', t('maps.event.high')), item('low', t('maps.event.low'))]
      break
    default:
      return null
  }
  return { title: t('maps.legend.title'), items }
}

/** Colours of the signs, as the maps draw them. */
const INK = '#36454f'
const GENOGRAM_INK = '#1d2430'
const CONFLICT = '#c62828'
const SUPPORT = '#1d7a3d'
const CLIENT_FILL = '#e8f0fb'
const HIGH = { background: '#fff3d6', border: '#d9a21b', ink: '#8a6412' }
const LOW = { background: '#e3ecf7', border: '#5b7fa6', ink: '#3d5f80' }

/** An SVG element to draw: its name, attributes and, for text, its words. */
export interface SignPart {
  name: string
  attrs: Record<string, string | number>
}

/** Width and height of a sign's picture, in millimetres at scale 1 (A4). */
export const SIGN_SIZE = { w: 10, h: 5 } as const

/**
 * The picture of a sign in a box of `SIGN_SIZE` × `scale` with its top left at (x, y), in the
 * sheet's millimetres: plain SVG elements, so it prints the same on any paper.
 */
export function signParts(sign: LegendSign, x: number, y: number, scale: number): SignPart[] {
  const s = scale
  const w = SIGN_SIZE.w * s
  const h = SIGN_SIZE.h * s
  const cx = x + w / 2
  const cy = y + h / 2
  const r = 1.9 * s
  const line = (extra: Record<string, string | number> = {}, colour = INK, width = 0.45 * s) => ({
    name: 'line',
    attrs: {
      x1: x + 0.5 * s,
      y1: cy,
      x2: x + w - 0.5 * s,
      y2: cy,
      stroke: colour,
      'stroke-width': width,
      'stroke-linecap': 'round',
      ...extra,
    },
  })
  const slash = (at: number): SignPart => ({
    name: 'line',
    attrs: {
      x1: at - 0.7 * s,
      y1: cy + 1.3 * s,
      x2: at + 0.7 * s,
      y2: cy - 1.3 * s,
      stroke: GENOGRAM_INK,
      'stroke-width': 0.35 * s,
      'stroke-linecap': 'round',
    },
  })
  const outline = { fill: '#ffffff', stroke: GENOGRAM_INK, 'stroke-width': 0.3 * s }
  const square = (fill = '#ffffff'): SignPart => ({
    name: 'rect',
    attrs: { x: cx - r, y: cy - r, width: 2 * r, height: 2 * r, ...outline, fill },
  })
  const card = (look: typeof HIGH): SignPart[] => {
    const parts: SignPart[] = [
      {
        name: 'rect',
        attrs: {
          x: x + 1.5 * s,
          y: y + 0.4 * s,
          width: w - 3 * s,
          height: h - 0.8 * s,
          rx: 0.8 * s,
          fill: look.background,
          stroke: look.border,
          'stroke-width': 0.35 * s,
        },
      },
    ]
    if (look === HIGH) {
      // A small sun: a disc and eight rays.
      parts.push({ name: 'circle', attrs: { cx, cy, r: 0.7 * s, fill: look.ink } })
      for (let i = 0; i < 8; i++) {
        const a = (i * Math.PI) / 4
        parts.push({
          name: 'line',
          attrs: {
            x1: cx + Math.cos(a) * 1.1 * s,
            y1: cy + Math.sin(a) * 1.1 * s,
            x2: cx + Math.cos(a) * 1.6 * s,
            y2: cy + Math.sin(a) * 1.6 * s,
            stroke: look.ink,
            'stroke-width': 0.25 * s,
            'stroke-linecap': 'round',
          },
        })
      }
    } else {
      // A small cloud with rain.
      parts.push({
        name: 'path',
        attrs: {
          d: `M${cx - 1.6 * s},${cy + 0.2 * s} a${0.8 * s},${0.8 * s} 0 0 1 ${0.5 * s},${-1.4 * s} a${1.1 * s},${1.1 * s} 0 0 1 ${2 * s},${0.1 * s} a${0.7 * s},${0.7 * s} 0 0 1 ${0.7 * s},${1.3 * s} z`,
          fill: look.ink,
        },
      })
      for (const dx of [-0.9, 0, 0.9])
        parts.push({
          name: 'line',
          attrs: {
            x1: cx + dx * s,
            y1: cy + 0.7 * s,
            x2: cx + (dx - 0.3) * s,
            y2: cy + 1.5 * s,
            stroke: look.ink,
            'stroke-width': 0.25 * s,
            'stroke-linecap': 'round',
          },
        })
    }
    return parts
  }
  switch (sign) {
    case 'male':
      return [square()]
    case 'female':
      return [{ name: 'circle', attrs: { cx, cy, r, ...outline } }]
    case 'other':
      return [
        {
          name: 'polygon',
          attrs: {
            points: `${cx},${cy - r} ${cx + r},${cy} ${cx},${cy + r} ${cx - r},${cy}`,
            ...outline,
          },
        },
      ]
    case 'deceased':
      return [
        square(),
        ...[-1, 1].map((d) => ({
          name: 'line',
          attrs: {
            x1: cx - r - 0.4 * s,
            y1: cy - d * (r + 0.4 * s),
            x2: cx + r + 0.4 * s,
            y2: cy + d * (r + 0.4 * s),
            stroke: GENOGRAM_INK,
            'stroke-width': 0.3 * s,
          },
        })),
      ]
    case 'client':
      return [
        { name: 'circle', attrs: { cx, cy, r, ...outline, fill: CLIENT_FILL } },
        { name: 'circle', attrs: { cx, cy, r: r - 0.5 * s, ...outline, fill: 'none' } },
      ]
    case 'married':
      return [line({}, GENOGRAM_INK, 0.35 * s)]
    case 'living-together':
      return [
        line(
          { 'stroke-dasharray': `${1.2 * s} ${0.8 * s}`, 'stroke-linecap': 'butt' },
          GENOGRAM_INK,
          0.35 * s,
        ),
      ]
    case 'separated':
      return [line({}, GENOGRAM_INK, 0.35 * s), slash(cx)]
    case 'divorced':
      return [line({}, GENOGRAM_INK, 0.35 * s), slash(cx - 0.6 * s), slash(cx + 0.6 * s)]
    case 'household':
      return [
        {
          name: 'rect',
          attrs: {
            x: x + 1 * s,
            y: y + 0.4 * s,
            width: w - 2 * s,
            height: h - 0.8 * s,
            rx: 0.8 * s,
            fill: 'none',
            stroke: GENOGRAM_INK,
            'stroke-width': 0.3 * s,
            'stroke-dasharray': `${0.1 * s} ${0.7 * s}`,
            'stroke-linecap': 'round',
          },
        },
      ]
    case 'rings':
      return [2.4, 1.6, 0.8].map((radius, i) => ({
        name: 'circle',
        attrs: {
          cx,
          cy,
          r: radius * s,
          fill: `hsl(205 45% ${[95, 90, 84][i]}%)`,
          stroke: RING_LINE,
          'stroke-width': 0.2 * s,
        },
      }))
    case 'sectors': {
      const R = 2.4 * s
      const parts: SignPart[] = [
        {
          name: 'circle',
          attrs: { cx, cy, r: R, fill: '#f3ede4', stroke: RING_LINE, 'stroke-width': 0.2 * s },
        },
      ]
      for (let i = 0; i < 5; i++) {
        const a = ((i * 72 - 36) * Math.PI) / 180
        parts.push({
          name: 'line',
          attrs: {
            x1: cx,
            y1: cy,
            x2: cx + R * Math.sin(a),
            y2: cy - R * Math.cos(a),
            stroke: RING_LINE,
            'stroke-width': 0.2 * s,
          },
        })
      }
      return parts
    }
    // The same patterns as the lines on the map (RELATION_STYLES): double, single, dotted.
    case 'strong':
      return [line({}, INK, 1.2 * s), line({}, '#ffffff', 0.4 * s)]
    case 'normal':
      return [line({}, INK, 0.55 * s)]
    case 'weak':
      return [line({ 'stroke-dasharray': `${0.01 * s} ${0.9 * s}` }, INK, 0.55 * s)]
    case 'tenuous':
      return [
        line({ 'stroke-dasharray': `${1.3 * s} ${1 * s}`, 'stroke-linecap': 'butt' }, INK, 0.4 * s),
      ]
    case 'stressful': {
      const points: string[] = []
      const n = 8
      for (let i = 0; i <= n; i++) {
        const px = x + 0.5 * s + ((w - s) * i) / n
        const py = i === 0 || i === n ? cy : cy + (i % 2 === 0 ? -0.8 : 0.8) * s
        points.push(`${px},${py}`)
      }
      return [
        {
          name: 'polyline',
          attrs: {
            points: points.join(' '),
            fill: 'none',
            stroke: CONFLICT,
            'stroke-width': 0.4 * s,
            'stroke-linejoin': 'round',
          },
        },
      ]
    }
    case 'arrow': {
      const tip = x + w - 0.5 * s
      return [
        line({ x2: tip - 1.5 * s }, INK, 0.5 * s),
        {
          name: 'polygon',
          attrs: {
            points: `${tip},${cy} ${tip - 2 * s},${cy - 1.1 * s} ${tip - 2 * s},${cy + 1.1 * s}`,
            fill: INK,
          },
        },
      ]
    }
    case 'supporter':
      // The green mark on a supporter's symbol, with a small white heart.
      return [
        { name: 'circle', attrs: { cx, cy, r: 1.9 * s, fill: SUPPORT } },
        {
          name: 'path',
          attrs: {
            d: `M${cx},${cy + 1 * s} l${-1 * s},${-1 * s} a${0.5 * s},${0.5 * s} 0 0 1 ${1 * s},${-0.9 * s} a${0.5 * s},${0.5 * s} 0 0 1 ${1 * s},${0.9 * s} z`,
            fill: '#ffffff',
          },
        },
      ]
    case 'high':
      return card(HIGH)
    case 'low':
      return card(LOW)
  }
}
