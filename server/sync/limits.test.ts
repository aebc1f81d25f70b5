import { describe, expect, it } from 'vitest'
import { CoolDown, TokenBucket } from './limits'

describe('TokenBucket', () => {
  it('allows a burst of its capacity, then its rate', () => {
    let now = 0
    const bucket = new TokenBucket(3, 2, () => now)
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([
      true,
      true,
      true,
      false,
    ])
    expect(bucket.waitMs()).toBe(500)
    now = 500
    expect(bucket.take()).toBe(true)
    expect(bucket.take()).toBe(false)
    now = 10_000
    expect(bucket.waitMs()).toBe(0)
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([
      true,
      true,
      true,
      false,
    ])
  })
})

describe('TokenBucket.take(count)', () => {
  it('pays for counts; a full bucket pays for more than it holds and owes the rest', () => {
    let now = 0
    const bucket = new TokenBucket(100, 10, () => now)
    expect(bucket.take(60)).toBe(true)
    expect(bucket.take(60)).toBe(false)
    expect(bucket.take(40)).toBe(true)
    now = 10_000
    expect(bucket.take(250)).toBe(true)
    now = 20_000
    expect(bucket.take(1)).toBe(false)
    now = 25_100
    expect(bucket.take(1)).toBe(true)
  })
})

describe('CoolDown', () => {
  it('turns a link away for twice as long after each refusal, up to the most, then forgets', () => {
    let now = 0
    const coolDown = new CoolDown(1000, 4000, () => now)
    expect(coolDown.remaining('a')).toBe(0)
    coolDown.strike('a')
    expect(coolDown.remaining('a')).toBe(1000)
    expect(coolDown.remaining('b')).toBe(0)
    now = 1000
    expect(coolDown.remaining('a')).toBe(0)
    coolDown.strike('a')
    expect(coolDown.remaining('a')).toBe(2000)
    now = 3000
    coolDown.strike('a')
    expect(coolDown.remaining('a')).toBe(4000)
    now = 7000
    coolDown.strike('a')
    expect(coolDown.remaining('a')).toBe(4000)
    // Long after its last refusal, a link starts again from the first step.
    now = 7000 + 4000 + 10 * 4000 + 1
    coolDown.strike('a')
    expect(coolDown.remaining('a')).toBe(1000)
  })
})
