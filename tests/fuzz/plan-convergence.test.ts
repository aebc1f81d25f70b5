/**
 * Randomised convergence of the plan document, through the server's own session, room, registry
 * and access control (in memory, no sockets): edit replicas change the plan at random while
 * messages arrive in random order, replicas drop off and come back, and privétijd is switched on
 * and off. A professional replica reads along. After everything is delivered with privétijd off,
 * every replica and the server hold the same plan; the server part equals the metadata; and the
 * professional never received a byte between a switch-on and his reconnect after the switch-off.
 * Reproduce a failure with `FUZZ_SEED=<seed> npx vitest run tests/fuzz/plan-convergence`.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { AccessControl } from '../../server/access'
import { hashToken } from '../../server/auth'
import { createLogger } from '../../server/log'
import { MemoryAtlasStore } from '../../server/storage/memory'
import { CoolDown, DEFAULT_SYNC_LIMITS } from '../../server/sync/limits'
import { PlanMirror } from '../../server/sync/planMirror'
import { RoomRegistry } from '../../server/sync/registry'
import { serverPartOf } from '../../server/sync/serverPart'
import { openSession, type Session } from '../../server/sync/session'
import type { Role } from '../../shared/api/atlases'
import {
  addAgreement,
  addWho,
  removeAgreement,
  removeWho,
  setAgreementText,
  setAgreementValue,
  setMeetingStep,
} from '../../shared/plan/actions'
import { MEETING_STEPS, readAgreements, readPlan } from '../../shared/plan/layout'
import { CloseCode } from '../../shared/sync/layout'

const STEPS = 250
const SEEDS = process.env.FUZZ_SEED ? [Number(process.env.FUZZ_SEED)] : [1, 2, 3, 4, 5, 7, 11, 42]
const ATLAS = 'FFFFFFFFFFFFFFFFFFFFFF'
const PEOPLE = ['person:ria', 'person:tim', 'person:fatima', 'person:gone']
const QUESTIONS = ['question:q1', 'question:q2']

function mulberry32(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** One device: its plan doc and, while connected, a session on the server. */
interface Replica {
  name: string
  role: Role
  token: string
  doc: Y.Doc
  session: Session | null
  /** Frames from the server not yet applied, in order (a socket keeps order). */
  inbox: Uint8Array[]
  /** Frames received since privétijd last went on (professional only). */
  receivedWhilePrivate: number
  closedWith: number | null
}

function syncMessage(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 0)
  write(e)
  return encoding.toUint8Array(e)
}

async function run(seed: number) {
  const random = mulberry32(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
  const log = createLogger('silent')
  const store = new MemoryAtlasStore()
  const tokens: Record<string, string> = {}
  const links = (['edit', 'professional'] as const).map((role) => {
    tokens[role] = `${role.padEnd(43, 'x')}`.slice(0, 43)
    return {
      id: `${role}-link-000000`.slice(0, 16),
      role,
      label: role,
      hash: hashToken(tokens[role] as string),
      createdAt: '2026-12-05T00:00:00.000Z',
      lastUsedAt: null,
    }
  })
  await store.createAtlas({
    id: ATLAS,
    title: 'Atlas van Sanne',
    createdAt: '2026-12-05T00:00:00.000Z',
    links,
    privateTime: { on: false, since: null },
    piketpaaltjes: [],
    approvals: [],
  })
  const access = new AccessControl(store, log)
  let mirror: PlanMirror | undefined
  const coolDown = new CoolDown(1000, 60_000)
  const registry = new RoomRegistry(store, { debounceMs: 5, maxWaitMs: 20 }, log, (room) =>
    (mirror as PlanMirror).prepare(room),
  )
  mirror = new PlanMirror(store, registry, log)

  const replicas: Replica[] = [
    ...['a', 'b', 'c'].map((name) => ({
      name,
      role: 'edit' as Role,
      token: tokens.edit as string,
    })),
    { name: 'pro', role: 'professional' as Role, token: tokens.professional as string },
  ].map((r) => ({
    ...r,
    doc: new Y.Doc(),
    session: null,
    inbox: [],
    receivedWhilePrivate: 0,
    closedWith: null,
  }))
  let privateTime = false

  const connect = (r: Replica) => {
    r.closedWith = null
    r.inbox = []
    const socket = {
      send: (data: Uint8Array, sent?: () => void) => {
        if (r.session !== session) return sent?.()
        r.inbox.push(data)
        if (privateTime && r.role === 'professional') r.receivedWhilePrivate++
        sent?.()
      },
      close: (code: number) => {
        if (r.session === session) {
          r.session = null
          r.closedWith = code
        }
      },
      buffered: () => 0,
    }
    const session = openSession(socket, { atlasId: ATLAS, doc: 'plan' }, r.token, {
      access,
      registry,
      log,
      limits: DEFAULT_SYNC_LIMITS,
      coolDown,
    })
    r.session = session
    session.message(syncMessage((e) => syncProtocol.writeSyncStep1(e, r.doc)))
  }
  const disconnect = (r: Replica) => {
    r.session?.closed()
    r.session = null
  }
  for (const r of replicas) {
    r.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'server' || !r.session || r.role !== 'edit') return
      r.session.message(syncMessage((e) => syncProtocol.writeUpdate(e, update)))
    })
    connect(r)
  }

  /** Applies the next frame of a replica's inbox, answering a sync step 1. */
  const deliver = (r: Replica) => {
    const frame = r.inbox.shift()
    if (!frame || !r.session) return
    const decoder = decoding.createDecoder(frame)
    if (decoding.readVarUint(decoder) !== 0) return
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 0)
    syncProtocol.readSyncMessage(decoder, encoder, r.doc, 'server')
    if (encoding.length(encoder) > 1 && r.role === 'edit')
      r.session.message(encoding.toUint8Array(encoder))
  }

  const switchPrivateTime = async (on: boolean) => {
    access.setPrivate(ATLAS, on)
    privateTime = on
    for (const r of replicas) if (r.role === 'professional') r.receivedWhilePrivate = 0
    await store.updateMeta(ATLAS, (m) => ({ ...m, privateTime: { on, since: on ? 'now' : null } }))
    await mirror?.mirror(ATLAS)
  }

  const edit = (r: Replica) => {
    const agreements = readAgreements(r.doc)
    const some = agreements.length > 0 ? pick(agreements) : undefined
    const action = random()
    if (!some || action < 0.2) addAgreement(r.doc, pick(QUESTIONS), { what: `${r.name}${seed}` })
    else if (action < 0.5) {
      const text = some.what
      const at = Math.floor(random() * (text.length + 1))
      const next =
        random() < 0.7
          ? `${text.slice(0, at)}${r.name}${text.slice(at)}`
          : text.slice(0, at) + text.slice(at + 1)
      setAgreementText(r.doc, some.id, pick(['what', 'how', 'fallback'] as const), next)
    } else if (action < 0.65) addWho(r.doc, some.id, pick(PEOPLE))
    else if (action < 0.72) removeWho(r.doc, some.id, pick(PEOPLE))
    else if (action < 0.8)
      setAgreementValue(r.doc, some.id, 'frequency', pick(['weekly', 'monthly', null] as const))
    else if (action < 0.86) setMeetingStep(r.doc, pick(MEETING_STEPS))
    else if (action < 0.9) removeAgreement(r.doc, some.id)
    else setAgreementValue(r.doc, some.id, 'backupPersonId', pick(PEOPLE))
  }

  for (let step = 0; step < STEPS; step++) {
    const r = pick(replicas)
    const roll = random()
    if (roll < 0.45 && r.role === 'edit') edit(r)
    else if (roll < 0.75) deliver(r)
    else if (roll < 0.8) {
      // A professional also tries during privétijd: he must be refused before any byte.
      if (r.session) disconnect(r)
      else connect(r)
    } else if (roll < 0.84) await switchPrivateTime(!privateTime)
    else await turn()
    // A professional gets nothing while privétijd is on; his session ends with 4403.
    for (const p of replicas) {
      if (p.role === 'professional' && privateTime) {
        expect(p.receivedWhilePrivate).toBe(0)
        if (p.session === null && p.closedWith !== null) {
          expect(p.closedWith).toBe(CloseCode.PrivateTime)
        }
      }
    }
    if (step % 10 === 0) await turn()
  }

  // Privétijd off, everyone back, everything delivered until quiet.
  if (privateTime) await switchPrivateTime(false)
  for (const r of replicas) if (!r.session) connect(r)
  for (let round = 0; round < 200; round++) {
    await turn()
    await turn()
    for (const r of replicas) while (r.inbox.length > 0) deliver(r)
    if (replicas.every((r) => r.inbox.length === 0)) {
      await turn()
      if (replicas.every((r) => r.inbox.length === 0)) break
    }
  }
  const room = await registry.peek(`${ATLAS}/plan`)
  if (!room) throw new Error('the plan room is not open')
  const expected = readPlan(room.doc)
  for (const r of replicas)
    expect({ seed, name: r.name, plan: readPlan(r.doc) }).toEqual({
      seed,
      name: r.name,
      plan: expected,
    })
  const meta = await store.getMeta(ATLAS)
  if (!meta) throw new Error('no meta')
  expect(expected.server).toEqual(serverPartOf(meta))
  for (const r of replicas) disconnect(r)
}

describe('the plan document, randomised', () => {
  for (const seed of SEEDS) {
    it(`converges with privétijd switched on and off (seed ${seed})`, async () => {
      await run(seed)
    })
  }
})
