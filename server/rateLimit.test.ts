import { describe, expect, it } from 'vitest'
import { AddressRateLimit } from './rateLimit'

describe('AddressRateLimit', () => {
  it('allows a minute’s worth at once, then one every 60/n seconds, per address', () => {
    let now = 0
    const limit = new AddressRateLimit(3, () => now)
    expect([limit.take('a'), limit.take('a'), limit.take('a')]).toEqual([0, 0, 0])
    // The fourth waits for the next token: 20 s.
    expect(limit.take('a')).toBe(20)
    expect(limit.take('b')).toBe(0)
    now += 19_000
    expect(limit.take('a')).toBe(1)
    now += 1_000
    expect(limit.take('a')).toBe(0)
    expect(limit.take('a')).toBe(20)
  })
})
