import { afterAll, afterEach, beforeAll } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { type RawClient, rawClient, syncedClient } from './clients'
import { removeDir, startTestServer, type TestServer } from './server'

/** What `serverOfThisFile` gives a test file. */
export interface ServerOfFile {
  /** The file's server (its fields can be read once `beforeAll` ran). */
  server: TestServer
  /** Clients a test connects itself, destroyed after the test. */
  providers: WebsocketProvider[]
  /** Raw sockets a test opens itself, terminated after the test. */
  raws: RawClient[]
  /** A client synced with `room`, destroyed after the test. */
  client(room: string, token: string): Promise<WebsocketProvider>
  /** A raw socket to `room` with `token` (none if null), terminated after the test. */
  raw(room: string, token: string | null): RawClient
}

/**
 * One real server in this process for a test file (started before its first test, closed and
 * its data folder removed after its last); each test's clients and sockets are closed after it.
 */
export function serverOfThisFile(options?: Parameters<typeof startTestServer>[0]): ServerOfFile {
  let started: TestServer | undefined
  const providers: WebsocketProvider[] = []
  const raws: RawClient[] = []

  beforeAll(async () => {
    started = await startTestServer(options)
  })
  afterEach(() => {
    for (const p of providers.splice(0)) p.destroy()
    for (const r of raws.splice(0)) r.ws.terminate()
  })
  afterAll(async () => {
    if (!started) return
    await started.close()
    await removeDir(started.dataDir)
  })

  const running = (): TestServer => {
    if (!started) throw new Error('the server starts in beforeAll')
    return started
  }
  // Read through at each use: the file holds this object from its first line, the server comes later.
  const server = new Proxy({} as TestServer, { get: (_, key) => Reflect.get(running(), key) })
  return {
    server,
    providers,
    raws,
    async client(room, token) {
      const provider = await syncedClient(server.wsUrl, room, token)
      providers.push(provider)
      return provider
    },
    raw(room, token) {
      const r = rawClient(server.wsUrl, room, token)
      raws.push(r)
      return r
    },
  }
}
