import { describe, expect, it } from 'vitest'
import { AddressBlock } from './addressBlock'

describe('AddressBlock', () => {
  it('blocks an address after more refusals than a minute allows, for the given time, and no other', () => {
    let now = 0
    const blocked: string[] = []
    const block = new AddressBlock(
      3,
      60,
      (a) => blocked.push(a),
      () => now,
    )
    expect([1, 2, 3].map(() => block.refused('10.0.0.1'))).toEqual([false, false, false])
    expect(block.blocked('10.0.0.1')).toBe(false)
    expect(block.refused('10.0.0.1')).toBe(true)
    expect(blocked).toEqual(['10.0.0.1'])
    expect(block.blocked('10.0.0.1')).toBe(true)
    expect(block.blocked('10.0.0.2')).toBe(false)
    expect(block.remaining('10.0.0.1')).toBe(60)
    now = 59_000
    expect(block.blocked('10.0.0.1')).toBe(true)
    now = 60_001
    expect(block.blocked('10.0.0.1')).toBe(false)
    // Refusals spread over time refill the allowance: one every 20 s never blocks.
    for (let i = 0; i < 10; i++) {
      now += 20_000
      expect(block.refused('10.0.0.1')).toBe(false)
    }
  })

  it('never blocks with 0 refusals configured', () => {
    const block = new AddressBlock(0, 60)
    for (let i = 0; i < 1000; i++) expect(block.refused('10.0.0.1')).toBe(false)
    expect(block.blocked('10.0.0.1')).toBe(false)
  })
})
