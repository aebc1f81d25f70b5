import type { DeviceInfo } from '../../shared/api/accessLog'
import { isProfessionalRole, type Role } from '../../shared/api/atlases'
import { isAtlasId } from '../../shared/sync/ids'
import { CloseCode } from '../../shared/sync/layout'
import {
  type AccessControl,
  ERASED_REASON,
  PRIVATE_TIME_REASON,
  UNAUTHORIZED_REASON,
} from '../access'
import type { AccessLog } from '../accessLog'
import { errorKind, type Logger } from '../log'
import { type DocName, docKey, StorageUnavailableError } from '../storage/types'
import { MalformedMessageError, SyncRefusal } from './errors'
import type { CoolDown, SyncLimits } from './limits'
import { asksForWholeState, decodeClientMessage, encodeSyncStep2Update } from './protocol'
import { type ColdAnswer, RoomGoneError, RoomLimitError, type RoomRegistry } from './registry'
import type { Connection, Room } from './room'

/** The reason sent with `CloseCode.Unauthorized` (kept beside access control, which sends it too). */
export { UNAUTHORIZED_REASON }

/** Close code for a failure on the server's side (RFC 6455 "internal error"); clients retry. */
export const INTERNAL_ERROR = 1011

/**
 * Longest a join to a cold atlas waits for its client's first message once the stored state is
 * read, so that it can answer from that state (see `ColdAnswer`). A y-websocket client sends its
 * sync step 1 as soon as the socket opens, so this is about one round trip; the client gets
 * nothing before that message anyway, and the room is built once every waiting join decided.
 */
const COLD_FIRST_MESSAGE_MS = 500

/** Messages a connection may send before its room is loaded; more closes it. */
const MAX_QUEUED_MESSAGES = 256

/** The little a session needs of a websocket. */
export interface SyncSocket {
  /** Sends a message; `sent` is called once it is handed to the network (or dropped). */
  send(data: Uint8Array, sent?: () => void): void
  close(code: number, reason: string): void
  /** Bytes handed to `send` that have not reached the network yet. */
  buffered(): number
}

/** What sessions share: who may do what, where rooms live, and how much a client may ask. */
export interface SessionDeps {
  access: AccessControl
  registry: RoomRegistry
  log: Logger
  limits: SyncLimits
  /** Links whose connections were refused lately, and for how long they wait. */
  coolDown: CoolDown
  /** Where a join is noted as an opening of the atlas (none in tools that need no log). */
  accessLog?: AccessLog
}

/** Refusals for what a client sent on purpose or by a fault that repeats: its link cools down. */
const ABUSE: ReadonlySet<number> = new Set([
  CloseCode.UpdateRefused,
  CloseCode.TooManyRequests,
  CloseCode.SendBufferFull,
])

/** Events of one socket, fed to its session by the websocket glue. */
export interface Session {
  message(data: Uint8Array): void
  closed(): void
}

/** Which document of which atlas a connection asks for. */
export interface SessionTarget {
  atlasId: string
  doc: DocName
  /** The kind of device the upgrade request came from, for the access log. */
  device?: DeviceInfo
  /** The build of the app the client runs, as it says (for the log: which versions are out there). */
  app?: string
}

/**
 * The life of one sync connection: check the token (and close with 4401 before sending anything
 * if it grants nothing, 4403 if it is a professional's during privétijd), join the room of the
 * atlas or of its plan, pass messages, leave. Messages that arrive while the room loads are
 * queued, up to a number of bytes, and a connection that has not joined in time is closed. A bad
 * message closes this connection only, as does one the room refuses (with its code and reason).
 * Nothing is ever sent once the session ended, nor to a professional while privétijd is on
 * (asked at every send), nor to a socket whose send buffer is past the limit: it is closed.
 */
export function openSession(
  socket: SyncSocket,
  target: SessionTarget,
  token: string | null,
  deps: SessionDeps,
): Session {
  const { registry, log, access: control, limits } = deps
  const { atlasId } = target
  const queue: Uint8Array[] = []
  let queuedBytes = 0
  const atlas = isAtlasId(atlasId) ? atlasId : 'invalid'
  const key = docKey(atlasId, target.doc)
  const doc = target.doc
  let state: 'pending' | 'joined' | 'ended' = 'pending'
  let conn: Connection | undefined
  let room: Room | undefined
  let role: Role | undefined
  /** The link's stored hash, once the token is known to be one (for `CoolDown`). */
  let linkHash: string | undefined
  let joinedAt = 0
  let unregister = () => {}
  /** Ends the wait for the client's first message (see `firstMessage`). */
  let messageCame: (() => void) | undefined
  // A function, so that TypeScript does not narrow `state` across the awaits below.
  const ended = () => state === 'ended'

  /** Leaves the room; runs after the socket is gone, so a failure can only be logged. */
  const leaveRoom = (c: Connection) =>
    registry.leave(key, c).catch((error) => {
      log.error('sync leave failed', { atlas, doc, error: errorKind(error) })
    })

  const leave = () => {
    clearTimeout(joinTimer)
    messageCame?.()
    unregister()
    if (state === 'joined' && conn) {
      log.info('sync leave', { atlas, doc, role, ms: Date.now() - joinedAt })
      void leaveRoom(conn)
    }
    state = 'ended'
  }

  const end = (code: number, reason: string) => {
    if (state === 'ended') return
    leave()
    socket.close(code, reason)
  }

  /** Ends the connection for what it did, and says so in the log (the reason, never data). */
  const refuse = (code: number, reason: string, why: string) => {
    if (state === 'ended') return
    log.warn('sync closed', { atlas, doc, role, code, why })
    // An update that builds on what the server lacks is a race an honest device can run into
    // (it reconnects and sends everything); the other refusals are the sender's own doing.
    if (linkHash !== undefined && ABUSE.has(code) && why !== 'incomplete') {
      deps.coolDown.strike(linkHash)
    }
    end(code, reason)
  }

  const joinTimer = setTimeout(() => {
    if (state === 'pending') refuse(CloseCode.JoinTimeout, 'Not joined in time', 'join timeout')
  }, limits.joinTimeoutMs)
  joinTimer.unref()

  /** Whether this connection may be sent anything now. */
  const mayReceive = () =>
    state !== 'ended' && role !== undefined && control.mayReceive(atlasId, role)

  /** Resolves when the client sent its first message, the session ended, or after `ms`. */
  const firstMessage = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        messageCame = undefined
        resolve()
      }
      messageCame = done
    })

  /** A client that asked for everything while its atlas loads gets the stored state at once. */
  const answerCold: ColdAnswer = async (state) => {
    // The load may be done before the client's sync step 1 has come in: it is on its way.
    if (queue.length === 0 && mayReceive()) await firstMessage(COLD_FIRST_MESSAGE_MS)
    if (!mayReceive()) return undefined
    const at = queue.findIndex((data) => {
      try {
        return asksForWholeState(decodeClientMessage(data))
      } catch {
        return false
      }
    })
    if (at < 0) return undefined
    queue.splice(at, 1)
    return {
      flushed: new Promise<void>((resolve) => socket.send(encodeSyncStep2Update(state), resolve)),
    }
  }

  const handle = (data: Uint8Array) => {
    if (!room || !conn) return
    try {
      room.receive(conn, data)
    } catch (error) {
      if (error instanceof SyncRefusal) refuse(error.code, error.reason, error.why)
      else if (error instanceof MalformedMessageError) {
        log.warn('sync message refused', { atlas, doc, role, problem: error.message })
        end(CloseCode.MalformedMessage, 'Message could not be read')
      } else {
        log.error('sync message failed', { atlas, doc, role, error: errorKind(error) })
        end(INTERNAL_ERROR, 'Server error')
      }
    }
  }

  void (async () => {
    try {
      const access = await control.authorize(atlasId, token)
      if (ended()) return
      if (!access) {
        log.info('sync refused', { atlas, doc })
        if (control.isErased(atlasId)) end(CloseCode.Erased, ERASED_REASON)
        else end(CloseCode.Unauthorized, UNAUTHORIZED_REASON)
        return
      }
      role = access.role
      if (!control.mayReceive(atlasId, role)) {
        log.info('sync refused', { atlas, doc, role, reason: 'private time' })
        end(CloseCode.PrivateTime, PRIVATE_TIME_REASON)
        return
      }
      linkHash = access.link.hash
      if (control.connectionCount(atlasId) >= limits.maxConnectionsPerAtlas) {
        refuse(CloseCode.TryAgainLater, 'Too many connections to this atlas', 'atlas connections')
        return
      }
      unregister = control.register({ atlasId, role, linkId: access.link.id, end })
      conn = {
        role,
        link: access.link.id,
        send: (data, kind) => {
          if (!mayReceive()) return
          const buffered = socket.buffered()
          // Presence is for now; a socket that is behind misses it rather than queueing more.
          if (kind === 'presence' && buffered > limits.presenceSkipBufferBytes) return
          if (buffered > limits.maxSendBufferBytes) {
            refuse(
              CloseCode.SendBufferFull,
              'Send buffer full: the connection does not read',
              'send buffer',
            )
            return
          }
          socket.send(data)
        },
      }
      // A professional never gets the stored state unread: it may hold drafts of privétijd that
      // the room's document (which keeps no deleted content) has long dropped.
      const joined = await registry.join(
        key,
        conn,
        isProfessionalRole(role) ? undefined : answerCold,
      )
      if (ended()) {
        void leaveRoom(conn)
        return
      }
      room = joined
      state = 'joined'
      clearTimeout(joinTimer)
      joinedAt = Date.now()
      log.info('sync join', { atlas, doc, role, clients: joined.size, app: target.app })
      if (target.device) deps.accessLog?.opened(access, target.device)
      for (const data of queue.splice(0)) {
        if (state !== 'joined') break
        handle(data)
      }
    } catch (error) {
      if (error instanceof RoomGoneError) {
        end(CloseCode.Erased, ERASED_REASON)
        return
      }
      if (error instanceof RoomLimitError) {
        refuse(CloseCode.TryAgainLater, 'Too many atlases open, try again later', 'open rooms')
        return
      }
      if (error instanceof StorageUnavailableError) {
        // The device keeps its copy and reconnects by itself; nothing is wrong with the atlas.
        log.warn('sync open failed', { atlas, doc, error: errorKind(error) })
        end(CloseCode.TryAgainLater, 'Storage out of reach, try again later')
        return
      }
      log.error('sync open failed', { atlas, doc, error: errorKind(error) })
      end(INTERNAL_ERROR, 'Atlas could not be opened')
    }
  })()

  return {
    message(data) {
      if (state === 'joined') handle(data)
      else if (state === 'pending') {
        queue.push(data)
        queuedBytes += data.byteLength
        messageCame?.()
        if (queue.length > MAX_QUEUED_MESSAGES || queuedBytes > limits.maxBytesBeforeJoin) {
          queue.length = 0
          refuse(CloseCode.TooManyRequests, 'Too much sent before joining', 'sent before joining')
        }
      }
    },
    closed: leave,
  }
}
