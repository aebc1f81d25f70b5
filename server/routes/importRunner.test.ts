import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { largeFile } from '../../tests/helpers/atlasFiles'
import { createLogger } from '../log'
import { ImportRunner, readBodyBytes } from './importRunner'

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

/** A POST whose body arrives in `chunks`, with the given headers. */
function postOf(chunks: Uint8Array[], headers: Record<string, string> = {}): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk)
      controller.close()
    },
  })
  return new Request('http://localhost/api/atlases/import', {
    method: 'POST',
    body,
    headers,
    duplex: 'half',
  } as RequestInit)
}

/** `count` chunks of `size` bytes, each byte its position modulo 251. */
function chunksOf(count: number, size: number): Uint8Array[] {
  return Array.from({ length: count }, (_, c) =>
    Uint8Array.from({ length: size }, (_, i) => (c * size + i) % 251),
  )
}

describe('readBodyBytes', () => {
  it('fills one buffer of the Content-Length, which the worker then gets without a copy', async () => {
    const chunks = chunksOf(5, 1000)
    const bytes = await readBodyBytes(postOf(chunks, { 'Content-Length': '5000' }), 1 << 20)
    expect(Buffer.compare(bytes, Buffer.concat(chunks))).toBe(0)
    expect(bytes.byteOffset).toBe(0)
    expect(bytes.buffer.byteLength).toBe(5000)
  })

  it('grows its buffer for a body without a Content-Length', async () => {
    // 80 chunks of 4 KiB: past the first 64 KiB buffer.
    const chunks = chunksOf(80, 4096)
    const bytes = await readBodyBytes(postOf(chunks), 1 << 20)
    expect(Buffer.compare(bytes, Buffer.concat(chunks))).toBe(0)
    expect(bytes.buffer.byteLength).toBe(80 * 4096)
  })

  it('never makes its first buffer larger than the limit, whatever the header claims', async () => {
    const chunks = chunksOf(1, 10)
    // A terabyte: as the first buffer's size this would throw (no such array can be made).
    const bytes = await readBodyBytes(postOf(chunks, { 'Content-Length': String(2 ** 40) }), 1024)
    expect(Buffer.compare(bytes, Buffer.concat(chunks))).toBe(0)
  })

  it('reads a request without a body as no bytes', async () => {
    const bytes = await readBodyBytes(new Request('http://localhost/', { method: 'POST' }), 1024)
    expect(bytes.byteLength).toBe(0)
  })
})
