/**
 * W1 (one writer drags a shape at 60 Hz, N−1 watchers; and the other edit shapes: one key of a
 * top-level map at 60 Hz, typing into a text at 15 Hz), W2 (N writers at 10 Hz plus cursors at
 * 20 Hz each) and, on our server, W5 (what reaches the disk during them).
 */
import * as Y from 'yjs'
import { addAgreement, setMeetingStep } from '../../shared/plan/actions'
import { AGREEMENTS_KEY, MEETING_STEPS } from '../../shared/plan/layout'
import type { Client } from '../lib/clients'
import { newTraffic, type Traffic } from '../lib/clients'
import { ClockProbe, every, LatencyProbe } from '../lib/latency'
import type { Peer, RoomRef } from '../lib/peers'
import { cpuMeter, diskWriteBytes } from '../lib/proc'
import { atMost, both, type Figure, fasterThanPeers, type Results, vsPeers } from '../lib/results'
import { closeAll, converged, openRoom, syncedClient } from '../lib/room'
import { shapeId } from '../lib/shapes'
import { inBatches, percentile, sleep, waitUntil } from '../lib/stats'

const FRAME_MS = 1000 / 60
/**
 * Settle time before a window, the same for every peer: the window measures the edits, not the
 * garbage of N joins, and the seed's own save (at most 700 ms after it) is over before it.
 */
const SETTLE_MS = 1000
/** W1 and W2 measure this many times `seconds` (5× at W1 N=2); see `SyncOptions`. */
const WINDOW_FACTOR = 3

export interface SyncOptions {
  /**
   * Seconds measured per room, times 3 (5 at W1 N=2): a p99 is set by the slowest few edits of
   * the window (every watcher sees the same edit), and 60 or 100 edits are too few for one.
   */
  seconds: number
  /** Shapes in each room's atlas. */
  shapes: number
}

/** Counts the bytes of the updates a doc's own transactions produce. */
function localUpdateBytes(doc: Y.Doc): { bytes: number; counting: boolean } {
  const counter = { bytes: 0, counting: false }
  doc.on('update', (update: Uint8Array, _origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
    if (counter.counting && tr.local) counter.bytes += update.byteLength
  })
  return counter
}

/** A save our server logged: when it finished and when it took its snapshot (wall clock). */
interface Save {
  start: number
  end: number
}

function savesLogged(peer: Peer, since: number): Save[] {
  const saves: Save[] = []
  for (const { text } of peer.lines) {
    const match = /^(\S+) debug atlas saved .*\bms=(\d+)/.exec(text)
    if (!match) continue
    const end = Date.parse(match[1] as string)
    if (end >= since) saves.push({ start: end - Number(match[2]), end })
  }
  return saves
}

/** Waits until our server has logged a save that began after the last recorded edit was seen. */
async function lastEditSaved(peer: Peer, probe: LatencyProbe): Promise<void> {
  const lastSeen = Math.max(...probe.recordedEdits().map((e) => e.seenWall))
  await waitUntil(
    () => savesLogged(peer, lastSeen).some((s) => s.start >= lastSeen + 1),
    `${peer.kind}: the last edit saved`,
    3000,
  ).catch(() => {})
}

/** Per edit: time from the write until a save that started after the edit had reached a watcher ended. */
function durableMs(probe: LatencyProbe, saves: Save[]): number[] {
  return probe.recordedEdits().map(({ sentWall, seenWall }) => {
    const save = saves.find((s) => s.start >= seenWall + 1)
    return save ? save.end - sentWall : Number.POSITIVE_INFINITY
  })
}

/** W5 figures from one measured window on our server. */
function writeCost(
  results: Results,
  label: string,
  probe: LatencyProbe,
  peer: Peer,
  windowStart: number,
  diskBytes: number,
  updateBytes: number,
): void {
  const durable = durableMs(probe, savesLogged(peer, windowStart))
  const fig = (name: string, unit: string, target?: string, judge?: Figure['judge']): Figure => ({
    workload: 'W5',
    name: `${name}, ${label}`,
    unit,
    target,
    judge,
  })
  results.add(
    fig('disk bytes ÷ update bytes', '×', '≤ 10×', atMost(10)),
    peer.kind,
    diskBytes / updateBytes,
  )
  results.add(fig('edit → durable p50', 'ms'), peer.kind, percentile(durable, 0.5))
  results.add(
    fig('edit → durable max', 'ms', '≤ 1000 ms', atMost(1000)),
    peer.kind,
    Math.max(...durable),
  )
}

/** W1 at each N (and W5 on our server at `w5N`). */
export async function runW1(
  peer: Peer,
  results: Results,
  ns: number[],
  options: SyncOptions & { w5N: number },
): Promise<void> {
  for (const n of ns) {
    const traffic = newTraffic()
    const { room, clients } = await openRoom(peer, n, options.shapes, traffic)
    const [writer, ...watchers] = clients as [Client, ...Client[]]
    const id = shapeId(0)
    const probe = new LatencyProbe()
    for (const w of watchers) probe.watch(w.doc, [id])
    const sent = localUpdateBytes(writer.doc)
    const drag = every(60, () => probe.write(writer.doc, id))
    await sleep(SETTLE_MS)

    const cpu = cpuMeter(peer.pid)
    const disk0 = diskWriteBytes(peer.pid)
    const windowStart = Date.now()
    traffic.received = 0
    sent.counting = true
    probe.recording = true
    cpu.start()
    await sleep((n === 2 ? 5 : WINDOW_FACTOR) * options.seconds * 1000)
    const cpuPercent = cpu.percent()
    const received = traffic.received
    probe.recording = false
    sent.counting = false
    drag.stop()
    await waitUntil(() => probe.caughtUp(watchers.map((w) => w.doc)), `${peer.kind} W1 catch-up`)

    const edits = probe.recordedCount
    const relative = n === 10 || n === 50
    const p99Target = n === 10 ? 5 : n === 50 ? 15 : undefined
    results.add(
      { workload: 'W1', name: `p50 N=${n}`, unit: 'ms', target: 'vs peers', judge: vsPeers },
      peer.kind,
      percentile(probe.samples, 0.5),
    )
    results.add(
      {
        workload: 'W1',
        name: `p99 N=${n}`,
        unit: 'ms',
        target: p99Target
          ? `≤ ${p99Target} ms, ≤ 1.2× ref, < hp`
          : relative
            ? 'vs peers'
            : '≤ 1.2× ref, < hp',
        judge: p99Target ? both(atMost(p99Target), vsPeers) : vsPeers,
      },
      peer.kind,
      percentile(probe.samples, 0.99),
    )
    results.add(
      { workload: 'W1', name: `server CPU N=${n}`, unit: '% core', digits: 1 },
      peer.kind,
      cpuPercent,
    )
    results.add(
      { workload: 'W1', name: `bytes out per edit N=${n}`, unit: 'B', digits: 0 },
      peer.kind,
      received / edits,
    )
    if (peer.kind === 'ours' && n === options.w5N) {
      await lastEditSaved(peer, probe)
      writeCost(
        results,
        `W1 N=${n}`,
        probe,
        peer,
        windowStart,
        diskWriteBytes(peer.pid) - disk0,
        sent.bytes,
      )
    }
    results.checked(`W1 N=${n}`, peer.kind, await converged(peer, room, clients))
    closeAll(clients)
    // The server handles the leaves (ours writes a snapshot) before the next room opens.
    await sleep(150)
  }
}

/** W2 at each N; the largest N whose p99 stays within one frame (and W5 on our server at `w5N`). */
export async function runW2(
  peer: Peer,
  results: Results,
  ns: number[],
  options: SyncOptions & { w5N: number },
): Promise<void> {
  let largest = 0
  let passing = true
  for (const n of ns) {
    const traffic = newTraffic()
    const { room, clients } = await openRoom(peer, n, options.shapes, traffic)
    const ids = clients.map((_, i) => shapeId(i))
    const probe = new LatencyProbe()
    const counters = clients.map((c, i) => {
      probe.watch(
        c.doc,
        ids.filter((_, j) => j !== i),
      )
      return localUpdateBytes(c.doc)
    })
    const timers = clients.flatMap((c, i) => {
      const id = ids[i] as string
      let k = 0
      return [
        every(10, () => probe.write(c.doc, id), Math.random() * 100),
        every(
          20,
          () => {
            k++
            c.awareness.setLocalStateField('cursor', { x: (k * 7) % 1000, y: (k * 13) % 800 })
          },
          Math.random() * 50,
        ),
      ]
    })
    await sleep(SETTLE_MS)

    const cpu = cpuMeter(peer.pid)
    const disk0 = diskWriteBytes(peer.pid)
    const windowStart = Date.now()
    for (const c of counters) c.counting = true
    probe.recording = true
    cpu.start()
    await sleep(WINDOW_FACTOR * options.seconds * 1000)
    const cpuPercent = cpu.percent()
    probe.recording = false
    for (const c of counters) c.counting = false
    for (const t of timers) t.stop()
    await waitUntil(() => probe.caughtUp(clients.map((c) => c.doc)), `${peer.kind} W2 catch-up`)

    const p99 = percentile(probe.samples, 0.99)
    // Largest N such that it and every smaller N tried stayed within one frame.
    if (p99 > FRAME_MS) passing = false
    if (passing) largest = n
    results.add(
      { workload: 'W2', name: `p99 N=${n}`, unit: 'ms', target: 'vs peers', judge: vsPeers },
      peer.kind,
      p99,
    )
    results.add(
      { workload: 'W2', name: `server CPU N=${n}`, unit: '% core', digits: 1 },
      peer.kind,
      cpuPercent,
    )
    if (peer.kind === 'ours' && n === options.w5N) {
      await lastEditSaved(peer, probe)
      writeCost(
        results,
        `W2 N=${n}`,
        probe,
        peer,
        windowStart,
        diskWriteBytes(peer.pid) - disk0,
        counters.reduce((sum, c) => sum + c.bytes, 0),
      )
    }
    results.checked(`W2 N=${n}`, peer.kind, await converged(peer, room, clients))
    closeAll(clients)
    // The server handles the leaves (ours writes a snapshot) before the next room opens.
    await sleep(150)
  }
  results.add(
    {
      workload: 'W2',
      name: 'largest N with p99 ≤ 16.7 ms',
      unit: 'clients',
      digits: 0,
      target: 'N ≥ 25',
      judge: (m) => (m.ours === undefined ? undefined : m.ours >= 25),
    },
    peer.kind,
    largest,
  )
}

/**
 * The edit shapes of W1 beside the shape moves, in places our server accepts and real clients
 * write (the plan document, `/sync/<id>/plan`; the same names on every peer): `map` sets the
 * meeting's step (one key of the top-level map `meeting`) at 60 Hz, `text` types one character
 * at a time into an agreement's `what` (a Y.Text) at 15 Hz.
 */
export type EditShape = 'map' | 'text'

const EDIT_SHAPES: Record<EditShape, { label: string; hz: number; windowFactor: number }> = {
  map: { label: 'map key', hz: 60, windowFactor: WINDOW_FACTOR },
  // A quarter of the map's rate: twice its window keeps a p99 from too few edits.
  text: { label: 'text typing', hz: 15, windowFactor: 2 * WINDOW_FACTOR },
}

/** The agreement the text shape types into. */
const TYPED_AGREEMENT = 'agreement-bench'

/** A plan room (ours: the plan of a new atlas) whose first client wrote what the shape edits. */
async function openPlanRoom(
  peer: Peer,
  clients: number,
  shape: EditShape,
  traffic: Traffic,
): Promise<{ room: RoomRef; clients: Client[] }> {
  const atlas = await peer.createRoom()
  const room = peer.kind === 'ours' ? { ...atlas, name: `${atlas.name}/plan` } : atlas
  const first = await syncedClient(peer, room, traffic)
  if (shape === 'map') setMeetingStep(first.doc, 'welcome')
  else addAgreement(first.doc, 'question:bench', { id: TYPED_AGREEMENT })
  const rest = await inBatches(Array.from({ length: clients - 1 }), 25, () =>
    syncedClient(peer, room, traffic),
  )
  const all = [first, ...rest]
  await waitUntil(() => all.every((c) => seeded(c.doc, shape)), `${peer.kind}: plan seeded`)
  return { room, clients: all }
}

function seeded(doc: Y.Doc, shape: EditShape): boolean {
  if (shape === 'map') return doc.getMap('meeting').has('step')
  return typedText(doc) !== undefined
}

function typedText(doc: Y.Doc): Y.Text | undefined {
  const agreement = doc.getMap(AGREEMENTS_KEY).get(TYPED_AGREEMENT)
  const what = agreement instanceof Y.Map ? agreement.get('what') : undefined
  return what instanceof Y.Text ? what : undefined
}

/** One edit of the shape in `doc`; `seq` counts the writer's edits. */
function edit(doc: Y.Doc, shape: EditShape, seq: number): void {
  if (shape === 'map') {
    setMeetingStep(doc, MEETING_STEPS[seq % MEETING_STEPS.length] as (typeof MEETING_STEPS)[number])
    return
  }
  const text = typedText(doc) as Y.Text
  // Words of five letters and a space, as a person types them.
  text.insert(text.length, seq % 6 === 5 ? ' ' : String.fromCharCode(97 + (seq % 26)))
}

/** W1's other edit shapes at each N: one writer, N−1 watchers. */
export async function runW1Edits(
  peer: Peer,
  results: Results,
  ns: number[],
  shape: EditShape,
  options: SyncOptions,
): Promise<void> {
  const { label, hz, windowFactor } = EDIT_SHAPES[shape]
  for (const n of ns) {
    const { room, clients } = await openPlanRoom(peer, n, shape, newTraffic())
    const [writer, ...watchers] = clients as [Client, ...Client[]]
    const probe = new ClockProbe(writer.doc)
    for (const w of watchers) probe.watch(w.doc)
    const timer = every(hz, () => probe.write((seq) => edit(writer.doc, shape, seq)))
    await sleep(SETTLE_MS)

    const cpu = cpuMeter(peer.pid)
    probe.recording = true
    cpu.start()
    await sleep((n === 2 ? 5 : 3) * (windowFactor / WINDOW_FACTOR) * options.seconds * 1000)
    const cpuPercent = cpu.percent()
    probe.recording = false
    timer.stop()
    await waitUntil(
      () => probe.caughtUp(watchers.map((w) => w.doc)),
      `${peer.kind} W1 ${label} catch-up`,
    )

    const target = '≤ 0.9× ref, < hp'
    results.add(
      { workload: 'W1', name: `${label} p50 N=${n}`, unit: 'ms', target, judge: fasterThanPeers },
      peer.kind,
      percentile(probe.samples, 0.5),
    )
    results.add(
      { workload: 'W1', name: `${label} p99 N=${n}`, unit: 'ms', target, judge: fasterThanPeers },
      peer.kind,
      percentile(probe.samples, 0.99),
    )
    results.add(
      { workload: 'W1', name: `${label} server CPU N=${n}`, unit: '% core', digits: 1 },
      peer.kind,
      cpuPercent,
    )
    results.checked(`W1 ${label} N=${n}`, peer.kind, await converged(peer, room, clients))
    closeAll(clients)
    await sleep(150)
  }
}
