import { describe, expect, it } from 'vitest'
import { labelledYears, packCards } from './timelinePrint'

describe('cards packed along the time axis', () => {
  it('keeps a card that has room centred on its date', () => {
    expect(packCards([{ id: 'a', anchor: 500, w: 200 }], 0, 1000, 10)).toEqual([
      { id: 'a', x: 400, row: 0 },
    ])
  })

  it('puts cards close in time side by side in date order, inside the axis', () => {
    const cards = [
      { id: 'c', anchor: 960, w: 200 },
      { id: 'a', anchor: 900, w: 200 },
      { id: 'b', anchor: 930, w: 200 },
    ]
    const packed = packCards(cards, 0, 1000, 10)
    expect(packed.map((p) => p.id)).toEqual(['a', 'b', 'c'])
    expect(packed.every((p) => p.row === 0)).toBe(true)
    const xs = packed.map((p) => p.x)
    expect(xs[2]).toBe(800)
    expect((xs[1] as number) + 210).toBeLessThanOrEqual(xs[2] as number)
    expect((xs[0] as number) + 210).toBeLessThanOrEqual(xs[1] as number)
    expect(xs[0]).toBeGreaterThanOrEqual(0)
  })

  it('uses a second row only when one row cannot hold them', () => {
    const cards = Array.from({ length: 6 }, (_, i) => ({ id: `e${i}`, anchor: i * 150, w: 200 }))
    const packed = packCards(cards, 0, 1000, 10)
    expect(new Set(packed.map((p) => p.row))).toEqual(new Set([0, 1]))
    for (const row of [0, 1]) {
      const xs = packed.filter((p) => p.row === row).map((p) => p.x)
      for (let i = 1; i < xs.length; i++)
        expect(xs[i] as number).toBeGreaterThanOrEqual((xs[i - 1] as number) + 210)
      expect(Math.max(...xs) + 200).toBeLessThanOrEqual(1000)
    }
  })
})

describe('the years labelled on the axis', () => {
  it('labels every year when there is room', () => {
    expect(labelledYears(2020, 2024, 60, 40)).toEqual([2020, 2021, 2022, 2023, 2024])
  })

  it('labels fewer years on a long axis, always the first and the last', () => {
    const years = labelledYears(1996, 2026, 30, 34)
    expect(years[0]).toBe(1996)
    expect(years[years.length - 1]).toBe(2026)
    for (let i = 1; i < years.length; i++)
      expect(((years[i] as number) - (years[i - 1] as number)) * 30).toBeGreaterThanOrEqual(34)
  })

  it('drops the label before the last year when the two would touch', () => {
    expect(labelledYears(2000, 2011, 30, 34)).toEqual([2000, 2002, 2004, 2006, 2008, 2011])
  })
})
