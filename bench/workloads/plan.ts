/**
 * W7: privétijd starts while 20 professionals read the plan: the time from the switch request to
 * each of their sockets closing (ours: `PUT /api/atlases/:id/private-time`, which closes them
 * before it writes the switch to disk; the peers: `PUT /close/<room>`, which closes every
 * connection of the document — the nearest thing they have).
 * W8: a client joins a plan of 200 agreements: the time from connecting to its complete first
 * sync, on a room that is open (the plan's writer is still in it).
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import * as encoding from 'lib0/encoding'
import { WebSocket } from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import type { CreateLinkResponse } from '../../shared/api/links'
import { addAgreement, addWho } from '../../shared/plan/actions'
import { readAgreements } from '../../shared/plan/layout'
import { connectClient, newTraffic, within } from '../lib/clients'
import type { Peer, RoomRef } from '../lib/peers'
import { atMost, type Results } from '../lib/results'
import { syncedClient } from '../lib/room'
import { median, percentile, waitUntil } from '../lib/stats'

const W7 = {
  workload: 'W7',
  name: 'privétijd: switch → every professional socket closed, p99',
  unit: 'ms',
  digits: 1,
  target: 'ours ≤ 100 ms',
  judge: atMost(100),
}
const W8_P50 = { workload: 'W8', name: 'join a plan of 200 agreements, p50', unit: 'ms', digits: 1 }
const W8_P99 = {
  workload: 'W8',
  name: 'join a plan of 200 agreements, p99',
  unit: 'ms',
  digits: 1,
  target: 'ours ≤ 100 ms',
  judge: atMost(100),
}

/** A plan room on the peer: for ours the plan of a new atlas, and a professional link to it. */
async function planRoom(peer: Peer): Promise<{ room: RoomRef; reader?: string }> {
  const atlas = await peer.createRoom()
  if (peer.kind !== 'ours') return { room: atlas }
  const response = await fetch(`${peer.httpUrl}/api/atlases/${atlas.name}/links`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${atlas.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ role: 'professional', label: 'curator' }),
  })
  if (response.status !== 201) throw new Error(`professional link: ${response.status}`)
  const link = (await response.json()) as CreateLinkResponse
  return { room: { name: `${atlas.name}/plan`, token: atlas.token }, reader: link.token }
}

/** A reading socket that has had its first sync; `closed` resolves with the time it closed. */
interface Reader {
  closed: Promise<number>
  destroy(): void
}

/** A y-websocket reader speaking the protocol itself (ours, the reference). */
async function rawReader(peer: Peer, room: string, token?: string): Promise<Reader> {
  const query = token ? `?token=${token}` : ''
  const ws = new WebSocket(`${peer.wsUrl}/${room}${query}`)
  const closed = new Promise<number>((resolve) =>
    ws.once('close', () => resolve(performance.now())),
  )
  const synced = new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, 0)
      syncProtocol.writeSyncStep1(e, new Y.Doc())
      ws.send(encoding.toUint8Array(e))
    })
    // The answer to sync step 1 is a sync step 2: [0, 1, …].
    ws.on('message', (data: Buffer) => {
      if (data[0] === 0 && data[1] === 1) resolve()
    })
    ws.once('close', () => reject(new Error('closed before its first sync')))
  })
  await within(synced, 10_000, `${peer.kind}: reader sync`)
  return { closed, destroy: () => ws.terminate() }
}

/** A Hocuspocus reader (its own provider and protocol). */
async function hocuspocusReader(peer: Peer, room: string): Promise<Reader> {
  const socket = new HocuspocusProviderWebsocket({
    url: peer.wsUrl,
    WebSocketPolyfill: WebSocket as never,
  })
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name: room,
    document: new Y.Doc(),
  })
  provider.attach()
  // Hocuspocus closes a document's connection with a close message on the shared socket.
  const closed = new Promise<number>((resolve) =>
    provider.on('close', () => resolve(performance.now())),
  )
  await within(
    new Promise<void>((resolve) => {
      if (provider.isSynced) resolve()
      else provider.on('synced', () => resolve())
    }),
    10_000,
    `${peer.kind}: reader sync`,
  )
  return {
    closed,
    destroy() {
      provider.destroy()
      socket.destroy()
    },
  }
}

/** W7 on one peer: `rounds` switches with `sockets` readers each. */
export async function runW7(
  peer: Peer,
  results: Results,
  options: { sockets: number; rounds: number },
): Promise<void> {
  const { room, reader } = await planRoom(peer)
  const atlasId = room.name.replace(/\/plan$/, '')
  const switchTo = (on: boolean) =>
    fetch(`${peer.httpUrl}/api/atlases/${atlasId}/private-time`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${room.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ on }),
    })
  const samples: number[] = []
  for (let round = 0; round < options.rounds; round++) {
    const readers = await Promise.all(
      Array.from({ length: options.sockets }, () =>
        peer.kind === 'hocuspocus'
          ? hocuspocusReader(peer, room.name)
          : rawReader(peer, room.name, reader),
      ),
    )
    const started = performance.now()
    const answer =
      peer.kind === 'ours'
        ? switchTo(true)
        : fetch(`${peer.httpUrl}/close/${room.name}`, { method: 'PUT' })
    const closedAt = await within(Promise.all(readers.map((r) => r.closed)), 10_000, 'W7 closes')
    const response = await answer
    results.checked('W7', peer.kind, response.status === 204, 'the switch was accepted')
    for (const at of closedAt) samples.push(at - started)
    for (const r of readers) r.destroy()
    if (peer.kind === 'ours') {
      const off = await switchTo(false)
      results.checked('W7', peer.kind, off.status === 204, 'privétijd ended')
    }
  }
  results.add(W7, peer.kind, percentile(samples, 0.99))
}

/** W8 on one peer: a plan of 200 agreements, then `joins` fresh clients one after another. */
export async function runW8(
  peer: Peer,
  results: Results,
  options: { agreements: number; joins: number },
): Promise<void> {
  const { room } = await planRoom(peer)
  const traffic = newTraffic()
  const writer = await syncedClient(peer, room, traffic)
  writer.doc.transact(() => {
    for (let i = 0; i < options.agreements; i++) {
      const id = addAgreement(writer.doc, `question:q${i % 5}`, {
        id: `agreement:${i}`,
        what: `Afspraak ${i}: samen boodschappen doen op zaterdag, daarna koffie drinken.`,
      })
      addWho(writer.doc, id, `person:p${i % 12}`)
    }
  })
  // The server holds the whole plan before the joins are timed.
  const check = await syncedClient(peer, room, traffic)
  await waitUntil(
    () => readAgreements(check.doc).length === options.agreements,
    `${peer.kind}: the plan reached the server`,
  )
  check.destroy()
  const times: number[] = []
  let complete = true
  for (let j = 0; j < options.joins; j++) {
    const started = performance.now()
    const client = connectClient(peer, room, traffic)
    await within(client.synced, 20_000, `${peer.kind}: W8 join`)
    times.push(performance.now() - started)
    complete &&= readAgreements(client.doc).length === options.agreements
    client.destroy()
  }
  writer.destroy()
  results.checked('W8', peer.kind, complete, 'every join held the whole plan')
  results.add(W8_P50, peer.kind, median(times))
  results.add(W8_P99, peer.kind, percentile(times, 0.99))
}
