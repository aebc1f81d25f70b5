import { describe, expect, it, vi } from 'vitest'

// Each test loads its own copy of the module: the flags only go up once per page.
async function freshBuild(): Promise<typeof import('./build')> {
  vi.resetModules()
  return import('./build')
}

describe('the build flags', () => {
  it('tell each listener once that the page is too old, and stay up', async () => {
    const build = await freshBuild()
    const heard: string[] = []
    build.onTooOld(() => heard.push('a'))
    const stopB = build.onTooOld(() => heard.push('b'))
    stopB()
    expect(build.isTooOld()).toBe(false)
    build.markTooOld()
    build.markTooOld()
    expect(build.isTooOld()).toBe(true)
    expect(heard).toEqual(['a'])
    expect(build.isPartMissing()).toBe(false)
  })

  it('tell each listener once that a part is missing, apart from the too-old flag', async () => {
    const build = await freshBuild()
    let heard = 0
    let heardTooOld = 0
    build.onPartMissing(() => heard++)
    build.onTooOld(() => heardTooOld++)
    build.markPartMissing()
    build.markPartMissing()
    expect(build.isPartMissing()).toBe(true)
    expect(heard).toBe(1)
    expect(build.isTooOld()).toBe(false)
    expect(heardTooOld).toBe(0)
  })

  it('gives the fallback and marks the part missing when a late part does not load', async () => {
    const build = await freshBuild()
    const got = await build.loadPart(() => Promise.reject(new Error('gone')), 'fallback')
    expect(got).toBe('fallback')
    expect(build.isPartMissing()).toBe(true)
  })
})
