/**
 * A damaged line in a real update log (issue 18): the server keeps it aside for inspection
 * instead of dropping the rest of the log, and the lines after it still load.
 */
import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import {
  connectProvider,
  createAtlas,
  readShape,
  synced,
  syncedClient,
  waitFor,
  writeShape,
} from '../helpers/clients'
import { type ChildServer, makeDataDir, removeDir, spawnServer } from '../helpers/server'

const servers: ChildServer[] = []
const providers: WebsocketProvider[] = []
const dirs: string[] = []

afterAll(async () => {
  for (const p of providers) p.destroy()
  for (const s of servers) {
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL')
    await s.exited
  }
  await Promise.all(dirs.map(removeDir))
})

async function lineCount(path: string): Promise<number> {
  try {
    return (await readFile(path, 'latin1')).split('\n').length - 1
  } catch {
    return 0
  }
}

describe('a damaged line in the update log', () => {
  it('is kept aside, the lines after it load, and the device that made it gives it back', async () => {
    const dir = await makeDataDir()
    dirs.push(dir)
    const env = { SAVE_DEBOUNCE_MS: '10', SAVE_MAX_WAIT_MS: '10' }
    const first = await spawnServer(dir, env)
    servers.push(first)
    const atlas = await createAtlas(first.url)
    const docs = [new Y.Doc(), new Y.Doc()]
    const [one, two] = docs.map((doc) =>
      connectProvider(first.wsUrl, atlas.id, atlas.editToken, doc),
    )
    providers.push(one as WebsocketProvider, two as WebsocketProvider)
    await Promise.all([synced(one as WebsocketProvider), synced(two as WebsocketProvider)])
    const log = join(dir, 'atlases', atlas.id, 'updates.log')

    // One line per edit; even edits from device one, odd ones from device two.
    const lineOf: number[] = []
    for (let i = 0; i < 10; i++) {
      const before = await lineCount(log)
      writeShape(docs[i % 2] as Y.Doc, `e${i}`, { x: i, y: 0, text: `regel ${i}` })
      await waitFor(async () => (await lineCount(log)) > before, `edit ${i} in the log`)
      expect(await lineCount(log)).toBe(before + 1)
      lineOf.push(before)
    }
    for (const p of providers.splice(0)) p.destroy()
    first.child.kill('SIGKILL')
    await first.exited

    // Edit 4 (device one's) is damaged on disk, and a crash left half a line at the end.
    const lines = (await readFile(log, 'latin1')).split('\n')
    const at = lineOf[4] as number
    const damaged = `${(lines[at] as string).slice(0, 20)}\u0000\u0000${(lines[at] as string).slice(22)}`
    lines[at] = damaged
    await writeFile(log, lines.join('\n'), 'latin1')
    const torn = 'AQHx7vQK'
    await appendFile(log, torn, 'latin1')
    const asFound = await readFile(log, 'latin1')

    const second = await spawnServer(dir, env)
    servers.push(second)
    const fresh = await syncedClient(second.wsUrl, atlas.id, atlas.editToken)
    providers.push(fresh)
    const seen = () =>
      Array.from({ length: 10 }, (_, i) => i).filter((i) => readShape(fresh.doc, `e${i}`))
    // Device two's edits after the damaged line load; device one's later ones wait for it.
    expect(seen()).toEqual([0, 1, 2, 3, 5, 7, 9])
    expect(second.output()).toMatch(
      new RegExp(`damaged log kept aside .*damagedLines=${at + 1},11 count=2`),
    )

    const aside = (await readdir(join(dir, 'atlases', atlas.id))).filter((f) =>
      f.startsWith('updates.log.damaged-'),
    )
    expect(aside).toHaveLength(1)
    // Kept whole, as found.
    expect(await readFile(join(dir, 'atlases', atlas.id, aside[0] as string), 'latin1')).toBe(
      asFound,
    )

    // Device one still holds its edits and gives them back when it connects.
    const back = connectProvider(second.wsUrl, atlas.id, atlas.editToken, docs[0] as Y.Doc)
    providers.push(back)
    await waitFor(() => seen().length === 10, 'every edit back on the server')
    // Nobody was turned away on the way: no device echoed changes the server could not place.
    expect(second.output()).not.toMatch(/sync closed/)
  }, 60_000)
})
