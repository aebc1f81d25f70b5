/**
 * A1: another room's edit latency while an attack runs (issue 18). A bystander room of two
 * clients drags a shape at 60 Hz (as W1 N=2); its p99 is measured with no attack, then while an
 * attacker process floods the server: 4-byte sync step 1 on a ~6 MB atlas (on a socket that
 * reads and one that never does), presence updates as fast as it can send them, and 4 MiB
 * updates of subdocuments. Target: p99 under attack ≤ 2× the baseline. Our server only: the
 * peers have no limits, and these attacks exhaust the machine's memory through them.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import type { UnknownRecord } from '@tldraw/store'
import * as Y from 'yjs'
import { RecordsMap } from '../../shared/sync/records'
import { type Client, newTraffic } from '../lib/clients'
import { every, LatencyProbe } from '../lib/latency'
import { LOAD_CORE, type Peer, type RoomRef, repoRoot } from '../lib/peers'
import { rssBytes } from '../lib/proc'
import { atMost, type Results } from '../lib/results'
import { closeAll, converged, openRoom, recordsFor, syncedClient } from '../lib/room'
import { seedDoc, shapeId } from '../lib/shapes'
import { percentile, sleep, waitUntil } from '../lib/stats'

const MB = 1024 * 1024

/** The attacks measured, as `bench/lib/attacker.ts` names them. */
const ATTACKS = [
  { kind: 'sync-step1', label: 'sync step 1 flood on a 6 MB atlas' },
  { kind: 'presence-flood', label: 'presence flood' },
  { kind: 'subdocument-bomb', label: '4 MiB subdocument updates' },
] as const

/** A room of ~6 MB: 3,000 geo shapes and 4.5 MB of text, written by one client in pieces. */
async function largeRoom(peer: Peer): Promise<RoomRef> {
  const room = await peer.createRoom()
  const writer = await syncedClient(peer, room, newTraffic())
  seedDoc(writer.doc, recordsFor(3000))
  // Long texts as the server takes them: inside valid records (a shape's meta).
  const shape = recordsFor(3000).find((r) => r.typeName === 'shape') as UnknownRecord
  const records = new RecordsMap(writer.doc)
  for (let t = 0; t < 3; t++) {
    const id = `shape:text${t}` as UnknownRecord['id']
    writer.doc.transact(() =>
      records.set({ ...shape, id, meta: { text: `${t}`.repeat(1.5 * MB) } } as UnknownRecord),
    )
  }
  const reader = await syncedClient(peer, room, newTraffic())
  await waitUntil(
    () => Y.encodeStateAsUpdate(reader.doc).byteLength > 5 * MB,
    'the large room to reach a second client',
    60_000,
  )
  closeAll([writer, reader])
  return room
}

/** An attacker process and how many of its sockets the server has closed so far. */
interface Attacker {
  child: ChildProcess
  closed: number
}

/** Starts an attacker process on the load core, below the measuring process's priority. */
function attacker(kind: string, peer: Peer, room: RoomRef): Attacker {
  const child = spawn(
    'nice',
    [
      '-n',
      '10',
      'taskset',
      '-c',
      LOAD_CORE,
      process.execPath,
      '--import',
      'tsx',
      join(repoRoot, 'bench/lib/attacker.ts'),
      kind,
      peer.wsUrl,
      room.name,
      room.token ?? '',
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const running: Attacker = { child, closed: 0 }
  child.stdout?.on('data', (chunk: Buffer) => {
    running.closed += chunk
      .toString('utf8')
      .split('\n')
      .filter((line) => line.startsWith('closed')).length
  })
  return running
}

async function stop({ child }: Attacker): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  await exited
}

/** The bystander's drag for `seconds`: edit → applied latencies of the edits written meanwhile. */
async function window(
  writer: Client,
  watcher: Client,
  id: string,
  seconds: number,
): Promise<number[]> {
  const probe = new LatencyProbe()
  const stopWatching = probe.watch(watcher.doc, [id])
  const drag = every(60, () => probe.write(writer.doc, id))
  await sleep(300)
  probe.recording = true
  await sleep(seconds * 1000)
  probe.recording = false
  drag.stop()
  await waitUntil(() => probe.caughtUp([watcher.doc]), 'the bystander to catch up', 60_000)
  stopWatching()
  return probe.samples
}

/** A1 on our server: the baseline, then each attack. */
export async function runA1(
  peer: Peer,
  results: Results,
  options: { seconds: number },
): Promise<void> {
  const target = await largeRoom(peer)
  const victim = await peer.createRoom()
  const { room, clients } = await openRoom(peer, 2, 200, newTraffic())
  const [writer, watcher] = clients as [Client, Client]
  const id = shapeId(0)
  const fig = (name: string, unit: string, extra: object = {}) => ({
    workload: 'A1',
    name,
    unit,
    digits: 2,
    ...extra,
  })
  const baseline = percentile(await window(writer, watcher, id, options.seconds), 0.99)
  results.add(fig('bystander p99, no attack', 'ms'), peer.kind, baseline)
  for (const { kind, label } of ATTACKS) {
    const attack = attacker(kind, peer, kind === 'sync-step1' ? target : victim)
    let maxRss = 0
    const memory = setInterval(() => {
      maxRss = Math.max(maxRss, rssBytes(peer.pid))
    }, 50)
    // Let the attack get going before the window opens.
    await sleep(500)
    const p99 = percentile(await window(writer, watcher, id, options.seconds), 0.99)
    clearInterval(memory)
    await stop(attack)
    const closed = attack.closed
    results.add(fig(`bystander p99, ${label}`, 'ms'), peer.kind, p99)
    results.add(
      fig(`bystander p99 ÷ no attack, ${label}`, '×', { target: '≤ 2×', judge: atMost(2) }),
      peer.kind,
      p99 / baseline,
    )
    results.add(fig(`server RSS max, ${label}`, 'MB', { digits: 0 }), peer.kind, maxRss / MB)
    results.add(
      fig(`attacker sockets closed or refused, ${label}`, 'sockets', { digits: 0 }),
      peer.kind,
      closed,
    )
  }
  results.checked('A1', peer.kind, await converged(peer, room, clients))
  closeAll(clients)
}
