/**
 * The colours of the maps meet WCAG AA: text at least 4.5:1 against what it is written on,
 * lines and other graphics at least 3:1 (WCAG 1.4.3, 1.4.11), computed from the colour constants
 * the canvas and the printed sheets draw with. And the relation lines differ by pattern, so they
 * are told apart without colour (WCAG 1.4.1).
 */
import { describe, expect, it } from 'vitest'
import { CLOSENESS, SECTORS } from '../../shared/schema/person'
import { RELATION_KINDS, type RelationKind } from '../../shared/schema/relation'
import { signParts } from './legend'
import {
  RING_LINE,
  RING_NAME_COLOUR,
  ringCellColour,
  sectorNameColour,
} from './shapes/background/ringColours'
import { MOOD_LOOK, UNTITLED_INK } from './shapes/event/EventShapeUtil'
import { PERSON_OUTLINE } from './shapes/person/PersonGlyph'
import { RELATION_STYLES } from './shapes/relation/style'

type Rgb = [number, number, number]

/** A colour as `#rrggbb` or `hsl(h s% l%)`, in 0–255 channels. */
function rgb(colour: string): Rgb {
  const hex = /^#([0-9a-f]{6})$/i.exec(colour)
  if (hex) {
    const v = hex[1] as string
    return [0, 2, 4].map((i) => Number.parseInt(v.slice(i, i + 2), 16)) as Rgb
  }
  const hsl = /^hsl\(([\d.]+) ([\d.]+)% ([\d.]+)%\)$/.exec(colour)
  if (!hsl) throw new Error(`unknown colour ${colour}`)
  const [h, s, l] = [Number(hsl[1]), Number(hsl[2]) / 100, Number(hsl[3]) / 100]
  const a = s * Math.min(l, 1 - l)
  const f = (n: number) => {
    const k = (n + h / 30) % 12
    return (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))) * 255
  }
  return [f(0), f(8), f(4)]
}

/** Relative luminance (WCAG 2). */
function luminance(colour: string): number {
  const [r, g, b] = rgb(colour).map((c) => {
    const v = c / 255
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
  }) as Rgb
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** The contrast ratio of two colours (WCAG 2), 1 to 21. */
function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (light + 0.05) / (dark + 0.05)
}

const WHITE = '#ffffff'
const cells = SECTORS.flatMap((sector) =>
  CLOSENESS.map((closeness, ring) => ({
    where: `${sector}/${closeness}`,
    colour: ringCellColour(sector, ring),
  })),
)
/** Every colour a relation line may be drawn on: the paper and every cell of the ring map. */
const grounds = [{ where: 'white', colour: WHITE }, ...cells]

function below(
  colour: string,
  on: readonly { where: string; colour: string }[],
  minimum: number,
): string[] {
  return on
    .filter((g) => contrast(colour, g.colour) < minimum)
    .map((g) => `${g.where} ${contrast(colour, g.colour).toFixed(2)}:1`)
}

describe('the contrast of the maps', () => {
  it('computes contrast ratios as WCAG defines them', () => {
    expect(contrast('#000000', WHITE)).toBeCloseTo(21, 5)
    expect(contrast('#777777', WHITE)).toBeCloseTo(4.48, 2)
    expect(rgb('hsl(0 100% 50%)')).toEqual([255, 0, 0])
  })

  it('draws every relation line at 3:1 or more on the paper and on every cell', () => {
    for (const kind of RELATION_KINDS) {
      expect(below(RELATION_STYLES[kind].color, grounds, 3), kind).toEqual([])
    }
  })

  it('writes each sector name at 4.5:1 or more on every cell of its sector', () => {
    for (const sector of SECTORS) {
      const own = cells.filter((c) => c.where.startsWith(`${sector}/`))
      expect(below(sectorNameColour(sector), own, 4.5), sector).toEqual([])
    }
  })

  it('writes the ring names at 4.5:1 or more, even without their white halo', () => {
    expect(below(RING_NAME_COLOUR, grounds, 4.5)).toEqual([])
  })

  it('draws the lines between rings and sectors at 3:1 or more against every cell', () => {
    expect(below(RING_LINE, grounds, 3)).toEqual([])
  })

  it("draws a person's circle at 3:1 or more on the paper and on every cell", () => {
    expect(below(PERSON_OUTLINE, grounds, 3)).toEqual([])
  })

  it('writes on the event cards at 4.5:1 or more, an untitled card too', () => {
    for (const [mood, look] of Object.entries(MOOD_LOOK)) {
      const card = [{ where: mood, colour: look.background }]
      expect(below(look.ink, card, 4.5), mood).toEqual([])
      expect(below(UNTITLED_INK, card, 4.5), mood).toEqual([])
    }
  })
})

/** What a line looks like apart from its colour. */
function pattern(kind: RelationKind): string {
  const s = RELATION_STYLES[kind]
  if (s.zigzag) return 'zigzag'
  if (s.double) return 'double'
  if (s.dotted) return 'dotted'
  if (s.dash) return 'dashed'
  return 'single'
}

describe('the relation lines without colour', () => {
  const ties = ['strong', 'normal', 'weak', 'tenuous', 'stressful'] as const

  it('gives each tie of the relationship map its own line pattern', () => {
    expect(ties.map(pattern)).toEqual(['double', 'single', 'dotted', 'dashed', 'zigzag'])
  })

  it('draws the stressful tie as a zigzag as well as red', () => {
    expect(RELATION_STYLES.stressful.zigzag).toBe(true)
    expect(RELATION_STYLES.stressful.color).toBe('#c62828')
  })

  it('shows the same patterns in the legend, on screen and on paper', () => {
    const legendPattern = (kind: (typeof ties)[number]) => {
      const parts = signParts(kind, 0, 0, 1)
      if (parts.some((p) => p.name === 'polyline')) return 'zigzag'
      if (parts.length === 2 && parts[1]?.attrs.stroke === WHITE) return 'double'
      const dash = parts[0]?.attrs['stroke-dasharray']
      if (dash === undefined) return 'single'
      const [on] = String(dash).split(' ').map(Number)
      return (on as number) < 0.1 ? 'dotted' : 'dashed'
    }
    expect(ties.map(legendPattern)).toEqual(ties.map(pattern))
  })

  it('draws the family ties apart from each other without colour', () => {
    const family = ['married', 'living-together'] as const
    expect(family.map(pattern)).toEqual(['single', 'dashed'])
  })
})
