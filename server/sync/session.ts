import type { Role } from '../../shared/api/atlases'
import { isAtlasId } from '../../shared/sync/ids'
import { CloseCode } from '../../shared/sync/layout'
import { authorize } from '../auth'
import { errorKind, type Logger } from '../log'
import type { MetaStore } from '../storage/types'
import {
  asksForWholeState,
  decodeClientMessage,
  encodeSyncStep2Update,
  MalformedMessageError,
} from './protocol'
import type { ColdAnswer, RoomRegistry } from './registry'
import type { Connection, Room } from './room'

/** The reason sent with `CloseCode.Unauthorized`. */
export const UNAUTHORIZED_REASON = 'Link is not valid'

/** Close code for a failure on the server's side (RFC 6455 "internal error"); clients retry. */
export const INTERNAL_ERROR = 1011

/** Messages a connection may send before its room is loaded; more closes it. */
const MAX_QUEUED_MESSAGES = 256

/** The little a session needs of a websocket. */
export interface SyncSocket {
  /** Sends a message; `sent` is called once it is handed to the network (or dropped). */
  send(data: Uint8Array, sent?: () => void): void
  close(code: number, reason: string): void
}

/** What sessions share: where atlases are checked and where rooms live. */
export interface SessionDeps {
  store: MetaStore
  registry: RoomRegistry
  log: Logger
}

/** Events of one socket, fed to its session by the websocket glue. */
export interface Session {
  message(data: Uint8Array): void
  closed(): void
}

/**
 * The life of one sync connection: check the token (and close with 4401 before sending anything
 * if it grants nothing), join the room, pass messages, leave. Messages that arrive while the
 * room loads are queued. A bad message closes this connection only.
 */
export function openSession(
  socket: SyncSocket,
  atlasId: string,
  token: string | null,
  deps: SessionDeps,
): Session {
  const { registry, log } = deps
  const queue: Uint8Array[] = []
  const atlas = isAtlasId(atlasId) ? atlasId : 'invalid'
  let state: 'pending' | 'joined' | 'ended' = 'pending'
  let conn: Connection | undefined
  let room: Room | undefined
  let role: Role | undefined
  let joinedAt = 0
  // A function, so that TypeScript does not narrow `state` across the awaits below.
  const ended = () => state === 'ended'

  /** Leaves the room; runs after the socket is gone, so a failure can only be logged. */
  const leaveRoom = (c: Connection) =>
    registry.leave(atlasId, c).catch((error) => {
      log.error('sync leave failed', { atlas, error: errorKind(error) })
    })

  const leave = () => {
    if (state === 'joined' && conn) {
      log.info('sync leave', { atlas, role, ms: Date.now() - joinedAt })
      void leaveRoom(conn)
    }
    state = 'ended'
  }

  const end = (code: number, reason: string) => {
    if (state === 'ended') return
    leave()
    socket.close(code, reason)
  }

  /** A client that asked for everything while its atlas loads gets the stored state at once. */
  const answerCold: ColdAnswer = (state) => {
    if (ended()) return undefined
    const at = queue.findIndex((data) => {
      try {
        return asksForWholeState(decodeClientMessage(data))
      } catch {
        return false
      }
    })
    if (at < 0) return undefined
    queue.splice(at, 1)
    return new Promise<void>((resolve) => socket.send(encodeSyncStep2Update(state), resolve))
  }

  const handle = (data: Uint8Array) => {
    if (!room || !conn) return
    try {
      room.receive(conn, data)
    } catch (error) {
      if (error instanceof MalformedMessageError) {
        log.warn('sync message refused', { atlas, role, problem: error.message })
        end(CloseCode.MalformedMessage, 'Message could not be read')
      } else {
        log.error('sync message failed', { atlas, role, error: errorKind(error) })
        end(INTERNAL_ERROR, 'Server error')
      }
    }
  }

  void (async () => {
    try {
      const access = await authorize(deps.store, atlasId, token)
      if (ended()) return
      if (!access) {
        log.info('sync refused', { atlas })
        end(CloseCode.Unauthorized, UNAUTHORIZED_REASON)
        return
      }
      role = access.role
      conn = { role, send: (data) => socket.send(data) }
      const joined = await registry.join(atlasId, conn, answerCold)
      if (ended()) {
        void leaveRoom(conn)
        return
      }
      room = joined
      state = 'joined'
      joinedAt = Date.now()
      log.info('sync join', { atlas, role, clients: joined.size })
      for (const data of queue.splice(0)) {
        if (state !== 'joined') break
        handle(data)
      }
    } catch (error) {
      log.error('sync open failed', { atlas, error: errorKind(error) })
      end(INTERNAL_ERROR, 'Atlas could not be opened')
    }
  })()

  return {
    message(data) {
      if (state === 'joined') handle(data)
      else if (state === 'pending') {
        queue.push(data)
        if (queue.length > MAX_QUEUED_MESSAGES) end(CloseCode.MalformedMessage, 'Too many messages')
      }
    },
    closed: leave,
  }
}
