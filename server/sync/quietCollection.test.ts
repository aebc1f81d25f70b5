import { constants, PerformanceObserver } from 'node:perf_hooks'
import { getHeapSpaceStatistics } from 'node:v8'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { afterSends } from './quietCollection'

function young(): { used: number; capacity: number } {
  const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')
  if (!space) throw new Error('no new_space in this V8')
  return {
    used: space.space_used_size,
    capacity: space.space_used_size + space.space_available_size,
  }
}

/** Fills the young generation with garbage up to `share` of its size, in small steps. */
function fillTo(share: number): void {
  for (let i = 0; i < 1_000_000 && young().used < share * young().capacity; i++) {
    Array.from({ length: 64 }, (_, k) => k + i)
  }
}

/** Two turns of the event loop, then the collections seen meanwhile have been reported. */
const nextTurns = () =>
  new Promise((resolve) => setImmediate(() => setImmediate(() => setTimeout(resolve, 20))))

// Collections asked for by code are marked forced; V8's own are not.
let forced: number
let observer: PerformanceObserver
beforeEach(() => {
  forced = 0
  observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const { kind, flags } = (entry as unknown as { detail: { kind: number; flags: number } })
        .detail
      if (
        kind === constants.NODE_PERFORMANCE_GC_MINOR &&
        flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED
      )
        forced++
    }
  })
  observer.observe({ entryTypes: ['gc'] })
})
afterEach(() => observer.disconnect())

describe('young collections at a quiet moment', () => {
  it('collects a young generation past half full in the turn after a send', async () => {
    fillTo(0.65)
    expect(young().used).toBeGreaterThanOrEqual(0.55 * young().capacity)
    afterSends()
    await nextTurns()
    expect(forced).toBe(1)
  })

  it('leaves a young generation below half full alone', async () => {
    // Starts from a collection, so the space is nearly empty.
    fillTo(0.65)
    afterSends()
    await nextTurns()
    forced = 0
    fillTo(0.3)
    expect(young().used).toBeLessThan(0.45 * young().capacity)
    afterSends()
    await nextTurns()
    expect(forced).toBe(0)
  })
})
