/**
 * An attacker for A1, run as its own process (`node --import tsx bench/lib/attacker.ts <kind>
 * <target as JSON>`) so that the bytes it makes are not made by the process that measures. It
 * speaks from an address of its own (`ATTACKER_ADDRESS`), as an attacker elsewhere would, so the
 * per-address limits meet it and not the bystander. It attacks until it is stopped (SIGTERM),
 * opening a new socket whenever the server closes one. The attacks of issue 18, by kind:
 *
 * - `sync-step1`: 4-byte sync step 1 (an empty state vector) in bursts of 3,000, on a socket that
 *   reads and on one that never reads (a 25 MB atlas, 1.5 GB, another atlas 3 s behind; the
 *   backlog of the socket that never read);
 * - `presence-flood`: presence updates of its own id, 20 per turn of its event loop;
 * - `presence-query-flood`: one 4 MiB presence state, then 5,000 presence queries on a socket
 *   that never reads (6.6 GB, another atlas without answers for 20 s);
 * - `presence-spoof`: presence of the participant `victimClient` (a made-up name, a clock far
 *   ahead, removals), then its own, as fast as it can (a view link spoke for others);
 * - `subdocument-bomb`: one update of 500,000 subdocument items (4 MiB) per socket;
 * - `delete-set-bomb`: one delete set of a million ranges (4 MiB) per socket;
 * - `incomplete-update`: one update that builds on changes the server never got per socket
 *   (pending state that was saved and resent);
 * - `bad-record`: one write of a number where a record map belongs per socket (it bricked pages);
 * - `creation-flood`: `POST /api/atlases`, 50 at a time (10,000 in 12 s, every one 201);
 * - `import-flood`: atlas files of 19 MB and of 10 million `0,` records, 2 at a time (a 19 MB
 *   import stalled other rooms 2.2 s; the `0,` file took 94 s);
 * - `idle-sockets`: 150 websockets that join and say nothing and 200 TCP connections that never
 *   finish their request (half of them stop inside the headers), each reopened when closed.
 *
 * A socket that never reads reads again after 2 s, to see that it was closed and open the next.
 *
 * Prints `ready` once its first attack is on its way, and one line per socket or request the
 * server closed or refused: `closed <code>` (a websocket's close code; 1006 for a refused
 * upgrade) or `refused <status>`.
 */
import { request } from 'node:http'
import { connect } from 'node:net'
import { WebSocket } from 'ws'
import {
  deleteSetBomb,
  incompleteUpdate,
  numberAsRecord,
  PRESENCE_QUERY,
  presenceFrame,
  subdocumentBomb,
  syncFrame,
  WHOLE_STATE_REQUEST,
} from '../../tests/helpers/attacks'

/** The attacker's own loopback address (Linux routes all of 127/8 to loopback). */
export const ATTACKER_ADDRESS = '127.0.0.2'

/** Where an attacker aims. */
export interface AttackTarget {
  wsUrl: string
  httpUrl: string
  room: string
  token: string
  /** A participant of `room` whose presence the spoofing attack claims. */
  victimClient: number
}

/** The attacks, by the name the command line takes. */
export const ATTACK_KINDS = [
  'sync-step1',
  'presence-flood',
  'presence-query-flood',
  'presence-spoof',
  'subdocument-bomb',
  'delete-set-bomb',
  'incomplete-update',
  'bad-record',
  'creation-flood',
  'import-flood',
  'idle-sockets',
] as const
export type AttackKind = (typeof ATTACK_KINDS)[number]

const MiB = 1024 * 1024

/** How long a socket that never reads stays silent before it reads again. */
const NO_READ_MS = 2000

let stopping = false
let announced = false
/** Says once that the attack is under way (A1 opens its window only then). */
function ready(): void {
  if (announced) return
  announced = true
  process.stdout.write('ready\n')
}

/** Opens a socket, runs `attack` on it once joined, and opens the next when the server closes it. */
function keepAttacking(
  target: AttackTarget,
  attack: (ws: WebSocket) => void,
  options: { read: boolean },
): void {
  if (stopping) return
  const url = `${target.wsUrl}/${target.room}?token=${encodeURIComponent(target.token)}`
  const ws = new WebSocket(url, { localAddress: ATTACKER_ADDRESS })
  ws.on('error', () => {})
  // The server's first message (its sync step 1) says the socket has joined: what comes
  // before is capped and refused as such, not as the attack it is.
  ws.once('message', () => {
    if (!options.read) {
      ws.pause()
      // A socket that never reads never sees its close either: after a while it reads again,
      // so that the next one opens (and meets the link's cool-down) as an attacker's would.
      setTimeout(() => ws.resume(), NO_READ_MS)
    }
    attack(ws)
    ready()
  })
  ws.once('close', (code) => {
    process.stdout.write(`closed ${code}\n`)
    setTimeout(() => keepAttacking(target, attack, options), 50)
  })
}

/** Sends `frame` once on each socket. */
function once(target: AttackTarget, frame: Uint8Array): void {
  keepAttacking(target, (ws) => ws.send(frame), { read: true })
}

/** Keeps `parallel` HTTP requests of `body` to `path` under way; counts the refusals. */
function keepPosting(target: AttackTarget, path: string, bodies: string[], parallel: number) {
  let next = 0
  const post = () => {
    if (stopping) return
    const body = bodies[next++ % bodies.length] as string
    const req = request(
      `${target.httpUrl}${path}`,
      {
        method: 'POST',
        localAddress: ATTACKER_ADDRESS,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        if ((res.statusCode ?? 0) >= 400) process.stdout.write(`refused ${res.statusCode}\n`)
        res.resume()
        res.once('end', post)
      },
    )
    // The server may answer (and close) before it has read the whole body.
    req.once('error', () => setTimeout(post, 50))
    req.end(body)
    ready()
  }
  for (let i = 0; i < parallel; i++) post()
}

/** A TCP connection that never finishes its request, reopened when the server ends it. */
function silentConnection(target: AttackTarget, halfRequest: boolean): void {
  if (stopping) return
  const { hostname, port } = new URL(target.httpUrl)
  const socket = connect({ host: hostname, port: Number(port), localAddress: ATTACKER_ADDRESS })
  socket.on('error', () => {})
  socket.resume()
  if (halfRequest) socket.write(`GET /sync/${target.room} HTTP/1.1\r\nHost: x\r\nUpgrade: web`)
  socket.once('close', () => {
    process.stdout.write('closed tcp\n')
    setTimeout(() => silentConnection(target, halfRequest), 50)
  })
}

async function run(kind: AttackKind, target: AttackTarget): Promise<void> {
  switch (kind) {
    case 'sync-step1': {
      const burst = (ws: WebSocket) => {
        for (let i = 0; i < 3000; i++) ws.send(WHOLE_STATE_REQUEST)
      }
      keepAttacking(target, burst, { read: true })
      keepAttacking(target, burst, { read: false })
      return
    }
    case 'presence-flood': {
      const client = 424242
      let clock = 0
      keepAttacking(
        target,
        (ws) => {
          const tick = () => {
            if (ws.readyState !== ws.OPEN) return
            for (let i = 0; i < 20; i++, clock++) {
              ws.send(presenceFrame([{ client, clock: clock + 1, state: { cursor: clock } }]))
            }
            setImmediate(tick)
          }
          tick()
        },
        { read: true },
      )
      return
    }
    case 'presence-query-flood': {
      const big = presenceFrame([
        { client: 999, clock: 1, state: { blob: 'x'.repeat(4 * MiB - 100) } },
      ])
      keepAttacking(
        target,
        (ws) => {
          ws.send(big)
          for (let i = 0; i < 5000; i++) ws.send(PRESENCE_QUERY)
        },
        { read: false },
      )
      return
    }
    case 'presence-spoof': {
      const victim = target.victimClient
      const fake = { presence: { userName: 'Marjan 06-12345678' } }
      let clock = 1_000_000
      keepAttacking(
        target,
        (ws) => {
          // First someone else's id, as the view link did; then its own beside it.
          ws.send(presenceFrame([{ client: victim, clock: clock++, state: fake }]))
          const tick = () => {
            if (ws.readyState !== ws.OPEN) return
            for (let i = 0; i < 10; i++) {
              ws.send(
                presenceFrame([
                  { client: 4242, clock: clock++, state: { presence: { userName: 'Bezoeker' } } },
                  { client: victim, clock: clock++, state: fake },
                ]),
              )
              ws.send(presenceFrame([{ client: victim, clock: clock++, state: null }]))
            }
            setImmediate(tick)
          }
          tick()
        },
        { read: true },
      )
      return
    }
    case 'subdocument-bomb':
      return once(target, syncFrame(2, subdocumentBomb(500_000)))
    case 'delete-set-bomb':
      return once(target, syncFrame(2, deleteSetBomb(1_000_000)))
    case 'incomplete-update':
      return once(target, syncFrame(2, incompleteUpdate()))
    case 'bad-record':
      return once(target, syncFrame(2, numberAsRecord()))
    case 'creation-flood':
      return keepPosting(target, '/api/atlases', [JSON.stringify({ title: 'Nog een atlas' })], 50)
    case 'import-flood': {
      // Loaded here only: the schema behind atlas files is large, and no other attack needs it.
      const { largeFile, zerosFile } = await import('../../tests/helpers/atlasFiles')
      return keepPosting(target, '/api/atlases/import', [largeFile(19 * MiB), zerosFile(1e7)], 2)
    }
    case 'idle-sockets':
      for (let i = 0; i < 200; i++) silentConnection(target, i % 2 === 1)
      for (let i = 0; i < 150; i++) keepAttacking(target, () => {}, { read: true })
      return
  }
}

// Run as a process (not when imported for its names).
if (process.argv[1]?.endsWith('attacker.ts')) {
  process.on('SIGTERM', () => {
    stopping = true
    process.exit(0)
  })
  const [kind, target] = process.argv.slice(2) as [string, string]
  if (!(ATTACK_KINDS as readonly string[]).includes(kind)) {
    process.stderr.write(`unknown attack ${kind}\n`)
    process.exit(2)
  }
  await run(kind as AttackKind, JSON.parse(target) as AttackTarget)
}
