import { describe, expect, it } from 'vitest'
import { agoOf } from './ago'

describe('agoOf', () => {
  const now = new Date(2026, 4, 20, 10, 0)
  const at = (month: number, day: number, hour = 12) =>
    new Date(2026, month, day, hour).toISOString()

  it('says never for a link that was never used', () => {
    expect(agoOf(null, now)).toEqual({ unit: 'never' })
  })

  it('counts calendar days on this device, not 24-hour periods', () => {
    expect(agoOf(at(4, 20, 0), now)).toEqual({ unit: 'today' })
    expect(agoOf(at(4, 20, 23), now)).toEqual({ unit: 'today' })
    expect(agoOf(at(4, 19, 23), now)).toEqual({ unit: 'yesterday' })
    expect(agoOf(at(4, 17), now)).toEqual({ unit: 'days', count: 3 })
    expect(agoOf(at(4, 7), now)).toEqual({ unit: 'days', count: 13 })
  })

  it('goes over to weeks and then months', () => {
    expect(agoOf(at(4, 6), now)).toEqual({ unit: 'weeks', count: 2 })
    expect(agoOf(at(2, 21), now)).toEqual({ unit: 'weeks', count: 8 })
    expect(agoOf(at(0, 20), now)).toEqual({ unit: 'months', count: 4 })
  })
})
