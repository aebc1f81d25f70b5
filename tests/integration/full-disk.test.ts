/**
 * Storage on a disk that fills up and frees again (issue 18): a real server process keeps its
 * data on a 2 MiB tmpfs, real clients edit over real sockets, and a file fills the disk.
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp, open, rm, rmdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as decoding from 'lib0/decoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { SaveState } from '../../shared/sync/layout'
import {
  createAtlas,
  type RawClient,
  rawClient,
  readShape,
  syncedClient,
  waitFor,
  writeShape,
} from '../helpers/clients'
import { type ChildServer, spawnServer } from '../helpers/server'

const EDITS = 243
/** Words in every edit, so that the log grows by pages and appends meet the end of the disk. */
const WORDS = 'Oma belt elke zondag. '.repeat(40)

let mountPoint = ''
let mounted = false
const servers: ChildServer[] = []
const providers: WebsocketProvider[] = []
const raws: RawClient[] = []

beforeAll(async () => {
  mountPoint = await mkdtemp(join(tmpdir(), 'netwerkatlas-small-disk-'))
  // Fails the test file loudly where a small filesystem cannot be mounted (the test needs root).
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', mountPoint])
  mounted = true
})

afterAll(async () => {
  for (const p of providers) p.destroy()
  for (const r of raws) r.ws.terminate()
  for (const s of servers) {
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL')
    await s.exited
  }
  if (mounted) execFileSync('umount', [mountPoint])
  await rmdir(mountPoint).catch(() => {})
})

/** Writes zeros into `path` until the disk is full; returns the bytes written. */
async function fillDisk(path: string): Promise<number> {
  const handle = await open(path, 'w')
  const chunk = Buffer.alloc(4096)
  let written = 0
  try {
    for (;;) {
      const { bytesWritten } = await handle.write(chunk)
      written += bytesWritten
      if (bytesWritten < chunk.length) break
    }
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOSPC') throw error
  } finally {
    await handle.close()
  }
  return written
}

/** The save state the server last told a raw client, or undefined before it said anything. */
function lastSaveState(raw: RawClient): number | undefined {
  const frames = raw.frames.filter((f) => f[0] === SaveState.messageType)
  return frames.at(-1)?.[1]
}

describe('a full disk', () => {
  it('keeps every edit, says the server copy is behind, and saves it once the disk frees', async () => {
    const dataDir = join(mountPoint, 'data')
    // The disk is 2 MiB: the free-disk threshold for new atlases would refuse the first one.
    const env = {
      SAVE_DEBOUNCE_MS: '20',
      SAVE_MAX_WAIT_MS: '50',
      SAVE_RETRY_MAX_MS: '400',
      MIN_FREE_DISK_MB: '0',
    }
    const first = await spawnServer(dataDir, env)
    servers.push(first)
    const atlas = await createAtlas(first.url)
    const a = await syncedClient(first.wsUrl, atlas.id, atlas.editToken)
    const b = await syncedClient(first.wsUrl, atlas.id, atlas.editToken)
    providers.push(a, b)
    // A stock provider ignores the server's save state; this one records it, as the app does.
    const toldA: number[] = []
    a.messageHandlers[SaveState.messageType] = (_encoder, decoder) => {
      toldA.push(decoding.readUint8(decoder))
    }
    b.messageHandlers[SaveState.messageType] = () => {}
    const watcher = rawClient(first.wsUrl, atlas.id, atlas.editToken)
    raws.push(watcher)
    await watcher.opened

    const edit = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        writeShape((i % 2 ? a : b).doc, `e${i}`, { x: i, y: 0, text: `${i} ${WORDS}` })
        await new Promise((r) => setTimeout(r, 5))
      }
    }
    await edit(0, 80)
    const filler = join(mountPoint, 'filler')
    await fillDisk(filler)
    await edit(80, EDITS)

    await waitFor(() => /atlas save failed .*error=ENOSPC/.test(first.output()), 'a failed save')
    await waitFor(() => /disk full/.test(first.output()), 'the room said to stay in memory')
    await waitFor(() => lastSaveState(watcher) === SaveState.behind, 'the clients told')
    await waitFor(() => toldA.at(-1) === SaveState.behind, 'the editing device told')
    // A device that comes in meanwhile is told on joining.
    const late = rawClient(first.wsUrl, atlas.id, atlas.editToken)
    raws.push(late)
    await waitFor(() => lastSaveState(late) === SaveState.behind, 'a device that joins told')
    // Both editors hold every edit while the server cannot save.
    for (const p of [a, b]) {
      await waitFor(
        () => Array.from({ length: EDITS }, (_, i) => readShape(p.doc, `e${i}`)).every(Boolean),
        'every edit on both devices',
      )
    }

    await rm(filler)
    await waitFor(() => lastSaveState(watcher) === SaveState.saved, 'the clients told it is saved')
    await waitFor(() => toldA.at(-1) === SaveState.saved, 'the editing device told it is saved')
    expect(first.output()).toMatch(/atlas saved again/)

    // What the server said is saved is on disk: not even a kill loses it.
    for (const p of providers.splice(0)) p.destroy()
    first.child.kill('SIGKILL')
    await first.exited
    const second = await spawnServer(dataDir, env)
    servers.push(second)
    const fresh = await syncedClient(second.wsUrl, atlas.id, atlas.editToken)
    providers.push(fresh)
    const missing = Array.from({ length: EDITS }, (_, i) => i).filter(
      (i) => readShape(fresh.doc, `e${i}`) === undefined,
    )
    expect(missing).toEqual([])
    expect(second.output()).not.toMatch(/damaged/)
  }, 60_000)
})
