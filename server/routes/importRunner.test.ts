import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { largeFile } from '../../tests/helpers/atlasFiles'
import { createLogger } from '../log'
import { ImportRunner } from './importRunner'

/** A thread's nice value, from Linux's /proc (field 19 of `stat`); null once it has ended. */
function niceValue(task: string): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8')
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])
  } catch {
    return null
  }
}

/** The nice value of each thread of this process. */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task')
    .map(niceValue)
    .filter((nice) => nice !== null)
}

describe('ImportRunner', () => {
  it('reads an atlas file in a thread of the lowest priority, leaving the event loop its own', async () => {
    const runner = new ImportRunner(
      { maxRecords: 1_000_000, maxDocumentBytes: 64 * 1024 * 1024 },
      createLogger('silent'),
    )
    const bytes = new TextEncoder().encode(largeFile(8 * 1024 * 1024))
    let lowest = 0
    const sampler = setInterval(() => {
      lowest = Math.max(lowest, ...threadNiceValues())
    }, 5)
    const run = await runner.run(bytes)
    clearInterval(sampler)
    expect(run.ok).toBe(true)
    expect(lowest).toBe(19)
    // The event loop's thread (its id is the process's) kept its priority.
    expect(niceValue(String(process.pid))).toBe(0)
  }, 60_000)
})
