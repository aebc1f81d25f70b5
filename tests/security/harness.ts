/**
 * What the attack tests share: a real server process, a bystander atlas whose edit round trip is
 * measured while an attack runs, the server's memory read from /proc, and raw y-protocols
 * messages built byte by byte (an attacker does not use Yjs to make them).
 */
import { readFileSync } from 'node:fs'
import { WebSocket } from 'ws'
import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import type { CreateAtlasResponse } from '../../shared/api/atlases'
import { RECORDS_KEY } from '../../shared/sync/layout'
import {
  createAtlas,
  createLink,
  type RawClient,
  rawClient,
  syncedClient,
  waitFor,
  writeShape,
} from '../helpers/clients'
import { type ChildServer, makeDataDir, removeDir, spawnServer } from '../helpers/server'

export {
  deleteSetBomb,
  incompleteUpdate,
  mergeRunBomb,
  PRESENCE_QUERY,
  presenceFrame,
  subdocumentBomb,
  syncFrame,
  WHOLE_STATE_REQUEST,
} from '../helpers/attacks'

/** A bystander's edit round trip must stay under this while an attack runs (issue 18). */
export const BYSTANDER_MS = 50

const MiB = 1024 * 1024

/** Everything a test opened, closed again by `cleanUp`. */
const open = {
  providers: [] as WebsocketProvider[],
  raws: [] as RawClient[],
  children: [] as ChildServer[],
  dirs: [] as string[],
}

/** Closes every client, kills every server and removes their data. */
export async function cleanUp(): Promise<void> {
  for (const p of open.providers.splice(0)) p.destroy()
  for (const r of open.raws.splice(0)) r.ws.terminate()
  for (const c of open.children.splice(0)) {
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL')
    await c.exited
  }
  await Promise.all(open.dirs.splice(0).map(removeDir))
}

/** The server as its own process (as `npm start` runs it), with `env` on top of the defaults. */
export async function server(
  env: Record<string, string> = {},
): Promise<ChildServer & { dir: string }> {
  const dir = await makeDataDir()
  open.dirs.push(dir)
  const child = await spawnServer(dir, env)
  open.children.push(child)
  return Object.assign(child, { dir })
}

/** A stock y-websocket client, synced. */
export async function provider(
  s: ChildServer,
  atlas: string,
  token: string,
): Promise<WebsocketProvider> {
  const p = await syncedClient(s.wsUrl, atlas, token)
  open.providers.push(p)
  return p
}

/** A raw websocket to a room (`<atlas>` or `<atlas>/plan`). */
export function raw(s: ChildServer, room: string, token: string | null): RawClient {
  const r = rawClient(s.wsUrl, room, token)
  open.raws.push(r)
  return r
}

/** A new atlas with a view link beside its edit link. */
export async function atlasWithViewLink(
  s: ChildServer,
): Promise<CreateAtlasResponse & { viewToken: string }> {
  const atlas = await createAtlas(s.url)
  const view = await createLink(s.url, atlas.id, atlas.editToken, 'view', 'Buurman')
  return { ...atlas, viewToken: view.token }
}

/** A further edit link to an atlas (another person's, or another attacker's). */
export async function editLink(s: ChildServer, atlas: CreateAtlasResponse, label: string) {
  return (await createLink(s.url, atlas.id, atlas.editToken, 'edit', label)).token
}

/** Resident memory of a process, in bytes (`/proc/<pid>/status`, VmRSS). */
export function rss(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
  return Number(kb) * 1024
}

/** Samples a process's RSS every 20 ms until stopped; `max` is the highest seen, in MiB. */
export function watchMemory(pid: number): { stop(): void; readonly max: number } {
  let max = rss(pid)
  const timer = setInterval(() => {
    try {
      max = Math.max(max, rss(pid))
    } catch {
      // The process is gone; the test says so on its own.
    }
  }, 20)
  return {
    stop: () => clearInterval(timer),
    get max() {
      return max / MiB
    },
  }
}

/**
 * A second atlas with two edit clients: the writer moves a shape, the observer waits for it.
 * `measure` runs round trips one after another (a new one as soon as the last arrived, and at
 * least every 20 ms) and returns their durations in milliseconds; a round trip that never
 * completes counts as `timeoutMs`.
 */
export async function bystander(s: ChildServer) {
  const atlas = await createAtlas(s.url, 'Atlas van een ander')
  const writer = await provider(s, atlas.id, atlas.editToken)
  const observer = await provider(s, atlas.id, atlas.editToken)
  const records = () => writer.doc.getMap(RECORDS_KEY)
  writeShape(writer.doc, 'bystander', { x: 0, y: 0 })
  await waitFor(() => observer.doc.getMap(RECORDS_KEY).has('shape:bystander'), 'bystander seed')
  const seen = () =>
    (observer.doc.getMap(RECORDS_KEY).get('shape:bystander') as Y.Map<number> | undefined)?.get('x')
  let x = 0
  /** One edit, and the time until the other client has it (ms). */
  const roundTrip = async (timeoutMs: number): Promise<number> => {
    const want = ++x
    const started = performance.now()
    ;(records().get('shape:bystander') as Y.Map<number>).set('x', want)
    return new Promise((resolve) => {
      const check = () => {
        if (seen() === want) {
          observer.doc.off('update', check)
          clearTimeout(timer)
          resolve(performance.now() - started)
        }
      }
      const timer = setTimeout(() => {
        observer.doc.off('update', check)
        resolve(timeoutMs)
      }, timeoutMs)
      observer.doc.on('update', check)
      check()
    })
  }
  return {
    atlas,
    roundTrip,
    /** Round trips for `ms` milliseconds (or until `until` resolves, if sooner). */
    async measure(ms: number, until?: Promise<unknown>, timeoutMs = 2000): Promise<number[]> {
      const samples: number[] = []
      let done = false
      void until?.then(() => {
        done = true
      })
      const end = performance.now() + ms
      while (!done && performance.now() < end) {
        const started = performance.now()
        samples.push(await roundTrip(timeoutMs))
        const wait = 20 - (performance.now() - started)
        if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      }
      return samples
    },
  }
}

/** The value below which `q` of the samples fall (nearest rank). */
export function percentile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN
}

/** Opens a websocket and says what came of it: `open`, or the HTTP status of the refusal. */
export function upgrade(s: ChildServer, room: string, token: string): Promise<number | 'open'> {
  const ws = new WebSocket(`${s.wsUrl}/${room}?token=${encodeURIComponent(token)}`)
  ws.on('error', () => {})
  return new Promise<number | 'open'>((resolve) => {
    ws.once('open', () => resolve('open'))
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
  }).finally(() => ws.terminate())
}

/** Waits for a raw client to be closed, within `ms`; resolves with its code and reason. */
export function closedWithin(
  r: RawClient,
  ms: number,
): Promise<{ code: number; reason: string } | 'still open'> {
  return Promise.race([
    r.closed,
    new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), ms)),
  ])
}

/** True while the server process runs and answers HTTP. */
export async function alive(s: ChildServer): Promise<boolean> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return false
  const response = await fetch(`${s.url}/api/atlases/nothing`, {
    signal: AbortSignal.timeout(5000),
  }).catch(() => null)
  return response !== null
}
