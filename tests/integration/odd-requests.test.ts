/**
 * No input stops the server: a generated corpus of odd request targets, methods and headers, on
 * plain HTTP and with upgrade headers, written raw over TCP (nothing normalises them) to a
 * spawned server. Every request gets a 4xx (or a page), or a 101 only for a websocket handshake
 * to `/sync/…`; afterwards the server still answers and a room opened before still syncs.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import type { CreateAtlasResponse } from '../../shared/api/atlases'
import { createAtlas, readShape, syncedClient, waitFor, writeShape } from '../helpers/clients'
import { type ChildServer, makeDataDir, removeDir, spawnServer } from '../helpers/server'

/** mulberry32: a tiny seeded PRNG, so that a failing corpus can be replayed. */
function mulberry32(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SEED = Number(process.env.CORPUS_SEED ?? 20_240_611)
/** A secret that is not one of the atlas's: it must never reach the log. */
const WRONG_TOKEN = `${'Zq'.repeat(21)}Z`
const KEY = 'dGhlIHNhbXBsZSBub25jZQ=='

/**
 * What a target is: `sync` an origin-form path under /sync/ (a websocket handshake there gets a
 * 101; `real` marks the one with the atlas's own link), `bad` one that is no valid request target,
 * `other` anything else.
 */
interface Target {
  target: string
  kind: 'sync' | 'bad' | 'other'
  real?: boolean
}

interface HeaderSet {
  name: string
  lines: (host: string) => string[]
  /** Node's parser refuses the request itself (4xx, closed), whatever the rest. */
  refused?: boolean
  /** The set brings its own body framing. */
  framed?: boolean
}

interface UpgradeVariant {
  name: string
  lines: string[]
  /** A complete, valid websocket handshake. */
  websocket?: boolean
}

interface Case {
  id: number
  method: string
  target: Target
  headers: HeaderSet
  upgrade: UpgradeVariant
  /** Reset the connection after this many bytes of the request (nothing to check but survival). */
  cut?: number
}

function targets(atlas: CreateAtlasResponse): Target[] {
  const id = atlas.id
  const token = atlas.editToken
  return [
    { target: '/', kind: 'other' },
    { target: '/index.html', kind: 'other' },
    { target: '/assets/none.js', kind: 'other' },
    { target: '/api/atlases', kind: 'other' },
    { target: `/api/atlases/${id}`, kind: 'other' },
    { target: '/api/nothing?x=%', kind: 'other' },
    { target: `/sync/${id}?token=${token}`, kind: 'sync', real: true },
    { target: `/sync/${id}?token=${WRONG_TOKEN}`, kind: 'sync' },
    { target: `/sync/${id}`, kind: 'sync' },
    { target: `/sync/${id}?token=`, kind: 'sync' },
    { target: `/sync/${id}?token=%zz&token=%`, kind: 'bad' },
    { target: `/sync/${id}/more?token=${token}`, kind: 'sync' },
    { target: '/sync/', kind: 'sync' },
    { target: '/sync/%2e%2e%2fapi', kind: 'sync' },
    { target: `/sync/${'a'.repeat(8000)}`, kind: 'sync' },
    { target: '/sync', kind: 'other' },
    { target: '//sync/x', kind: 'other' },
    { target: '/%00', kind: 'other' },
    { target: '/..%2f..%2fetc%2fpasswd', kind: 'other' },
    { target: `/${'x'.repeat(3000)}?${'y'.repeat(3000)}`, kind: 'other' },
    { target: '//[', kind: 'bad' },
    { target: '*', kind: 'bad' },
    { target: `http://127.0.0.1/sync/${id}?token=${token}`, kind: 'bad' },
    { target: 'http://[', kind: 'bad' },
    { target: '/%', kind: 'bad' },
    { target: '/%E0%A4%A', kind: 'bad' },
    { target: `/sync/${id}?token=${token}#f`, kind: 'bad' },
    { target: '/\\..\\..\\', kind: 'bad' },
    { target: '/sync/{x}|^`"<>', kind: 'bad' },
    { target: '/\u00ff\u00fe', kind: 'bad' },
  ]
}

const METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'OPTIONS',
  'PATCH',
  'TRACE',
  'PROPFIND',
  'CONNECT',
  'BREW',
  'get',
]

/** Methods Node's parser does not know: refused before any handler. */
const UNKNOWN_METHODS = new Set(['BREW', 'get'])

const HEADER_SETS: HeaderSet[] = [
  { name: 'host', lines: (host) => [`Host: ${host}`] },
  { name: 'no host', lines: () => [] },
  { name: 'two hosts', lines: (host) => [`Host: ${host}`, 'Host: other.example'] },
  { name: 'odd host', lines: () => ['Host: ['] },
  {
    name: 'odd values',
    lines: (host) => [
      `Host: ${host}`,
      'Cookie: %%%; =;',
      'Authorization: Bearer %zz',
      'Accept: */*;q=x',
      'Origin: null',
    ],
  },
  {
    name: 'many headers',
    lines: (host) => [`Host: ${host}`, ...Array.from({ length: 300 }, (_, i) => `X-N${i}: ${i}`)],
  },
  {
    name: 'two lengths',
    lines: (host) => [`Host: ${host}`, 'Content-Length: 2', 'Content-Length: 3'],
    refused: true,
    framed: true,
  },
  {
    name: 'chunked and length',
    lines: (host) => [`Host: ${host}`, 'Transfer-Encoding: chunked', 'Content-Length: 2'],
    refused: true,
    framed: true,
  },
  {
    name: 'oversized header',
    lines: (host) => [`Host: ${host}`, `X-Big: ${'a'.repeat(20_000)}`],
    refused: true,
  },
  { name: 'space in name', lines: (host) => [`Host: ${host}`, 'Bad Header: x'], refused: true },
  { name: 'no colon', lines: (host) => [`Host: ${host}`, 'NoColonHere'], refused: true },
]

const WS = ['Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13']
const UPGRADES: UpgradeVariant[] = [
  { name: 'plain', lines: [] },
  { name: 'websocket', lines: [...WS, `Sec-WebSocket-Key: ${KEY}`], websocket: true },
  { name: 'no key', lines: WS },
  { name: 'bad key', lines: [...WS, 'Sec-WebSocket-Key: short'] },
  {
    name: 'bad version',
    lines: [
      'Connection: Upgrade',
      'Upgrade: websocket',
      'Sec-WebSocket-Version: 99',
      `Sec-WebSocket-Key: ${KEY}`,
    ],
  },
  {
    name: 'two upgrades',
    lines: [...WS, 'Upgrade: websocket', `Sec-WebSocket-Key: ${KEY}`],
  },
  {
    name: 'bad protocol list',
    lines: [...WS, `Sec-WebSocket-Key: ${KEY}`, 'Sec-WebSocket-Protocol: a b,,'],
  },
  {
    name: 'h2c',
    lines: [
      'Connection: Upgrade, HTTP2-Settings',
      'Upgrade: h2c',
      'HTTP2-Settings: AAMAAABkAAQAAP__',
    ],
  },
]

/** Characters no request target may hold raw, and ones that are fine. */
const BAD_CHARS = ['[', ']', '{', '}', '|', '\\', '^', '`', '"', '<', '>', '#', '%g', '\u00e9']
const GOOD_CHARS = "abcXYZ019-._~!$&'()*+,;=:@/"

/**
 * The corpus: every target × method, plain and as a websocket handshake; every header set ×
 * upgrade variant on a few targets; and seeded random mutants of a sync target.
 */
function corpus(atlas: CreateAtlasResponse): Case[] {
  const rand = mulberry32(SEED)
  const int = (n: number) => Math.floor(rand() * n)
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T
  const all = targets(atlas)
  const plain = UPGRADES[0] as UpgradeVariant
  const websocket = UPGRADES[1] as UpgradeVariant
  const host = HEADER_SETS[0] as HeaderSet
  const cases: Omit<Case, 'id'>[] = []
  for (const target of all) {
    for (const method of METHODS) {
      for (const upgrade of [plain, websocket])
        cases.push({ method, target, headers: host, upgrade })
    }
  }
  const few = all.filter((t) => t.real || t.target === '//[' || t.target === '/')
  for (const headers of HEADER_SETS) {
    for (const upgrade of UPGRADES) {
      for (const target of few) cases.push({ method: 'GET', target, headers, upgrade })
    }
  }
  const real = all.find((t) => t.real) as Target
  for (let i = 0; i < 150; i++) {
    let target = real.target
    let kind: Target['kind'] = 'sync'
    const at = 6 + int(target.length - 6)
    if (rand() < 0.5) {
      target = target.slice(0, at) + pick(BAD_CHARS) + target.slice(at)
      kind = 'bad'
    } else {
      target = target.slice(0, at) + pick([...GOOD_CHARS]) + target.slice(at)
      // A character put into "/sync/" itself can make it another path.
      if (!target.startsWith('/sync/')) kind = 'other'
    }
    cases.push({
      method: rand() < 0.7 ? 'GET' : pick(METHODS),
      target: { target, kind },
      headers: rand() < 0.6 ? host : pick(HEADER_SETS),
      upgrade: rand() < 0.5 ? websocket : pick(UPGRADES),
    })
  }
  // Connections reset by the client in the middle of a request or right after it.
  const whole = cases.slice()
  for (let i = 0; i < 80; i++) {
    const c = pick(whole)
    const length = requestBytes({ ...c, id: 0 }, 'h').length
    cases.push({ ...c, cut: rand() < 0.5 ? length : 1 + int(length) })
  }
  return cases.map((c, id) => ({ ...c, id }))
}

function requestBytes(c: Case, host: string): Buffer {
  const lines = [
    `${c.method} ${c.target.target} HTTP/1.1`,
    ...c.headers.lines(host),
    ...c.upgrade.lines,
  ]
  let body = ''
  if (!c.headers.framed && ['POST', 'PUT', 'PATCH'].includes(c.method)) {
    body = '{}'
    lines.push(`Content-Length: ${body.length}`)
  }
  if (c.headers.framed) body = '{}'
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'latin1')
}

/** What came back on one connection. */
interface Answer {
  status?: number
  connectionClose?: boolean
  /** Status of the follow-up request sent on a connection left open. */
  followUp?: number
  /** First websocket frame after a 101: its opcode, and the close code of a close frame. */
  frame?: { opcode: number; code?: number }
  closed: boolean
  error?: string
}

const STATUS = /HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n/g

/**
 * Sends one raw request and reads what comes back: the answer's head, then the first websocket
 * frame after a 101, or the close of the connection, or, when the server keeps it open, the
 * answer to a second request on it.
 */
function exchange(
  port: number,
  request: Buffer,
  cut?: number,
  deadlineMs = 15_000,
): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    if (cut !== undefined) {
      socket.on('connect', () =>
        socket.write(request.subarray(0, cut), () => socket.resetAndDestroy()),
      )
      socket.on('error', () => {})
      socket.on('close', () => resolve({ closed: true }))
      return
    }
    let data = Buffer.alloc(0)
    let head: { status: number; end: number; close: boolean } | undefined
    let followUpSent = false
    const answer: Answer = { closed: false }
    const done = (extra: Partial<Answer> = {}) => {
      clearTimeout(timer)
      socket.destroy()
      resolve({ ...answer, ...extra })
    }
    const timer = setTimeout(() => done({ error: 'no answer before the deadline' }), deadlineMs)
    socket.on('connect', () => socket.write(request))
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset after the answer is one way of closing; before it, nothing was answered.
      if (head) done({ closed: true })
      else done({ error: error.code ?? 'socket error' })
    })
    socket.on('close', () => done({ closed: true }))
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk])
      const text = data.toString('latin1')
      if (!head) {
        const end = text.indexOf('\r\n\r\n')
        if (end < 0) return
        const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)
        head = {
          status: status ? Number(status[1]) : -1,
          end: end + 4,
          close: /\r\nconnection: *close\r\n/i.test(text.slice(0, end + 2)),
        }
        answer.status = head.status
        answer.connectionClose = head.close
      }
      if (head.status === 101) {
        const frame = data.subarray(head.end)
        if (frame.length < 2) return
        const opcode = (frame[0] as number) & 0x0f
        const length = (frame[1] as number) & 0x7f
        if (opcode === 8 && frame.length < 2 + Math.min(length, 2)) return
        done({
          frame: { opcode, code: opcode === 8 && length >= 2 ? frame.readUInt16BE(2) : undefined },
        })
        return
      }
      if (!head.close && !followUpSent) {
        followUpSent = true
        socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')
      }
      const statuses = [...text.matchAll(STATUS)].map((m) => Number(m[1]))
      if (statuses.length > 1) answer.followUp = statuses[1]
    })
  })
}

/** What is wrong with an answer, or undefined when it is what the case must get. */
function problem(c: Case, a: Answer): string | undefined {
  if (c.cut !== undefined) return undefined
  if (a.error) return a.error
  if (a.status === undefined) return 'closed without an answer'
  const upgrade = c.upgrade.lines.length > 0
  const refused =
    c.headers.refused || UNKNOWN_METHODS.has(c.method) || (c.headers.name === 'no host' && !upgrade)
  const handshake =
    c.upgrade.websocket && c.method === 'GET' && c.target.kind === 'sync' && !refused
  if (handshake) {
    if (a.status !== 101) return `status ${a.status}, expected 101`
    if (c.target.real) {
      if (a.frame?.opcode !== 2) return `first frame ${JSON.stringify(a.frame)}, expected a message`
    } else if (a.frame?.opcode !== 8 || a.frame.code !== 4401) {
      return `first frame ${JSON.stringify(a.frame)}, expected close 4401`
    }
    return undefined
  }
  if (a.status === 101) return 'status 101 for a request that is no valid handshake to /sync/'
  if (a.status >= 500 || a.status < 200) return `status ${a.status}`
  if ((upgrade || refused) && (a.status < 400 || a.status >= 500))
    return `status ${a.status}, expected 4xx`
  if (upgrade && !refused && c.target.kind === 'bad' && c.method === 'GET' && a.status !== 400) {
    return `status ${a.status}, expected 400`
  }
  if (!a.closed) return 'connection neither closed nor answered again'
  if (a.followUp !== undefined && a.followUp !== 200) return `follow-up status ${a.followUp}`
  if (a.followUp === undefined && !a.connectionClose) {
    return 'connection kept open but the follow-up got no answer'
  }
  return undefined
}

async function runAll<T, R>(
  items: T[],
  parallel: number,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < items.length) {
        const i = next++
        results[i] = await run(items[i] as T)
      }
    }),
  )
  return results
}

let dir: string
let server: ChildServer
const providers: WebsocketProvider[] = []

beforeAll(async () => {
  dir = await makeDataDir()
  const clientDir = join(dir, 'client')
  await mkdir(clientDir)
  await writeFile(join(clientDir, 'index.html'), '<!doctype html><title>Netwerkatlas</title>\n')
  server = await spawnServer(dir, { CLIENT_DIR: clientDir })
})

afterAll(async () => {
  for (const p of providers.splice(0)) p.destroy()
  if (server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill('SIGKILL')
  }
  await server.exited
  await removeDir(dir)
})

describe('odd requests', () => {
  it('no request target, method or header stops the server or another atlas', {
    timeout: 240_000,
  }, async () => {
    const atlas = await createAtlas(server.url)
    // An open room before the corpus: two real clients that sync an edit.
    const a = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
    const b = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
    providers.push(a, b)
    writeShape(a.doc, 'before', { x: 1, y: 1 })
    await waitFor(() => readShape(b.doc, 'before')?.x === 1, 'the first edit to sync')

    const cases = corpus(atlas)
    const host = `127.0.0.1:${server.port}`
    const answers = await runAll(cases, 6, (c) =>
      exchange(server.port, requestBytes(c, host), c.cut),
    )
    // One example per kind of problem, with how often it happened.
    const problems = new Map<string, { count: number; example: string }>()
    cases.forEach((c, i) => {
      const p = problem(c, answers[i] as Answer)
      if (!p) return
      const seen = problems.get(p) ?? {
        count: 0,
        example: `#${c.id}${c.cut === undefined ? '' : ' cut'} ${c.method} ${JSON.stringify(c.target.target.slice(0, 60))} [${c.headers.name}; ${c.upgrade.name}]`,
      }
      seen.count++
      problems.set(p, seen)
    })
    expect(cases.length).toBeGreaterThan(900)
    expect(
      [...problems].map(([p, { count, example }]) => `${count}× ${p}, e.g. ${example}`),
      `of ${cases.length} requests`,
    ).toEqual([])

    // The process lives, answers, and the room opened before the corpus still syncs.
    expect(server.child.exitCode).toBeNull()
    const page = await fetch(`${server.url}/`)
    expect(page.status).toBe(200)
    writeShape(a.doc, 'after', { x: 2, y: 2 })
    await waitFor(() => readShape(b.doc, 'after')?.x === 2, 'an edit after the corpus to sync')
    const fresh = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
    providers.push(fresh)
    expect(readShape(fresh.doc, 'after')?.x).toBe(2)

    // The log holds no request target: no secret, no query, not even a wrong one.
    const output = server.output()
    for (const secret of [atlas.editToken, atlas.viewToken, WRONG_TOKEN, '%zz']) {
      expect(output).not.toContain(secret)
    }
    // Nor a long path someone made up: a line stays short.
    expect(output.split('\n').filter((line) => line.length > 500)).toEqual([])
  })
})
