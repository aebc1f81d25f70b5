/**
 * Making atlases in bulk (issue 18, "nothing limits volume"): a flood of new atlases from one
 * address, atlas files with a huge number of records or with keys that reach a prototype, a disk
 * nearly full, and a 19 MB import while another atlas is being edited. Each against a real server
 * process over real HTTP and websockets.
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ApiError, MAX_ATLAS_FILE_BYTES } from '../../shared/api/atlases'
import { ImportAtlasResponse, MAX_SKIPPED_LISTED } from '../../shared/api/atlasFile'
import { largeFile, sampleFile, zerosFile } from '../helpers/atlasFiles'
import { createAtlas, waitFor, writeShape } from '../helpers/clients'
import { type ChildServer, makeDataDir, removeDir, spawnServer } from '../helpers/server'
import {
  alive,
  BYSTANDER_MS,
  bystander,
  cleanUp,
  percentile,
  provider,
  server,
  watchMemory,
} from './harness'

const extra: { children: ChildServer[]; dirs: string[] } = { children: [], dirs: [] }
afterEach(async () => {
  await cleanUp()
  for (const c of extra.children.splice(0)) {
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL')
    await c.exited
  }
  await Promise.all(extra.dirs.splice(0).map(removeDir))
})

const MB = 1024 * 1024
/** What the server (its import worker included) may hold while it reads a 19 MB file. */
const MEMORY_BOUND_MIB = 1024

/**
 * Far longer than any round trip seen during imports (up to 130 ms alone on a busy machine, 41 ms
 * in CI); far shorter than a whole parse on the event loop (seconds).
 */
const STALL_MS = 1000

function postImport(s: ChildServer, body: string | Uint8Array<ArrayBuffer>) {
  return fetch(`${s.url}/api/atlases/import`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
  })
}

function postCreate(s: ChildServer) {
  return fetch(`${s.url}/api/atlases`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Nog een atlas' }),
  })
}

/** A request's status, or 'closed' when the server closed the connection before answering. */
type Answer = number | 'closed'

/** `POST /api/atlases` on a connection of its own from `localAddress` (any of 127/8). */
function postFrom(port: number, localAddress: string): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        localAddress,
        agent: false,
        method: 'POST',
        path: '/api/atlases',
        headers: { 'Content-Type': 'application/json' },
      },
      (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      },
    )
    req.on('error', () => resolve('closed'))
    req.end(JSON.stringify({ title: 'Nog een atlas' }))
  })
}

/**
 * `POST /api/atlases/import` with `pieces` written to the socket as they are (`fetch` copies a
 * body first, which holds up this process, and the bystander's clients in it, for tens of ms at
 * 19 MB). With `length` the request says its Content-Length; without, it is sent chunked.
 */
function postImportPieces(
  s: ChildServer,
  pieces: readonly Uint8Array[],
  length?: number,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: s.port,
        agent: false,
        method: 'POST',
        path: '/api/atlases/import',
        headers: {
          'Content-Type': 'application/json',
          ...(length === undefined ? {} : { 'Content-Length': length }),
        },
      },
      (res) => {
        let body = ''
        res.on('data', (chunk) => {
          body += chunk
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      },
    )
    req.on('error', reject)
    void (async () => {
      for (const piece of pieces) {
        if (!req.write(piece)) await new Promise((r) => req.once('drain', r))
      }
      req.end()
    })()
  })
}

async function atlasFolders(dir: string): Promise<string[]> {
  return readdir(join(dir, 'atlases')).catch(() => [])
}

describe('making atlases in bulk', () => {
  it('answers 429 with Retry-After once an address has made its atlases for the minute', async () => {
    // The address is not blocked here (the next test blocks it): every request gets its answer.
    const s = await server({
      ATLAS_CREATIONS_PER_MINUTE: '20',
      IMPORTS_PER_MINUTE: '3',
      ADDRESS_BLOCK_REFUSALS: '0',
    })
    const statuses: number[] = []
    const retryAfter: (string | null)[] = []
    const messages: string[] = []
    // 1,000 requests, 50 at a time (the flood: 10,000 in 12 s, every one 201).
    for (let round = 0; round < 20; round++) {
      const answers = await Promise.all(Array.from({ length: 50 }, () => postCreate(s)))
      for (const answer of answers) {
        statuses.push(answer.status)
        if (answer.status === 429) {
          retryAfter.push(answer.headers.get('Retry-After'))
          messages.push(ApiError.parse(await answer.json()).error)
        } else await answer.body?.cancel()
      }
    }
    const created = statuses.filter((code) => code === 201).length
    // 20 at once, then one every 3 s: a few more while the flood lasts.
    expect(created).toBeGreaterThanOrEqual(20)
    expect(created).toBeLessThanOrEqual(25)
    expect(statuses.filter((code) => code === 429).length).toBe(1000 - created)
    for (const value of retryAfter) expect(Number(value)).toBeGreaterThanOrEqual(1)
    expect(new Set(messages)).toEqual(
      new Set(['Too many new atlases from this address; try again later']),
    )
    expect((await atlasFolders(s.dir)).length).toBe(created)

    // Imports have their own limit.
    const file = JSON.stringify(sampleFile())
    const imports = []
    for (let i = 0; i < 5; i++) imports.push((await postImport(s, file)).status)
    expect(imports).toEqual([201, 201, 201, 429, 429])
    expect(await alive(s)).toBe(true)
  })

  it('blocks an address that keeps coming after its 429s: its connections close as they come, other addresses are served', async () => {
    const s = await server({
      ATLAS_CREATIONS_PER_MINUTE: '5',
      ADDRESS_BLOCK_REFUSALS: '20',
      ADDRESS_BLOCK_SECONDS: '3',
    })
    const port = Number(new URL(s.url).port)
    const attacker = () => postFrom(port, '127.0.0.2')
    const first: Answer[] = []
    for (let i = 0; i < 40; i++) first.push(await attacker())
    // 5 made, then 429s; the refusal past the 20th blocks the address, whose later connections
    // are closed before any answer.
    expect(first.slice(0, 5)).toEqual(Array(5).fill(201))
    expect(first.filter((a) => a === 429).length).toBe(21)
    expect(first.slice(26)).toEqual(Array(14).fill('closed'))
    // Another address is served all along, over HTTP and websockets.
    expect(await postFrom(port, '127.0.0.1')).toBe(201)
    const atlas = await createAtlas(s.url, 'Van een ander adres')
    const other = await provider(s, atlas.id, atlas.editToken)
    expect(other.wsconnected).toBe(true)
    // The block ends after its time; the address is then rate-limited again, not blocked.
    await waitFor(async () => (await attacker()) === 429, 'the block to end', 10_000)
    expect(await alive(s)).toBe(true)
  })

  it('refuses an atlas file past 20 MB sent without a length, and keeps nothing of it', async () => {
    const s = await server()
    // Chunked: the server learns the size only as the bytes come, in pieces of 1 MiB.
    const piece = new Uint8Array(MB).fill(32)
    const pieces = Array.from({ length: MAX_ATLAS_FILE_BYTES / MB + 1 }, () => piece)
    const answer = await postImportPieces(s, pieces)
    expect(answer.status).toBe(413)
    expect(ApiError.parse(JSON.parse(answer.body)).error).toBe('The atlas file is too large')
    expect(await atlasFolders(s.dir)).toEqual([])
    expect(await alive(s)).toBe(true)
  })

  it('refuses an atlas file of millions of records quickly, and lists at most 100 skipped ones', async () => {
    const s = await server()
    // The file: 20 MB of `0,` as records (before: 94 s and a 440 MB answer).
    const zeros = zerosFile(10_000_000)
    expect(zeros.length).toBeGreaterThan(19 * MB)
    const started = performance.now()
    const refused = await postImport(s, zeros)
    expect(refused.status).toBe(413)
    expect(ApiError.parse(await refused.json()).error).toBe(
      'The atlas file holds more than 100000 records',
    )
    expect(performance.now() - started).toBeLessThan(10_000)
    expect(await atlasFolders(s.dir)).toEqual([])

    // Below the cap, every bad record is skipped, but only the first 100 are listed.
    const file = sampleFile()
    const bad = Array.from({ length: 50_000 }, (_, i) => ({ id: `shape:bad${i}`, typeName: 'x' }))
    const answer = await postImport(
      s,
      JSON.stringify({ ...file, records: [...file.records, ...bad] }),
    )
    expect(answer.status).toBe(201)
    const text = await answer.text()
    expect(text.length).toBeLessThan(20_000)
    const body = ImportAtlasResponse.parse(JSON.parse(text))
    expect(body.skipped).toHaveLength(MAX_SKIPPED_LISTED)
    expect(body.skipped[0]).toEqual({ id: 'shape:bad0', reason: 'unknown record type x' })
    expect(body.skippedMore).toBe(50_000 - MAX_SKIPPED_LISTED)
    expect(await alive(s)).toBe(true)
  })

  it('refuses keys that reach a prototype by name: a record id is skipped, a meta key is a 400', async () => {
    const s = await server()
    const file = sampleFile()
    const person = file.records.find((r) => r.typeName === 'person')
    const shape = file.records.find((r) => r.typeName === 'shape')
    if (!person || !shape) throw new Error('the sample atlas has persons and shapes')

    const withProtoId = { ...file, records: [...file.records, { ...person, id: '__proto__' }] }
    const skipped = await postImport(s, JSON.stringify(withProtoId))
    expect(skipped.status).toBe(201)
    expect(ImportAtlasResponse.parse(await skipped.json()).skipped).toEqual([
      { id: '__proto__', reason: 'this id is not allowed' },
    ])

    for (const key of ['constructor', '__proto__', 'prototype']) {
      // Written as text: an object literal's __proto__ would set a prototype, not a key.
      const text = JSON.stringify(file).replace(
        JSON.stringify(shape),
        JSON.stringify(shape).replace('"meta":{}', `"meta":{"${key}":{"x":1}}`),
      )
      expect(text).toContain(`"meta":{"${key}":`)
      const refused = await postImport(s, text)
      expect(refused.status, key).toBe(400)
      expect(ApiError.parse(await refused.json()).error).toBe(
        `The atlas file holds a key that is not allowed: ${key}`,
      )
    }
    expect(await alive(s)).toBe(true)
  })

  it('refuses new atlases with 507 while the disk is nearly full, and existing ones keep saving', async () => {
    const dir = await makeDataDir()
    extra.dirs.push(dir)
    const first = await spawnServer(dir)
    extra.children.push(first)
    const atlas = await createAtlas(first.url)
    first.child.kill('SIGTERM')
    await first.exited

    // More free space asked for than any disk here has.
    const s = await spawnServer(dir, { MIN_FREE_DISK_MB: String(1024 * 1024 * 1024) })
    extra.children.push(s)
    const created = await postCreate(s)
    expect(created.status).toBe(507)
    expect(ApiError.parse(await created.json()).error).toMatch(/almost out of disk space/)
    const imported = await postImport(s, JSON.stringify(sampleFile()))
    expect(imported.status).toBe(507)
    expect(ApiError.parse(await imported.json()).error).toMatch(/almost out of disk space/)
    expect(await atlasFolders(dir)).toEqual([atlas.id])

    const client = await provider(s, atlas.id, atlas.editToken)
    writeShape(client.doc, 'na-de-volle-schijf', { x: 1, y: 0 })
    const log = join(dir, 'atlases', atlas.id, 'updates.log')
    await waitFor(async () => (await stat(log).catch(() => null))?.size !== undefined, 'the save')
    expect((await readFile(log, 'utf8')).trim().split('\n').length).toBeGreaterThanOrEqual(1)
  })

  it('keeps another atlas answering, p95 under 50 ms, while 19 MB atlas files are imported', async () => {
    const s = await server()
    const by = await bystander(s)
    // As bytes: turning 19 MB of text into bytes during the request would hold up this process,
    // where the bystander's own clients run, and be counted against the server.
    const large = new TextEncoder().encode(largeFile(19 * MB))
    const medium = new TextEncoder().encode(largeFile(6 * MB))
    const baseline = await by.measure(1000)
    const memory = watchMemory(s.child.pid as number)
    const imports = (async () => {
      const statuses: number[] = []
      for (const body of [large, medium, large]) {
        statuses.push((await postImportPieces(s, [body], body.byteLength)).status)
      }
      return statuses
    })()
    const samples = await by.measure(60_000, imports)
    const statuses = await imports
    memory.stop()
    expect(samples.length).toBeGreaterThan(20)
    const p95 = percentile(samples, 0.95)
    const p99 = percentile(samples, 0.99)
    console.info(
      `bystander during imports: p50 ${percentile(samples, 0.5).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...samples).toFixed(1)} ms (baseline p99 ${percentile(baseline, 0.99).toFixed(1)} ms, ${samples.length} samples); server RSS max ${memory.max.toFixed(0)} MiB`,
    )
    // Parsing runs in a worker and the document is stored in slices (a few ms each), so nothing
    // of an import holds this server's event loop for long: p95 within the bystander bound, and
    // no round trip near what parsing 19 MB on the event loop would take (seconds). The p99 is
    // a figure of the benchmark (A1, "import flood"), measured on a quiet machine.
    expect(p95).toBeLessThan(BYSTANDER_MS)
    expect(Math.max(...samples)).toBeLessThan(STALL_MS)
    // The 19 MB file becomes more than MAX_DOCUMENT_BYTES (16 MiB); the 6 MB one is stored.
    expect(statuses).toEqual([413, 201, 413])
    // The worker's heap is capped at 1 GiB; the server idles at ~80 MiB.
    expect(memory.max).toBeLessThan(MEMORY_BOUND_MIB)
    expect(await alive(s)).toBe(true)
  })

  it('reads one file at a time with four waiting, and turns more away with 503', async () => {
    const s = await server()
    const medium = largeFile(6 * MB)
    const answers = await Promise.all(
      Array.from({ length: 7 }, async () => {
        const answer = await postImport(s, medium)
        const body = (await answer.json()) as { error?: string }
        return { status: answer.status, retryAfter: answer.headers.get('Retry-After'), body }
      }),
    )
    const busy = answers.filter((a) => a.status === 503)
    expect(answers.filter((a) => a.status === 201)).toHaveLength(5)
    expect(busy).toHaveLength(2)
    for (const a of busy) {
      expect(a.retryAfter).toBe('60')
      expect(a.body.error).toBe('The server is reading other atlas files; try again in a minute')
    }
    expect(await atlasFolders(s.dir)).toHaveLength(5)
  })
})
