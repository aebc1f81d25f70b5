/**
 * What the process does with a failure no boundary caught (ARCHITECTURE.md, "Invariants"): an
 * uncaught exception saves what the rooms hold and exits 1 for the supervisor; an unhandled
 * rejection is logged and the server goes on; a failing save stays with its own atlas. Faults
 * are put into the real, spawned server from outside, through a module loaded before it.
 */
import { mkdir, readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { CloseCode } from '../../shared/sync/layout'
import { childServersOfEachTest } from '../helpers/childServers'
import { createAtlas, readShape, waitFor, writeShape } from '../helpers/clients'
import type { ChildServer } from '../helpers/server'

/** Text a fault carries that must never reach the log. */
const SECRET = 'content-of-the-atlas'

/**
 * Loaded into the server process before it starts: on SIGUSR2 it throws (FAULT=throw) or
 * leaves a promise rejected (FAULT=reject), outside every boundary of the server, with the
 * message FAULT_MESSAGE.
 */
const FAULT = `data:text/javascript,${encodeURIComponent(`
process.on('SIGUSR2', () => {
  const message = process.env.FAULT_MESSAGE
  if (process.env.FAULT === 'reject') Promise.reject(new RangeError(message))
  else throw new TypeError(message)
})`)}`

const { providers, dataDir, spawn, client } = childServersOfEachTest()

function child(dir: string, env: Record<string, string> = {}): Promise<ChildServer> {
  return spawn(dir, { FAULT_MESSAGE: SECRET, ...env }, [`--import=${FAULT}`])
}

async function editAndConfirm(
  writer: WebsocketProvider,
  observer: WebsocketProvider,
  id: string,
  x: number,
): Promise<void> {
  writeShape(writer.doc, id, { x, y: 0 })
  await waitFor(() => readShape(observer.doc, id)?.x === x, `the server to relay ${id}`)
}

describe('a failure outside every boundary', () => {
  it('an uncaught exception is logged by kind, the rooms are saved, and the process exits 1', async () => {
    const dir = await dataDir()
    // A long debounce: only the shutdown can have saved the edit.
    const first = await child(dir, {
      FAULT: 'throw',
      SAVE_DEBOUNCE_MS: '1000',
      SAVE_MAX_WAIT_MS: '1000',
    })
    const atlas = await createAtlas(first.url)
    const writer = await client(first.wsUrl, atlas.id, atlas.editToken)
    const observer = await client(first.wsUrl, atlas.id, atlas.editToken)
    const closeCode = new Promise<number | undefined>((resolve) =>
      observer.once('connection-close', (event) => resolve(event?.code)),
    )
    await editAndConfirm(writer, observer, 'kept', 4)
    first.child.kill('SIGUSR2')
    expect(await first.exited).toEqual({ code: 1, signal: null })
    expect(await closeCode).toBe(CloseCode.GoingAway)
    const output = first.output()
    expect(output).toMatch(/error uncaught exception error=TypeError at=/)
    expect(output).toContain('shutting down reason="uncaught exception"')
    expect(output).not.toContain(SECRET)
    for (const p of providers.splice(0)) p.destroy()

    const second = await child(dir)
    const fresh = await client(second.wsUrl, atlas.id, atlas.editToken)
    expect(readShape(fresh.doc, 'kept')?.x).toBe(4)
  })

  it('an unhandled rejection is logged by kind and every atlas goes on', async () => {
    const server = await child(await dataDir(), { FAULT: 'reject' })
    const atlas = await createAtlas(server.url)
    const a = await client(server.wsUrl, atlas.id, atlas.editToken)
    const b = await client(server.wsUrl, atlas.id, atlas.editToken)
    await editAndConfirm(a, b, 'before', 1)
    server.child.kill('SIGUSR2')
    await waitFor(
      () => /error unhandled rejection error=RangeError/.test(server.output()),
      'the rejection to be logged',
    )
    await editAndConfirm(a, b, 'after', 2)
    const other = await createAtlas(server.url)
    const c = await client(server.wsUrl, other.id, other.editToken)
    const d = await client(server.wsUrl, other.id, other.editToken)
    await editAndConfirm(c, d, 'elsewhere', 3)
    expect(server.child.exitCode).toBeNull()
    expect(server.output()).not.toContain(SECRET)
  })
})

describe('a save that fails', () => {
  it('stays with its atlas: the process and the other atlases go on, and it is written once the disk allows', async () => {
    const dir = await dataDir()
    // Retries back off (0.5 s doubling): capped here so that the test waits a second at most.
    const server = await child(dir, { SAVE_RETRY_MAX_MS: '1000' })
    const broken = await createAtlas(server.url)
    const healthy = await createAtlas(server.url)
    const a = await client(server.wsUrl, broken.id, broken.editToken)
    const b = await client(server.wsUrl, broken.id, broken.editToken)
    const c = await client(server.wsUrl, healthy.id, healthy.editToken)
    const d = await client(server.wsUrl, healthy.id, healthy.editToken)

    // The broken atlas's update log cannot be opened for writing: a folder stands in its place.
    const blocked = join(dir, 'atlases', broken.id, 'updates.log')
    await mkdir(blocked)
    await editAndConfirm(a, b, 'unsaved', 1)
    await waitFor(
      () => server.output().includes(`atlas save failed atlas=${broken.id} error=EISDIR`),
      'the failed save to be logged',
    )

    // Everything else goes on: the same room syncs, the other atlas syncs and saves.
    await editAndConfirm(a, b, 'still live', 2)
    await editAndConfirm(c, d, 'saved', 3)
    const healthyLog = join(dir, 'atlases', healthy.id, 'updates.log')
    await waitFor(
      async () => (await stat(healthyLog).catch(() => null))?.isFile() === true,
      'the other atlas to be saved',
    )
    expect(server.child.exitCode).toBeNull()

    // Once the disk allows it, the kept edits are written (the save is retried).
    await rm(blocked, { recursive: true })
    await waitFor(
      async () =>
        ((await readFile(blocked, 'utf8').catch(() => '')).match(/\n/g)?.length ?? 0) >= 2,
      'the retried save to write both edits',
    )
    server.child.kill('SIGKILL')
    await server.exited
    for (const p of providers.splice(0)) p.destroy()
    const again = await child(dir)
    const fresh = await client(again.wsUrl, broken.id, broken.editToken)
    expect(readShape(fresh.doc, 'unsaved')?.x).toBe(1)
    expect(readShape(fresh.doc, 'still live')?.x).toBe(2)
  })
})
