import type { UnknownRecord } from '@tldraw/store'
import * as encoding from 'lib0/encoding'
import { WebSocket } from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { CreateAtlasResponse } from '../../shared/api/atlases'
import type { CreateLinkResponse } from '../../shared/api/links'
import { RECORDS_KEY } from '../../shared/sync/layout'
import { RecordsMap } from '../../shared/sync/records'

/** Waits until `condition` holds, checking every few milliseconds; fails after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** Creates an atlas through the API. */
export async function createAtlas(
  baseUrl: string,
  title = 'Atlas van Sanne',
): Promise<CreateAtlasResponse> {
  const response = await fetch(`${baseUrl}/api/atlases`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title }),
  })
  if (response.status !== 201) throw new Error(`create atlas: ${response.status}`)
  return (await response.json()) as CreateAtlasResponse
}

/**
 * Writes one geo shape record into a document, as the app's bridge writes it (a map of fields,
 * valid against the atlas schema; `text` is kept in its meta). Tests write records only through
 * this function, so a change of the record layout in the document touches one place.
 */
export function writeShape(
  doc: Y.Doc,
  id: string,
  props: { x: number; y: number; text?: string },
): void {
  doc.transact(() =>
    new RecordsMap(doc).set({
      id: `shape:${id}`,
      typeName: 'shape',
      type: 'geo',
      parentId: 'page:page',
      index: 'a1',
      rotation: 0,
      isLocked: false,
      opacity: 1,
      meta: props.text === undefined ? {} : { text: props.text },
      x: props.x,
      y: props.y,
      props: {
        geo: 'rectangle',
        dash: 'draw',
        url: '',
        w: 100,
        h: 80,
        growY: 0,
        scale: 1,
        flipX: false,
        flipY: false,
        labelColor: 'black',
        color: 'black',
        fill: 'none',
        size: 'm',
        font: 'draw',
        align: 'middle',
        verticalAlign: 'middle',
        richText: { type: 'doc', content: [{ type: 'paragraph' }] },
      },
    } as unknown as UnknownRecord),
  )
}

/** Moves a shape written by `writeShape` (writes only its `x`, as a drag does). */
export function moveShape(doc: Y.Doc, id: string, x: number): void {
  const fields = doc.getMap(RECORDS_KEY).get(`shape:${id}`) as Y.Map<unknown>
  fields.set('x', x)
}

/** Reads back a record written by `writeShape`. */
export function readShape(doc: Y.Doc, id: string): { x: number; y: number } | undefined {
  return new RecordsMap(doc).get(`shape:${id}` as UnknownRecord['id']) as unknown as
    | { x: number; y: number }
    | undefined
}

/** A stock y-websocket provider in Node, connected to the test server. */
export function connectProvider(
  wsUrl: string,
  atlasId: string,
  token: string,
  doc: Y.Doc = new Y.Doc(),
): WebsocketProvider {
  return new WebsocketProvider(wsUrl, atlasId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
  })
}

/** Resolves once the provider has received the server's state. */
export function synced(provider: WebsocketProvider, timeoutMs = 10_000): Promise<void> {
  if (provider.synced) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('provider did not sync')), timeoutMs)
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return
      clearTimeout(timer)
      provider.off('sync', onSync)
      resolve()
    }
    provider.on('sync', onSync)
  })
}

/** Connects a provider with a fresh document and waits for the first sync. */
export async function syncedClient(
  wsUrl: string,
  atlasId: string,
  token: string,
): Promise<WebsocketProvider> {
  const provider = connectProvider(wsUrl, atlasId, token)
  await synced(provider)
  return provider
}

/** A plain websocket that records every frame it receives, for protocol-level tests. */
export interface RawClient {
  ws: WebSocket
  /** Every frame received, in order. */
  frames: Uint8Array[]
  opened: Promise<void>
  closed: Promise<{ code: number; reason: string }>
  send(data: Uint8Array): void
  /** Resolves with the first frame (received from now on) that passes `test`. */
  nextFrame(test: (frame: Uint8Array) => boolean, timeoutMs?: number): Promise<Uint8Array>
}

/** Opens a raw websocket to `/sync/<atlasId>` with the given query token (none if null). */
export function rawClient(wsUrl: string, atlasId: string, token: string | null): RawClient {
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`
  const ws = new WebSocket(`${wsUrl}/${atlasId}${query}`)
  const frames: Uint8Array[] = []
  const waiters: Array<{ test: (f: Uint8Array) => boolean; resolve: (f: Uint8Array) => void }> = []
  ws.on('message', (data: Buffer) => {
    const frame = new Uint8Array(data)
    frames.push(frame)
    for (const w of [...waiters]) {
      if (w.test(frame)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(frame)
      }
    }
  })
  ws.on('error', () => {})
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('close', () => reject(new Error('closed before open')))
  })
  opened.catch(() => {})
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })),
  )
  return {
    ws,
    frames,
    opened,
    closed,
    send: (data) => ws.send(data),
    nextFrame: (test, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no matching frame')), timeoutMs)
        waiters.push({
          test,
          resolve: (f) => {
            clearTimeout(timer)
            resolve(f)
          },
        })
      }),
  }
}

/** Calls the API with a link's secret as bearer token; the body, if any, as JSON. */
export function callApi(
  baseUrl: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<Response> {
  const headers: Record<string, string> = {}
  if (token !== null) headers.Authorization = `Bearer ${token}`
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  return fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

/** Makes a link of `role` through the API (with an edit secret) and returns its answer. */
export async function createLink(
  baseUrl: string,
  atlasId: string,
  editToken: string,
  role: string,
  label: string,
): Promise<CreateLinkResponse> {
  const response = await callApi(baseUrl, 'POST', `/api/atlases/${atlasId}/links`, editToken, {
    role,
    label,
  })
  if (response.status !== 201) throw new Error(`create link: ${response.status}`)
  return (await response.json()) as CreateLinkResponse
}

/** A sync step 1 of an empty document: asks the server for everything it holds. */
export function askForEverything(): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  syncProtocol.writeSyncStep1(encoder, new Y.Doc())
  return encoding.toUint8Array(encoder)
}
