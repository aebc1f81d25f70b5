import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { RECORDS_KEY } from '../../shared/sync/layout'
import { largeFile, sampleFile } from '../../tests/helpers/atlasFiles'
import { createLogger } from '../log'
import { ImportRunner, readBodyParts } from './importRunner'

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
    const run = await runner.run([bytes])
    clearInterval(sampler)
    expect(run.ok).toBe(true)
    expect(lowest).toBe(19)
    // The event loop's thread (its id is the process's) kept its priority.
    expect(niceValue(String(process.pid))).toBe(0)
  }, 60_000)

  it('joins a file that comes in parts, as one without a Content-Length does', async () => {
    const runner = new ImportRunner(
      { maxRecords: 1_000_000, maxDocumentBytes: 64 * 1024 * 1024 },
      createLogger('silent'),
    )
    const file = { ...sampleFile(), title: 'In delen' }
    const bytes = new TextEncoder().encode(JSON.stringify(file))
    // Three parts, each its own buffer; the cuts fall inside the JSON's strings and numbers.
    const cuts = [0, Math.floor(bytes.length / 3), Math.floor((2 * bytes.length) / 3), bytes.length]
    const parts = cuts.slice(1).map((end, i) => bytes.slice(cuts[i], end))
    const run = await runner.run(parts)
    const whole = await runner.run([bytes.slice()])
    if (!run.ok || !whole.ok) throw new Error('not read')
    expect(run.title).toBe('In delen')
    const records = (state: Uint8Array) => {
      const doc = new Y.Doc()
      Y.applyUpdate(doc, state)
      return doc.getMap(RECORDS_KEY).toJSON()
    }
    expect(Object.keys(records(run.state)).length).toBeGreaterThan(10)
    expect(records(run.state)).toEqual(records(whole.state))
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

describe('readBodyParts', () => {
  it('fills one part of the Content-Length, which the worker then gets without a copy', async () => {
    const chunks = chunksOf(5, 1000)
    const parts = await readBodyParts(postOf(chunks, { 'Content-Length': '5000' }), 1 << 20)
    expect(parts).toHaveLength(1)
    const [part] = parts as [Uint8Array]
    expect(Buffer.compare(part, Buffer.concat(chunks))).toBe(0)
    expect(part.byteOffset).toBe(0)
    expect(part.buffer.byteLength).toBe(5000)
  })

  it('reads a body without a Content-Length into parts of 1 MiB, each byte copied once', async () => {
    // 700 chunks of 4,000 bytes (2.8 MB): chunks that straddle a part's end are split.
    const chunks = chunksOf(700, 4000)
    const parts = await readBodyParts(postOf(chunks), 8 << 20)
    expect(parts.map((p) => p.byteLength)).toEqual([1 << 20, 1 << 20, 700 * 4000 - (2 << 20)])
    // Each part its own buffer (handed over to the worker whole), none of them shared.
    expect(new Set(parts.map((p) => p.buffer)).size).toBe(3)
    expect(parts.every((p) => p.byteOffset === 0)).toBe(true)
    expect(Buffer.compare(Buffer.concat(parts), Buffer.concat(chunks))).toBe(0)
  })

  it('goes on in parts when the body is longer than its Content-Length says', async () => {
    const chunks = chunksOf(3, 1000)
    const parts = await readBodyParts(postOf(chunks, { 'Content-Length': '1500' }), 1 << 20)
    expect(parts.map((p) => p.byteLength)).toEqual([1500, 1500])
    expect(Buffer.compare(Buffer.concat(parts), Buffer.concat(chunks))).toBe(0)
  })

  it('never makes a part larger than the limit, whatever the header claims', async () => {
    const chunks = chunksOf(1, 10)
    // A terabyte: as a part's size this would throw (no such array can be made).
    const parts = await readBodyParts(postOf(chunks, { 'Content-Length': String(2 ** 40) }), 1024)
    expect(Buffer.compare(Buffer.concat(parts), Buffer.concat(chunks))).toBe(0)
    expect(parts.every((p) => p.buffer.byteLength <= 1024)).toBe(true)
  })

  it('reads a request without a body as no parts', async () => {
    const parts = await readBodyParts(new Request('http://localhost/', { method: 'POST' }), 1024)
    expect(parts).toEqual([])
  })
})
