/**
 * W3: many mostly idle rooms (100, then 500, × 3 clients), then everyone leaves: memory per room,
 * idle CPU, and how long until the server's memory is back at its baseline.
 */
import type { Client } from '../lib/clients'
import { newTraffic } from '../lib/clients'
import type { Peer, RoomRef } from '../lib/peers'
import { cpuMeter } from '../lib/proc'
import type { Results } from '../lib/results'
import { closeAll, converged, openRoom } from '../lib/room'
import { inBatches, sleep } from '../lib/stats'

const MB = 1024 * 1024
/** "Back at baseline": live memory within 10 % (at least 1 MB) of what it was before any room. */
const backAtBaseline = (live: number, baseline: number) =>
  live <= baseline + Math.max(0.1 * baseline, MB)

export async function runW3(
  peer: Peer,
  results: Results,
  options: {
    steps: [number, number]
    shapes: number
    idleSeconds: number
    /** How long memory is polled after everyone left: on our server (the target) … */
    leaveWaitSeconds: number
    /** … and on the peers, which have no target (a peer not back by then shows as "not back"). */
    peerLeaveWaitSeconds: number
  },
): Promise<void> {
  const leaveWait = peer.kind === 'ours' ? options.leaveWaitSeconds : options.peerLeaveWaitSeconds
  const fig = (name: string, unit: string, digits = 1, target?: string) => ({
    workload: 'W3',
    name,
    unit,
    digits,
    target,
    judge: target
      ? (m: { ours?: number }) =>
          m.ours === undefined ? undefined : m.ours <= options.leaveWaitSeconds
      : undefined,
  })
  const traffic = newTraffic()
  // Warm-up: the first rooms compile code and fill one-time caches that are no per-room cost.
  const warm = await inBatches(Array.from({ length: 20 }), 10, () =>
    openRoom(peer, 3, options.shapes, traffic),
  )
  for (const { clients } of warm) closeAll(clients)
  await sleep(1000)
  const { live: baseline, rss: baselineRss } = await peer.liveMemory()
  const rooms: { room: RoomRef; clients: Client[] }[] = []
  for (const step of options.steps) {
    const added = await inBatches(Array.from({ length: step - rooms.length }), 10, () =>
      openRoom(peer, 3, options.shapes, traffic),
    )
    rooms.push(...added)
    const { live, rss } = await peer.liveMemory()
    results.add(
      fig(`live memory per room, ${step} rooms`, 'KB', 0),
      peer.kind,
      (live - baseline) / step / 1024,
    )
    results.add(
      fig(`RSS per room, ${step} rooms`, 'KB', 0),
      peer.kind,
      (rss - baselineRss) / step / 1024,
    )
  }
  // Let the saves (at most 700 ms after an edit) and replies of the last joins finish: idle means idle.
  await sleep(1000)
  const cpu = cpuMeter(peer.pid)
  cpu.start()
  await sleep(options.idleSeconds * 1000)
  results.add(
    fig(`idle CPU, ${rooms.length} rooms × 3 clients`, '% core'),
    peer.kind,
    cpu.percent(),
  )
  const checks = await inBatches(rooms, 20, ({ room, clients }) => converged(peer, room, clients))
  results.checked(`W3 ${rooms.length} rooms`, peer.kind, checks.every(Boolean))

  for (const { clients } of rooms) closeAll(clients)
  const left = performance.now()
  let back = Number.POSITIVE_INFINITY
  let after = { live: 0, rss: 0 }
  while (performance.now() - left < leaveWait * 1000) {
    after = await peer.liveMemory()
    if (backAtBaseline(after.live, baseline)) {
      back = (performance.now() - left) / 1000
      break
    }
    await sleep(500)
  }
  results.add(fig('live memory before any room', 'MB'), peer.kind, baseline / MB)
  results.add(fig('live memory after leaving', 'MB'), peer.kind, after.live / MB)
  results.add(fig('RSS after leaving (before: baseline)', 'MB'), peer.kind, after.rss / MB)
  results.add(
    fig('time until memory is back at baseline', 's', 1, `≤ ${options.leaveWaitSeconds} s`),
    peer.kind,
    back,
  )
}
