import { describe, expect, it } from 'vitest'
import {
  arrangeChildren,
  birthOrder,
  COLUMN_GAP,
  type FamilyNode,
  type FamilyTie,
  freeSpotBeside,
  freeSpotInRow,
  GENERATION_GAP,
  kinOf,
  planFamilyAddition,
} from './family'

const size = { w: 100, h: 120 }
const step = size.w + COLUMN_GAP
const generation = size.h + GENERATION_GAP
const node = (personId: string, x: number, y: number, birthYear: number | null = null) =>
  ({ personId, box: { x, y, ...size }, birthYear }) satisfies FamilyNode

describe('kinOf', () => {
  const ties: FamilyTie[] = [
    { from: 'dad', to: 'me', kind: 'parent-child' },
    { from: 'mum', to: 'me', kind: 'parent-child' },
    { from: 'mum', to: 'sis', kind: 'parent-child' },
    { from: 'dad', to: 'mum', kind: 'divorced' },
    { from: 'me', to: 'kid', kind: 'parent-child' },
    { from: 'partner', to: 'me', kind: 'living-together' },
    { from: 'me', to: 'cousin', kind: 'siblings' },
    { from: 'me', to: 'friend', kind: 'strong' },
  ]

  it('reads parents, children, partners and siblings from the ties', () => {
    expect(kinOf('me', ties)).toEqual({
      parents: ['dad', 'mum'],
      children: ['kid'],
      partners: ['partner'],
      siblings: ['cousin', 'sis'],
    })
    expect(kinOf('mum', ties).partners).toEqual(['dad'])
  })
})

describe('birthOrder', () => {
  it('puts the oldest on the left and children without a year last, in their current order', () => {
    const children = [
      node('c', 0, 0, 2012),
      node('x2', 500, 0),
      node('a', 100, 0, 2005),
      node('x1', 300, 0),
      node('b', 200, 0, 2009),
    ]
    expect(birthOrder(children)).toEqual(['a', 'b', 'c', 'x1', 'x2'])
  })
})

describe('freeSpotInRow', () => {
  it('takes the start when it is free, else the nearest free step, preferred side first', () => {
    const nodes = [node('a', 0, 0), node('b', step, 0)]
    expect(freeSpotInRow(2 * step, 0, size, nodes)).toEqual({ x: 2 * step, y: 0 })
    expect(freeSpotInRow(step, 0, size, nodes, 'right')).toEqual({ x: 2 * step, y: 0 })
    expect(freeSpotInRow(-step, 0, size, nodes, 'left')).toEqual({ x: -step, y: 0 })
    expect(freeSpotInRow(0, 0, size, nodes, 'left')).toEqual({ x: -step, y: 0 })
  })

  it('ignores persons in other rows', () => {
    expect(freeSpotInRow(0, 0, size, [node('up', 0, -generation)])).toEqual({ x: 0, y: 0 })
  })
})

describe('freeSpotBeside', () => {
  it('tries one step to the preferred side, then the other side, then further out', () => {
    const nodes = [node('me', 0, 0), node('right', step, 0)]
    expect(freeSpotBeside(0, 0, size, nodes, 'right')).toEqual({ x: -step, y: 0 })
    expect(freeSpotBeside(0, 0, size, [...nodes, node('left', -step, 0)], 'right')).toEqual({
      x: 2 * step,
      y: 0,
    })
  })
})

describe('arrangeChildren', () => {
  it('centres the row under the parents, oldest on the left', () => {
    const row = arrangeChildren(
      [node('young', 0, 300, 2015), node('old', 400, 300, 2010)],
      500,
      300,
      size,
      [],
    )
    const width = 2 * size.w + COLUMN_GAP
    expect(row).toEqual([
      { personId: 'old', x: 500 - width / 2, y: 300 },
      { personId: 'young', x: 500 - width / 2 + step, y: 300 },
    ])
  })

  it('shifts right when someone else stands in the way', () => {
    const row = arrangeChildren([node('kid', 0, 300)], 50, 300, size, [node('cousin', 0, 300)])
    expect(row[0]?.x).toBeGreaterThanOrEqual(size.w + COLUMN_GAP / 2)
  })
})

describe('planFamilyAddition', () => {
  const me = node('me', 1000, 1000, 1990)

  it('puts a partner beside, joined by a couple line', () => {
    const plan = planFamilyAddition('partner', 'me', 'new', size, [me], [])
    expect(plan.position).toEqual({ x: 1000 + step, y: 1000 })
    expect(plan.ties).toEqual([{ from: 'me', to: 'new', kind: 'married' }])
  })

  it('puts a partner on the left when the right is taken', () => {
    const plan = planFamilyAddition(
      'partner',
      'me',
      'new',
      size,
      [me, node('x', 1000 + step, 1000)],
      [],
    )
    expect(plan.position).toEqual({ x: 1000 - step, y: 1000 })
  })

  it('puts parents one row up, the second beside the first and joined to him', () => {
    const first = planFamilyAddition('parent', 'me', 'dad', size, [me], [])
    expect(first.position.y).toBe(1000 - generation)
    expect(first.position.x).toBeLessThan(1000)
    expect(first.ties).toEqual([{ from: 'dad', to: 'me', kind: 'parent-child' }])

    const nodes = [me, node('dad', first.position.x, first.position.y)]
    const second = planFamilyAddition('parent', 'me', 'mum', size, nodes, first.ties)
    expect(second.position).toEqual({ x: first.position.x + step, y: 1000 - generation })
    expect(second.ties).toEqual([
      { from: 'mum', to: 'me', kind: 'parent-child' },
      { from: 'dad', to: 'mum', kind: 'married' },
    ])
    // The couple stands centred above the child.
    const mid = (first.position.x + second.position.x + size.w) / 2
    expect(mid).toBe(1000 + size.w / 2)
  })

  it('puts children one row down under the couple, in birth order, moving older ones aside', () => {
    const partner = node('partner', 1000 + step, 1000)
    const kid = node('kid', 1000 + step / 2, 1000 + generation, 2016)
    const ties: FamilyTie[] = [
      { from: 'me', to: 'partner', kind: 'married' },
      { from: 'me', to: 'kid', kind: 'parent-child' },
      { from: 'partner', to: 'kid', kind: 'parent-child' },
    ]
    const plan = planFamilyAddition('child', 'me', 'new', size, [me, partner, kid], ties)
    const under = 1000 + size.w / 2 + step / 2
    expect(plan.position).toEqual({ x: under + COLUMN_GAP / 2, y: 1000 + generation })
    expect(plan.moves).toEqual([
      { personId: 'kid', x: under - COLUMN_GAP / 2 - size.w, y: 1000 + generation },
    ])
    expect(plan.ties).toEqual([
      { from: 'me', to: 'new', kind: 'parent-child' },
      { from: 'partner', to: 'new', kind: 'parent-child' },
    ])
  })

  it('keeps a younger existing child on the right of an older one', () => {
    const ties: FamilyTie[] = [
      { from: 'me', to: 'a', kind: 'parent-child' },
      { from: 'me', to: 'b', kind: 'parent-child' },
    ]
    const nodes = [
      me,
      node('b', 900, 1000 + generation, 2020),
      node('a', 1200, 1000 + generation, 2018),
    ]
    const plan = planFamilyAddition('child', 'me', 'new', size, nodes, ties)
    const row = [
      ...plan.moves.map((m) => ({ id: m.personId, x: m.x })),
      { id: 'new', x: plan.position.x },
    ].sort((p, q) => p.x - q.x)
    expect(row.map((p) => p.id)).toEqual(['a', 'b', 'new'])
  })

  it('puts a sibling beside, away from the partner, as a child of the same parents', () => {
    const partner = node('partner', 1000 + step, 1000)
    const ties: FamilyTie[] = [
      { from: 'me', to: 'partner', kind: 'married' },
      { from: 'dad', to: 'me', kind: 'parent-child' },
      { from: 'mum', to: 'me', kind: 'parent-child' },
    ]
    const plan = planFamilyAddition('sibling', 'me', 'new', size, [me, partner], ties)
    expect(plan.position).toEqual({ x: 1000 - step, y: 1000 })
    expect(plan.ties).toEqual([
      { from: 'dad', to: 'new', kind: 'parent-child' },
      { from: 'mum', to: 'new', kind: 'parent-child' },
    ])
  })

  it('joins a sibling with a sibling tie when no parents are known', () => {
    const plan = planFamilyAddition('sibling', 'me', 'new', size, [me], [])
    expect(plan.position).toEqual({ x: 1000 + step, y: 1000 })
    expect(plan.ties).toEqual([{ from: 'me', to: 'new', kind: 'siblings' }])
  })

  it('refuses an anchor that is not on the map', () => {
    expect(() => planFamilyAddition('child', 'ghost', 'new', size, [me], [])).toThrow()
  })
})
