/**
 * The servers under test, each started as its own child process pinned to core 0:
 * ours exactly as the README starts it, the y-websocket reference server and Hocuspocus.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { buildServer, serveNodeOptions } from '../../server/build'
import type { CreateAtlasResponse } from '../../shared/api/atlases'

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

/** The three servers, in the order the table lists them. */
export const PEERS = ['ours', 'reference', 'hocuspocus'] as const
/** Every server the bench can start: the peers, and the floor (`bench/peers/floor.ts`). */
export const ALL_PEERS = [...PEERS, 'floor'] as const
export type PeerKind = (typeof ALL_PEERS)[number]

/** Core the server under test runs on; the load generator takes the other. */
export const SERVER_CORE = '0'
export const LOAD_CORE = '1'

/** A room on a peer: what a client needs to join it. */
export interface RoomRef {
  name: string
  /** Edit token (our server only). */
  token?: string
}

/** One line the server printed, with the wall-clock time it arrived here. */
export interface OutputLine {
  at: number
  text: string
}

export interface Peer {
  kind: PeerKind
  pid: number
  port: number
  /** Where a y-websocket provider (or the Hocuspocus provider) connects. */
  wsUrl: string
  httpUrl: string
  dataDir: string
  lines: OutputLine[]
  createRoom(): Promise<RoomRef>
  /** Live memory (JS heap + external) after a full collection, in bytes, and the RSS. */
  liveMemory(): Promise<{ live: number; rss: number }>
  /** Stops the server: SIGTERM (ours flushes its saves) or SIGKILL; waits for the exit. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>
}

let roomCounter = 0

/** Random, valid room names for the peers that take any name. */
function roomName(): string {
  roomCounter++
  return `bench${Date.now().toString(36)}${roomCounter}`
}

export interface StartOptions {
  /** Our server's storage folder (kept between restarts when given). */
  dataDir?: string
  /** A folder of `<room>.bin` Yjs states the peers load rooms from. */
  seedDir?: string
  /** Variables on top of the run's; `undefined` leaves one unset (the server's default). */
  env?: Record<string, string | undefined>
  /** Extra Node options for the server process (e.g. `--cpu-prof`). */
  nodeArgs?: string[]
  /** The core it is pinned to (default `SERVER_CORE`). */
  core?: string
}

/** Where the run builds the three servers and the memory probe. */
const PEERS_DIR = join(repoRoot, 'dist/bench-server')
let built: Promise<string> | undefined

/**
 * Builds every peer once per run into plain JavaScript, as `npm start` builds ours: each then
 * runs in Node alone, without a TypeScript loader thread beside it (whose own garbage
 * collections, a few seconds after start, would land in some peer's measurements).
 */
function peersBuilt(): Promise<string> {
  built ??= buildServer(PEERS_DIR, {
    ours: 'server/main.ts',
    reference: 'bench/peers/reference.ts',
    hocuspocus: 'bench/peers/hocuspocus.ts',
    floor: 'bench/peers/floor.ts',
    'memory-probe': 'bench/peers/memory-probe.ts',
  }).then(() => PEERS_DIR)
  return built
}

/** Starts a peer on a free loopback port and resolves once it is listening. */
export async function startPeer(kind: PeerKind, options: StartOptions = {}): Promise<Peer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), `bench-${kind}-`)))
  const dist = await peersBuilt()
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    CLIENT_DIR: join(repoRoot, 'dist/client'),
    // Debug adds one line per save and per load, which the write-cost figures read.
    LOG_LEVEL: 'debug',
    SEED_DIR: options.seedDir,
    NODE_ENV: 'production',
    // A run makes many rooms and sockets from one address (W3: 1,500 sockets in 520 rooms); the
    // per-address and room limits are not what is measured, and the peers have none.
    ATLAS_CREATIONS_PER_MINUTE: '100000',
    MAX_CONNECTIONS_PER_ADDRESS: '100000',
    MAX_OPEN_ROOMS: '100000',
    ...options.env,
  }
  const child = spawn(
    'taskset',
    [
      '-c',
      options.core ?? SERVER_CORE,
      process.execPath,
      '--expose-gc',
      // Ours as `npm run serve` starts it.
      ...(kind === 'ours' ? serveNodeOptions() : []),
      ...(options.nodeArgs ?? []),
      '--import',
      pathToFileURL(join(dist, 'memory-probe.mjs')).href,
      join(dist, `${kind}.mjs`),
    ],
    {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  const lines: OutputLine[] = []
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const port = await new Promise<number>((resolve, reject) => {
    // A server that never listens is stopped, not left running after the run gives up on it.
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${kind} did not start in 60 s`))
    }, 60_000)
    let pending = ''
    const onData = (chunk: Buffer) => {
      const at = Date.now()
      pending += chunk.toString('utf8')
      const parts = pending.split('\n')
      pending = parts.pop() ?? ''
      for (const text of parts) {
        lines.push({ at, text })
        const match = /listening on (?:http:\/\/[^:]+:)?(\d+)/.exec(text)
        if (match) {
          clearTimeout(timer)
          resolve(Number(match[1]))
        }
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    void exited.then(() => {
      clearTimeout(timer)
      reject(new Error(`${kind} exited before listening:\n${lines.map((l) => l.text).join('\n')}`))
    })
  })
  const httpUrl = `http://127.0.0.1:${port}`
  const wsUrl = kind === 'ours' ? `ws://127.0.0.1:${port}/sync` : `ws://127.0.0.1:${port}`
  return {
    kind,
    pid: child.pid as number,
    port,
    wsUrl,
    httpUrl,
    dataDir,
    lines,
    async createRoom() {
      if (kind !== 'ours') return { name: roomName() }
      const response = await fetch(`${httpUrl}/api/atlases`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ title: 'Benchmark' }),
      })
      if (response.status !== 201) throw new Error(`create atlas: ${response.status}`)
      const created = (await response.json()) as CreateAtlasResponse
      return { name: created.id, token: created.editToken }
    },
    async liveMemory() {
      const seen = lines.length
      child.kill('SIGUSR2')
      const deadline = Date.now() + 5000
      while (Date.now() < deadline) {
        for (const { text } of lines.slice(seen)) {
          const m = /^memory-probe heapUsed=(\d+) external=(\d+) rss=(\d+)/.exec(text)
          if (m) return { live: Number(m[1]) + Number(m[2]), rss: Number(m[3]) }
        }
        await new Promise((r) => setTimeout(r, 5))
      }
      throw new Error(`${kind}: no memory report`)
    },
    stop: (signal = 'SIGTERM') => stopChild(child, exited, signal),
  }
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<void>,
  signal: 'SIGTERM' | 'SIGKILL',
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill(signal)
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}

/** Removes a peer's data folder. */
export function removeDataDir(peer: Peer): Promise<void> {
  return rm(peer.dataDir, { recursive: true, force: true })
}
