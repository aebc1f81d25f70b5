import { describe, expect, it } from 'vitest'
import { CLOSENESS, SECTORS } from '../schema/person'
import {
  angleOf,
  placementAt,
  pointFor,
  polarPoint,
  ringRadii,
  sectorAngles,
  sectorAt,
} from './relationMap'

const centre = { x: 900, y: 900 }
const diameter = 1800

describe('the relationship map', () => {
  it('has four rings around a centre disc, ending at the outer radius', () => {
    const radii = ringRadii(diameter)
    expect(radii).toHaveLength(5)
    expect(radii[4]).toBe(900)
    for (let i = 1; i < radii.length; i++) expect(radii[i]).toBeGreaterThan(radii[i - 1] as number)
  })

  it('puts family at the top and goes clockwise through the five sectors', () => {
    expect(sectorAt(0)).toBe('family')
    expect(sectorAt(359)).toBe('family')
    expect(sectorAt(72)).toBe('friends')
    expect(sectorAt(144)).toBe('neighbours')
    expect(sectorAt(216)).toBe('work')
    expect(sectorAt(288)).toBe('professionals')
    // Screen y grows downwards: a point to the right of the centre is at 90°.
    expect(angleOf({ x: 1000, y: 900 }, centre)).toBeCloseTo(90)
    expect(angleOf({ x: 900, y: 800 }, centre)).toBeCloseTo(0)
  })

  it('reads closeness and sector from a position', () => {
    expect(placementAt({ x: 900, y: 700 }, centre, diameter)).toEqual({
      closeness: 'very-close',
      sector: 'family',
    })
    // Straight down is the border of neighbours (108°–180°, right) and work (180°–252°, left).
    expect(placementAt({ x: 910, y: 1500 }, centre, diameter)?.sector).toBe('neighbours')
    expect(placementAt({ x: 890, y: 1500 }, centre, diameter)?.sector).toBe('work')
    expect(placementAt({ x: 900, y: 1780 }, centre, diameter)?.closeness).toBe('services')
  })

  it('counts the centre disc as very close and returns null outside the map', () => {
    expect(placementAt(centre, centre, diameter)?.closeness).toBe('very-close')
    expect(placementAt({ x: 900, y: -5 }, centre, diameter)).toBeNull()
    expect(placementAt({ x: 1800, y: 1800 }, centre, diameter)).toBeNull()
  })

  it('gives for every ring and sector a point that lies in that cell, for every slot', () => {
    for (const closeness of CLOSENESS) {
      for (const sector of SECTORS) {
        for (let slot = 0; slot < 15; slot++) {
          const p = pointFor(closeness, sector, centre, diameter, slot)
          expect(placementAt(p, centre, diameter)).toEqual({ closeness, sector })
        }
      }
    }
  })

  it('spreads several persons of one cell over distinct points', () => {
    const points = Array.from({ length: 15 }, (_, slot) =>
      pointFor('friends', 'work', centre, diameter, slot),
    )
    const keys = new Set(points.map((p) => `${Math.round(p.x)},${Math.round(p.y)}`))
    expect(keys.size).toBe(15)
    // Slot 0 is the middle of the cell.
    const { middle } = sectorAngles('work')
    const radii = ringRadii(diameter)
    const mid = polarPoint(centre, ((radii[1] as number) + (radii[2] as number)) / 2, middle)
    expect(points[0]?.x).toBeCloseTo(mid.x)
    expect(points[0]?.y).toBeCloseTo(mid.y)
  })

  it('works for a map that is not at the origin and of another size', () => {
    const c = { x: -300, y: 4000 }
    const p = pointFor('acquaintances', 'professionals', c, 600, 3)
    expect(placementAt(p, c, 600)).toEqual({ closeness: 'acquaintances', sector: 'professionals' })
  })
})
