/** Rooms filled with clients, and the check that every replica and the server agree. */
import type { UnknownRecord } from '@tldraw/store'
import { RecordsMap } from '../../shared/sync/records'
import { type Client, connectClient, newTraffic, type Traffic, within } from './clients'
import { sameStateVector } from './latency'
import type { Peer, RoomRef } from './peers'
import { atlasRecords, recordsDigest, seedDoc } from './shapes'
import { inBatches, waitUntil } from './stats'

const recordSets = new Map<number, UnknownRecord[]>()

/** The generated atlas of `shapes` shapes (made once per size). */
export function recordsFor(shapes: number): UnknownRecord[] {
  let records = recordSets.get(shapes)
  if (!records) {
    records = atlasRecords(shapes)
    recordSets.set(shapes, records)
  }
  return records
}

/** Connects a client and waits for its first sync. */
export async function syncedClient(peer: Peer, room: RoomRef, traffic: Traffic): Promise<Client> {
  const client = connectClient(peer, room, traffic)
  await within(client.synced, 20_000, `${peer.kind}: client sync`)
  return client
}

/**
 * A new room on `peer` whose first client writes an atlas of `shapes` shapes; then `clients - 1`
 * more clients join and receive it, on `joinAt` when given (another instance of the same atlases).
 */
export async function openRoom(
  peer: Peer,
  clients: number,
  shapes: number,
  traffic: Traffic,
  joinAt: Peer = peer,
): Promise<{ room: RoomRef; clients: Client[] }> {
  const room = await peer.createRoom()
  const first = await syncedClient(peer, room, traffic)
  const records = recordsFor(shapes)
  seedDoc(first.doc, records)
  const rest = await inBatches(Array.from({ length: clients - 1 }), 25, () =>
    syncedClient(joinAt, room, traffic),
  )
  const all = [first, ...rest]
  await waitUntil(
    () => all.every((c) => new RecordsMap(c.doc).size === records.length),
    `${peer.kind}: seed reached every client`,
  )
  return { room, clients: all }
}

/**
 * The correctness check after a run: waits for the replicas to agree, then a fresh client loads
 * the room from the server; true when every replica and the server's copy hold the same records
 * and the same state vector.
 */
export async function converged(peer: Peer, room: RoomRef, replicas: Client[]): Promise<boolean> {
  const fresh = await syncedClient(peer, room, newTraffic())
  try {
    const settled = async () => {
      const want = recordsDigest(fresh.doc)
      return replicas.every(
        (c) => sameStateVector(c.doc, fresh.doc) && recordsDigest(c.doc) === want,
      )
    }
    try {
      await waitUntil(settled, `${peer.kind}: replicas converge`, 5_000)
      return true
    } catch {
      return false
    }
  } finally {
    fresh.destroy()
  }
}

/** Closes every client. */
export function closeAll(clients: Client[]): void {
  for (const client of clients) client.destroy()
}
