/**
 * An attacker for A1, run as its own process (`node --import tsx bench/lib/attacker.ts <kind>
 * <wsUrl> <room> <token>`) so that the bytes it makes are not made by the process that measures.
 * It attacks until it is stopped (SIGTERM), opening a new socket whenever the server closes one:
 *
 * - `sync-step1`: 4-byte sync step 1 (an empty state vector) in bursts of 3,000, on a socket that
 *   reads and on one that never reads (issue 18: a 25 MB atlas, 1.5 GB, another atlas 3 s behind);
 * - `presence-flood`: presence updates of its own id, 20 per turn of its event loop;
 * - `subdocument-bomb`: one update of 500,000 subdocument items (4 MiB) per socket.
 *
 * Prints one line per socket the server closed or refused to open: `closed <code>`.
 */
import * as encoding from 'lib0/encoding'
import { WebSocket } from 'ws'

const [kind, wsUrl, room, token] = process.argv.slice(2) as [string, string, string, string]
const url = `${wsUrl}/${room}?token=${encodeURIComponent(token)}`

let stopping = false
process.on('SIGTERM', () => {
  stopping = true
  process.exit(0)
})

/** Opens a socket, runs `attack` on it once open, and opens the next when the server closes it. */
function keepAttacking(attack: (ws: WebSocket) => void, options: { read: boolean }): void {
  if (stopping) return
  const ws = new WebSocket(url)
  ws.on('error', () => {})
  ws.once('open', () => {
    if (!options.read) ws.pause()
    attack(ws)
  })
  ws.once('close', (code) => {
    process.stdout.write(`closed ${code}\n`)
    setTimeout(() => keepAttacking(attack, options), 50)
  })
}

const WHOLE_STATE_REQUEST = new Uint8Array([0, 0, 1, 0])

function presence(client: number, clock: number, cursor: number): Uint8Array {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, 1)
  encoding.writeVarUint(inner, client)
  encoding.writeVarUint(inner, clock)
  encoding.writeVarString(inner, JSON.stringify({ cursor }))
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 1)
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner))
  return encoding.toUint8Array(e)
}

function subdocumentBomb(count: number): Uint8Array {
  const client = 77
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 0) // sync
  encoding.writeVarUint(e, 2) // update
  const u = encoding.createEncoder()
  encoding.writeVarUint(u, 1)
  encoding.writeVarUint(u, count)
  encoding.writeVarUint(u, client)
  encoding.writeVarUint(u, 0)
  for (let i = 0; i < count; i++) {
    if (i === 0) {
      encoding.writeUint8(u, 9)
      encoding.writeVarUint(u, 1)
      encoding.writeVarString(u, 'records')
    } else {
      encoding.writeUint8(u, 9 | 128)
      encoding.writeVarUint(u, client)
      encoding.writeVarUint(u, i - 1)
    }
    encoding.writeVarString(u, '')
    encoding.writeAny(u, {})
  }
  encoding.writeVarUint(u, 0)
  encoding.writeVarUint8Array(e, encoding.toUint8Array(u))
  return encoding.toUint8Array(e)
}

switch (kind) {
  case 'sync-step1': {
    const burst = (ws: WebSocket) => {
      for (let i = 0; i < 3000; i++) ws.send(WHOLE_STATE_REQUEST)
    }
    keepAttacking(burst, { read: true })
    keepAttacking(burst, { read: false })
    break
  }
  case 'presence-flood': {
    const client = 424242
    let clock = 0
    keepAttacking(
      (ws) => {
        const tick = () => {
          if (ws.readyState !== ws.OPEN) return
          for (let i = 0; i < 20; i++, clock++) ws.send(presence(client, clock + 1, clock))
          setImmediate(tick)
        }
        tick()
      },
      { read: true },
    )
    break
  }
  case 'subdocument-bomb': {
    const bomb = subdocumentBomb(500_000)
    keepAttacking((ws) => ws.send(bomb), { read: true })
    break
  }
  default:
    process.stderr.write(`unknown attack ${kind}\n`)
    process.exit(2)
}
