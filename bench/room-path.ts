/**
 * The server's own path of one edit, in this process, without sockets: the time from a client's
 * message reaching `Room.receive` to the first and the last of the other connections' sends, for
 * W1's three edit shapes (a shape move in the atlas, a key of the plan's `meeting`, a character
 * typed into an agreement's `what`), beside a minimal server that does what the reference does
 * (read the message, apply it, send the update from Yjs's update event to every connection).
 * Sends are recorded, not written: this isolates what our server does before it sends. Also the
 * garbage each edit leaves (heap growth over batches of edits without a collection), which sets
 * how often the young generation is collected while people edit.
 *
 * With `--pace 16`, each edit comes after 16 ms of idle, as in W1 at 60 Hz: the caches are cold
 * then, and the same code takes 10–20× its time in a tight loop. `--servers` may add `floor`
 * (`peers/floor.ts`: the message passed on before anything is read). `--warm 20000` makes each
 * server's untimed first round that many edits without idle, so that V8 has optimized the path.
 *
 * `npx tsx bench/room-path.ts [--edits 3000] [--watchers 9] [--shapes move,map,text]`; with
 * `--alloc-sites`, where each server's garbage per edit is allocated (sampled, inclusive). Under tsx,
 * esbuild's `keepNames` wraps every inner function of ours (~20 % of a move's time); built as the
 * server is, it does not: `npx esbuild bench/room-path.ts --bundle --platform=node --format=esm
 * --packages=external --outfile=dist/room-path.mjs && node dist/room-path.mjs`.
 */

import { Session } from 'node:inspector/promises'
import { PerformanceObserver } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { createLogger } from '../server/log'
import { encodeUpdate } from '../server/sync/protocol'
import { type Connection, Room } from '../server/sync/room'
import { addAgreement, setMeetingStep } from '../shared/plan/actions'
import { AGREEMENTS_KEY, MEETING_STEPS } from '../shared/plan/layout'
import { allocationSites, largest, type SamplingNode } from './lib/allocSites'
import { recordsFor } from './lib/room'
import { moveShape, seedDoc, shapeId } from './lib/shapes'
import { percentile } from './lib/stats'

const { values } = parseArgs({
  options: {
    edits: { type: 'string', default: '3000' },
    watchers: { type: 'string', default: '9' },
    shapes: { type: 'string', default: 'move,map,text' },
    servers: { type: 'string', default: 'ours,reference' },
    /** Instead of timing: where each server's garbage per edit is allocated (sampled). */
    'alloc-sites': { type: 'boolean', default: false },
    top: { type: 'string', default: '40' },
    /** Milliseconds of idle before each edit (W1's writer edits every 16.7): the core goes cold. */
    pace: { type: 'string', default: '0' },
    /** Edits without idle in each server's untimed first round (V8 then has optimized the path). */
    warm: { type: 'string', default: '0' },
  },
})
const EDITS = Number(values.edits)
const WATCHERS = Number(values.watchers)
const PACE_MS = Number(values.pace)
const WARM_EDITS = Number(values.warm)
const ATLAS_ID = 'AAAAAAAAAAAAAAAAAAAAAA'
const log = createLogger('silent')

type Shape = 'move' | 'map' | 'text'

/** Times of the sends of one edit. */
interface Sends {
  first: number
  last: number
  count: number
}
let sends: Sends = { first: 0, last: 0, count: 0 }
const record = () => {
  const now = performance.now()
  if (sends.count === 0) sends.first = now
  sends.last = now
  sends.count++
}

/** A client's document and the messages its edits make. */
function writer(shape: Shape): { doc: Y.Doc; seed: Uint8Array; edit: (seq: number) => Uint8Array } {
  const doc = new Y.Doc()
  let last: Uint8Array | undefined
  doc.on('update', (update: Uint8Array) => {
    last = update
  })
  if (shape === 'move') seedDoc(doc, recordsFor(200))
  else if (shape === 'map') setMeetingStep(doc, 'welcome')
  else addAgreement(doc, 'question:bench', { id: 'agreement-bench' })
  const seed = encodeUpdate(Y.encodeStateAsUpdate(doc))
  const text = () =>
    (doc.getMap(AGREEMENTS_KEY).get('agreement-bench') as Y.Map<unknown>).get('what') as Y.Text
  const edit = (seq: number) => {
    if (shape === 'move') moveShape(doc, shapeId(seq % 200), seq, seq)
    else if (shape === 'map')
      setMeetingStep(doc, MEETING_STEPS[(seq + 1) % MEETING_STEPS.length] as never)
    else text().insert(text().length, String.fromCharCode(97 + (seq % 26)))
    return encodeUpdate(last as Uint8Array)
  }
  return { doc, seed, edit }
}

/** What a server does with one client's message. */
type Receive = (from: number, message: Uint8Array) => void

function ours(shape: Shape): Receive {
  const room = new Room(shape === 'move' ? ATLAS_ID : `${ATLAS_ID}/plan`, null, log)
  const conns: Connection[] = []
  for (let i = 0; i <= WATCHERS; i++) {
    const conn: Connection = { role: 'edit', link: `l${i}`, send: i === 0 ? () => {} : record }
    room.join(conn)
    conns.push(conn)
  }
  return (from, message) => room.receive(conns[from] as Connection, message)
}

/** The reference server's path (`@y/websocket-server` utils): read, apply, send from the update event. */
function reference(): Receive {
  const doc = new Y.Doc({ gc: true })
  const conns: { send: () => void }[] = []
  for (let i = 0; i <= WATCHERS; i++) conns.push({ send: i === 0 ? () => {} : record })
  doc.on('update', (update: Uint8Array) => {
    const message = encodeUpdate(update)
    for (const conn of conns) conn.send()
    void message
  })
  return (from, message) => {
    const decoder = decoding.createDecoder(message)
    decoding.readVarUint(decoder)
    const encoder = { bufs: [] } as never
    syncProtocol.readSyncMessage(decoder, encoder, doc, conns[from])
  }
}

/** The floor (`peers/floor.ts`): the message's own bytes to every other connection, then applied. */
function floor(): Receive {
  const doc = new Y.Doc({ gc: true })
  const conns: { send: (data: Uint8Array) => void }[] = []
  for (let i = 0; i <= WATCHERS; i++) conns.push({ send: i === 0 ? () => {} : record })
  return (from, message) => {
    const decoder = decoding.createDecoder(message)
    decoding.readVarUint(decoder)
    decoding.readVarUint(decoder)
    for (const [i, conn] of conns.entries()) if (i !== from) conn.send(message)
    Y.applyUpdate(doc, decoding.readVarUint8Array(decoder))
  }
}

type Server = 'ours' | 'reference' | 'floor'

const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Collections seen so far (a batch during which one ran tells nothing of its allocations). */
let collections = 0
new PerformanceObserver((list) => {
  collections += list.getEntries().length
}).observe({ entryTypes: ['gc'] })

/** Edits per batch: their messages are made before the batch, so the writer's garbage is not counted. */
const BATCH = 50

/** Microseconds to the first and the last send of each edit, and KB allocated per edit per batch. */
async function measure(
  shape: Shape,
  server: Server,
  edits = EDITS,
  paceMs = PACE_MS,
): Promise<number[][]> {
  const receive = server === 'ours' ? ours(shape) : server === 'floor' ? floor() : reference()
  const client = writer(shape)
  receive(0, client.seed)
  await turn()
  const first: number[] = []
  const last: number[] = []
  const allocated: number[] = []
  for (let batch = 0; batch < edits / BATCH; batch++) {
    const messages = Array.from({ length: BATCH }, (_, i) => client.edit(batch * BATCH + i))
    const seen = collections
    const heap = process.memoryUsage().heapUsed
    for (const message of messages) {
      if (paceMs > 0) await new Promise((resolve) => setTimeout(resolve, paceMs))
      sends = { first: 0, last: 0, count: 0 }
      const t0 = performance.now()
      receive(0, message)
      await turn()
      if (sends.count === 0) throw new Error(`${server} ${shape}: nothing sent`)
      first.push((sends.first - t0) * 1000)
      last.push((sends.last - t0) * 1000)
    }
    const grown = process.memoryUsage().heapUsed - heap
    if (collections === seen) allocated.push(grown / BATCH / 1024)
  }
  return [first, last, allocated]
}

const SERVERS = values.servers.split(',') as Server[]
if (values['alloc-sites']) {
  for (const shape of values.shapes.split(',') as Shape[]) {
    for (const server of SERVERS) await printAllocationSites(shape, server)
  }
  process.exit(0)
}
for (const shape of values.shapes.split(',') as Shape[]) {
  const rows: Record<string, number[][]> = {}
  // Alternating, after one untimed round each, so that neither pays for compiling.
  for (const round of [0, 1, 2, 3]) {
    for (const server of round % 2 ? [...SERVERS].reverse() : SERVERS) {
      if (round === 0) {
        await measure(shape, server, WARM_EDITS || EDITS, WARM_EDITS ? 0 : PACE_MS)
        continue
      }
      const figures = await measure(shape, server)
      rows[server] ??= [[], [], []]
      for (const [i, xs] of figures.entries()) rows[server][i]?.push(...xs)
    }
  }
  const line = (server: string) => {
    const [first, last, allocated] = rows[server] as number[][]
    const f = (xs: number[], p: number) => percentile(xs, p).toFixed(1)
    return `${server.padEnd(9)} first send p50 ${f(first as number[], 0.5)} p99 ${f(first as number[], 0.99)} µs · last send p50 ${f(last as number[], 0.5)} p99 ${f(last as number[], 0.99)} µs · ${f(allocated as number[], 0.5)} KB allocated per edit (median of ${allocated?.length} batches)`
  }
  process.stdout.write(`${shape}\n${SERVERS.map((s) => `  ${line(s)}\n`).join('')}`)
}
process.exit(0)

/**
 * Bytes allocated per edit by function (self), from V8's sampling heap profiler with collected
 * objects kept in the profile: the garbage, not only what survives.
 */
async function printAllocationSites(shape: Shape, server: Server): Promise<void> {
  await measure(shape, server)
  const session = new Session()
  session.connect()
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 256,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  })
  await measure(shape, server)
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as {
    profile: { head: SamplingNode }
  }
  session.disconnect()
  const { total, inclusive } = allocationSites(profile.head)
  process.stdout.write(
    `${shape} ${server}: ${(total / EDITS / 1024).toFixed(1)} KB per edit (sampled)\n`,
  )
  for (const [site, bytes] of largest(inclusive, Number(values.top))) {
    process.stdout.write(`  ${(bytes / EDITS).toFixed(0).padStart(6)} B  ${site}\n`)
  }
}
