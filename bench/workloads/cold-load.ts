/**
 * W4: a stored 5,000-shape atlas, the server restarted: time from disk to a ready room, and from
 * a new client's connect to its first complete sync. The peers load the same Yjs state from a
 * seed file in their load hook; ours from its own storage, written through its own sync.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Y from 'yjs'
import { newTraffic } from '../lib/clients'
import { type Peer, type PeerKind, type RoomRef, startPeer } from '../lib/peers'
import { atMost, type Results } from '../lib/results'
import { closeAll, converged, openRoom, recordsFor, syncedClient } from '../lib/room'
import { recordsDigest, seedDoc } from '../lib/shapes'
import { waitUntil } from '../lib/stats'

/** A stored atlas each peer can be restarted on. */
export interface StoredAtlas {
  kind: PeerKind
  room: RoomRef
  digest: string
  /** Our server's storage folder, or the peers' seed folder. */
  dir: string
  cleanup(): Promise<void>
}

/** Stores the atlas: through our server's own sync and storage, or as a seed file for a peer. */
export async function storeAtlas(kind: PeerKind, shapes: number): Promise<StoredAtlas> {
  if (kind === 'ours') {
    const peer = await startPeer('ours')
    const { room, clients } = await openRoom(peer, 1, shapes, newTraffic())
    const digest = recordsDigest((clients[0] as { doc: Y.Doc }).doc)
    if (!(await converged(peer, room, clients))) throw new Error('W4 seeding did not converge')
    closeAll(clients)
    await peer.stop('SIGTERM')
    return {
      kind,
      room,
      digest,
      dir: peer.dataDir,
      cleanup: () => rm(peer.dataDir, { recursive: true, force: true }),
    }
  }
  const dir = await mkdtemp(join(tmpdir(), `bench-seed-${kind}-`))
  const doc = new Y.Doc()
  seedDoc(doc, recordsFor(shapes))
  const room = { name: `seeded${shapes}` }
  await writeFile(join(dir, `${room.name}.bin`), Y.encodeStateAsUpdate(doc))
  return {
    kind,
    room,
    digest: recordsDigest(doc),
    dir,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  }
}

/** Starts the peer on the stored atlas (a restart). */
export function restart(stored: StoredAtlas): Promise<Peer> {
  return stored.kind === 'ours'
    ? startPeer('ours', { dataDir: stored.dir })
    : startPeer(stored.kind, { seedDir: stored.dir })
}

export async function runW4(peer: Peer, stored: StoredAtlas, results: Results): Promise<void> {
  const started = performance.now()
  const client = await syncedClient(peer, stored.room, newTraffic())
  const syncedMs = performance.now() - started
  await waitUntil(
    () => peer.lines.some((l) => /\b(atlas )?loaded\b.*\bms=/.test(l.text)),
    `${peer.kind}: load reported`,
  )
  const line = peer.lines.find((l) => /\b(atlas )?loaded\b.*\bms=/.test(l.text))?.text ?? ''
  const readyMs = Number(/\bms=([\d.]+)/.exec(line)?.[1])
  results.add(
    {
      workload: 'W4',
      name: 'disk → room ready',
      unit: 'ms',
      digits: 0,
      target: '≤ 300 ms',
      judge: atMost(300),
    },
    peer.kind,
    readyMs,
  )
  results.add(
    {
      workload: 'W4',
      name: 'connect → new client synced',
      unit: 'ms',
      digits: 0,
      target: '≤ 600 ms',
      judge: atMost(600),
    },
    peer.kind,
    syncedMs,
  )
  results.checked(
    'W4',
    peer.kind,
    recordsDigest(client.doc) === stored.digest && (await converged(peer, stored.room, [client])),
    'the loaded atlas equals the stored one',
  )
  client.destroy()
}
