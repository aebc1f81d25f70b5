import { describe, expect, it } from 'vitest'
import {
  arrowhead,
  boxExit,
  genogramAnchors,
  midpoint,
  pathPoints,
  routeFor,
  slashes,
  zigzag,
} from './path'

const box = (x: number, y: number) => ({ x, y, w: 160, h: 150 })
/** The value, or a failed test when it is missing. */
function must<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('expected a value')
  return value
}

describe('relation lines', () => {
  it('hangs a child below its parent with an elbow, whichever end was drawn first', () => {
    const parent = box(0, 0)
    const child = box(300, 400)
    const down = genogramAnchors('parent-child', parent, child)
    expect(down).toEqual({ start: { x: 80, y: 150 }, end: { x: 380, y: 400 } })
    const up = genogramAnchors('parent-child', child, parent)
    expect(up).toEqual({ start: { x: 380, y: 400 }, end: { x: 80, y: 150 } })
    const points = pathPoints('parent-child', must(down).start, must(down).end)
    expect(points).toEqual([
      { x: 80, y: 150 },
      { x: 80, y: 275 },
      { x: 380, y: 275 },
      { x: 380, y: 400 },
    ])
  })

  it('gives two parents of one child a shared bar', () => {
    const child = box(150, 400)
    const a = must(genogramAnchors('parent-child', box(0, 0), child))
    const b = must(genogramAnchors('parent-child', box(300, 0), child))
    expect(must(pathPoints('parent-child', a.start, a.end)[1]).y).toBe(
      must(pathPoints('parent-child', b.start, b.end)[1]).y,
    )
  })

  it('joins partners side by side with a couple line below them, and siblings with a bar above', () => {
    const couple = must(genogramAnchors('married', box(0, 0), box(300, 10)))
    expect(routeFor('married', couple.start, couple.end)).toBe('couple')
    const [, down] = pathPoints('married', couple.start, couple.end)
    expect(must(down).y).toBeGreaterThan(160)
    const sibs = must(genogramAnchors('siblings', box(0, 0), box(300, 0)))
    expect(must(pathPoints('siblings', sibs.start, sibs.end)[1]).y).toBeLessThan(0)
  })

  it('draws a straight line when the genogram route does not fit', () => {
    expect(genogramAnchors('married', box(0, 0), box(0, 400))).toBeNull()
    expect(genogramAnchors('parent-child', box(0, 0), box(300, 20))).toBeNull()
    expect(genogramAnchors('strong', box(0, 0), box(300, 0))).toBeNull()
    expect(pathPoints('strong', { x: 0, y: 0 }, { x: 100, y: 100 })).toHaveLength(2)
  })

  it('ends a straight line at the edge of the box', () => {
    expect(boxExit(box(0, 0), { x: 1000, y: 75 })).toEqual({ x: 160, y: 75 })
    expect(boxExit(box(0, 0), { x: 80, y: -500 })).toEqual({ x: 80, y: 0 })
  })

  it('marks separated with one slash and divorced with two, at the middle', () => {
    const line = [
      { x: 0, y: 0 },
      { x: 200, y: 0 },
    ]
    expect(slashes('married', line)).toHaveLength(0)
    expect(slashes('separated', line)).toHaveLength(1)
    expect(slashes('divorced', line)).toHaveLength(2)
    const [[a, b]] = slashes('separated', line) as [
      [{ x: number; y: number }, { x: number; y: number }],
    ]
    expect((a.x + b.x) / 2).toBeCloseTo(100)
    expect(midpoint(line).point).toEqual({ x: 100, y: 0 })
  })

  it('zigzags from end to end and puts an arrowhead on the tip', () => {
    const z = zigzag({ x: 0, y: 0 }, { x: 200, y: 0 })
    expect(z[0]).toEqual({ x: 0, y: 0 })
    expect(z[z.length - 1]).toEqual({ x: 200, y: 0 })
    expect(z.some((p) => p.y !== 0)).toBe(true)
    const [, tip] = arrowhead({ x: 100, y: 0 }, { x: 0, y: 0 })
    expect(tip).toEqual({ x: 100, y: 0 })
  })
})
