/**
 * A1: another room's edit latency while an attack runs (issue 18). A bystander room of two
 * clients drags a shape at 60 Hz (as W1 N=2); its p99 is measured with no attack, then while an
 * attacker process (`bench/lib/attacker.ts`, from an address of its own) runs each attack of the
 * issue in turn: the sync step 1 flood on a ~6 MB atlas (on a socket that reads and one that
 * never does), the presence flood, presence queries after a 4 MiB presence state, presence
 * spoofing, the subdocument bomb, the delete-set bomb, updates with missing parts, bad records,
 * the creation flood, the import flood and idle sockets up to the caps. Target: p99 under attack
 * ≤ 2× the baseline. The attacked atlas has two participants; one of them watches the other's
 * presence, which no attack may change. Our server only, with its default limits: the peers have
 * none, and these attacks exhaust the machine's memory through them.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { UnknownRecord } from '@tldraw/store'
import * as Y from 'yjs'
import { RecordsMap } from '../../shared/sync/records'
import type { AttackKind, AttackTarget } from '../lib/attacker'
import { type Client, newTraffic, within } from '../lib/clients'
import { every, LatencyProbe } from '../lib/latency'
import { LOAD_CORE, type Peer, type RoomRef, repoRoot } from '../lib/peers'
import { rssBytes } from '../lib/proc'
import { atMost, type Results } from '../lib/results'
import { closeAll, converged, openRoom, recordsFor, syncedClient } from '../lib/room'
import { seedDoc, shapeId } from '../lib/shapes'
import { percentile, sleep, waitUntil } from '../lib/stats'

const MB = 1024 * 1024

/** The attacks measured, as `bench/lib/attacker.ts` names them. */
const ATTACKS: { kind: AttackKind; label: string }[] = [
  { kind: 'sync-step1', label: 'sync step 1 flood on a 6 MB atlas' },
  { kind: 'presence-flood', label: 'presence flood' },
  { kind: 'presence-query-flood', label: 'presence queries after a 4 MiB presence state' },
  { kind: 'presence-spoof', label: 'presence spoofing' },
  { kind: 'subdocument-bomb', label: '4 MiB subdocument updates' },
  { kind: 'delete-set-bomb', label: '4 MiB delete sets' },
  { kind: 'incomplete-update', label: 'updates with missing parts' },
  { kind: 'bad-record', label: 'bad records' },
  { kind: 'creation-flood', label: 'creation flood' },
  { kind: 'import-flood', label: 'import flood (19 MB files, 10 million `0,` records)' },
  { kind: 'idle-sockets', label: 'idle sockets up to the caps' },
]

/**
 * Our server as A1 runs it: with the per-address and room limits that the other workloads lift
 * (`startPeer`), since the attacker speaks from an address of its own.
 */
export const A1_SERVER_ENV: Record<string, undefined> = {
  ATLAS_CREATIONS_PER_MINUTE: undefined,
  MAX_CONNECTIONS_PER_ADDRESS: undefined,
  MAX_OPEN_ROOMS: undefined,
}

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

/** An attacker process and how many of its sockets and requests the server closed or refused. */
interface Attacker {
  child: ChildProcess
  closed: number
  /** Resolves once the attack is under way. */
  ready: Promise<void>
}

/** Starts an attacker process on the load core, below the measuring process's priority. */
function attacker(kind: AttackKind, target: AttackTarget): Attacker {
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
      JSON.stringify(target),
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  let ready = () => {}
  const running: Attacker = {
    child,
    closed: 0,
    ready: new Promise<void>((resolve) => {
      ready = resolve
    }),
  }
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    if (line === 'ready') ready()
    else if (line.startsWith('closed') || line.startsWith('refused')) running.closed++
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
  const large = await largeRoom(peer)
  // The attacked atlas: one participant, and another who watches the first one's presence.
  const attacked = await peer.createRoom()
  const participant = await syncedClient(peer, attacked, newTraffic())
  const onlooker = await syncedClient(peer, attacked, newTraffic())
  const victimClient = participant.awareness.clientID
  participant.awareness.setLocalState({ presence: { userName: 'Sanne' } })
  await waitUntil(
    () => onlooker.awareness.getStates().get(victimClient)?.presence?.userName === 'Sanne',
    'the participant’s presence at the onlooker',
  )
  let spoofed = 0
  onlooker.awareness.on('change', () => {
    if (onlooker.awareness.getStates().get(victimClient)?.presence?.userName !== 'Sanne') spoofed++
  })
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
    const target = kind === 'sync-step1' ? large : attacked
    const attack = attacker(kind, {
      wsUrl: peer.wsUrl,
      httpUrl: peer.httpUrl,
      room: target.name,
      token: target.token ?? '',
      victimClient,
    })
    let maxRss = 0
    const memory = setInterval(() => {
      maxRss = Math.max(maxRss, rssBytes(peer.pid))
    }, 50)
    // The window opens once the attack is under way, and has gone on for a moment.
    await within(attack.ready, 60_000, `A1: the ${kind} attacker to start`)
    await sleep(500)
    const p99 = percentile(await window(writer, watcher, id, options.seconds), 0.99)
    clearInterval(memory)
    await stop(attack)
    results.add(fig(`bystander p99, ${label}`, 'ms'), peer.kind, p99)
    results.add(
      fig(`bystander p99 ÷ no attack, ${label}`, '×', { target: '≤ 2×', judge: atMost(2) }),
      peer.kind,
      p99 / baseline,
    )
    results.add(fig(`server RSS max, ${label}`, 'MB', { digits: 0 }), peer.kind, maxRss / MB)
    results.add(
      fig(`attacker sockets and requests closed or refused, ${label}`, 'count', { digits: 0 }),
      peer.kind,
      attack.closed,
    )
  }
  results.checked(
    'A1',
    peer.kind,
    spoofed === 0,
    'no attack changed a participant’s presence at another',
  )
  results.checked('A1', peer.kind, await converged(peer, room, clients))
  closeAll([...clients, participant, onlooker])
}
