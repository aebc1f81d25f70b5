import { afterEach, inject } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { connectProvider, synced } from './clients'
import { type ChildServer, makeDataDir, removeDir, spawnServer } from './server'
import { freshDatabase } from './services'

/** What a test file's tests start as child processes, and the ways to start them. */
export interface ChildServersOfEachTest {
  servers: ChildServer[]
  providers: { destroy(): void }[]
  dirs: string[]
  /** A new data folder, removed after the test. */
  dataDir(): Promise<string>
  /** Starts a server process on `dataDir` (as `spawnServer`), killed after the test. */
  spawn(dataDir: string, env?: Record<string, string>, nodeArgs?: string[]): Promise<ChildServer>
  /** A new, empty database on this run's PostgreSQL (`scaled-services.ts`). */
  database(): Promise<string>
  /** Starts a server in the scaled mode on `databaseUrl` and this run's Redis (`env` may name another). */
  scaled(databaseUrl: string, env?: Record<string, string>): Promise<ChildServer>
  /** A stock y-websocket client on the server at `wsUrl`, once in step with it. */
  client(wsUrl: string, atlasId: string, token: string): Promise<WebsocketProvider>
}

/**
 * What a test file's tests start as child processes: the servers (killed), the clients
 * (destroyed) and the data folders (removed) it lists, after each test.
 */
export function childServersOfEachTest(): ChildServersOfEachTest {
  const servers: ChildServer[] = []
  const providers: { destroy(): void }[] = []
  const dirs: string[] = []
  afterEach(async () => {
    for (const p of providers.splice(0)) p.destroy()
    for (const s of servers.splice(0)) {
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL')
      await s.exited
    }
    await Promise.all(dirs.splice(0).map(removeDir))
  })
  const fixture: ChildServersOfEachTest = {
    servers,
    providers,
    dirs,
    async dataDir() {
      const dir = await makeDataDir()
      dirs.push(dir)
      return dir
    },
    async spawn(dataDir, env = {}, nodeArgs = []) {
      const server = await spawnServer(dataDir, env, nodeArgs)
      servers.push(server)
      return server
    },
    database: () => freshDatabase(inject('postgresUrl')),
    async scaled(databaseUrl, env = {}) {
      return fixture.spawn(await fixture.dataDir(), {
        DATABASE_URL: databaseUrl,
        REDIS_URL: inject('redisUrl'),
        ...env,
      })
    },
    async client(wsUrl, atlasId, token) {
      const provider = connectProvider(wsUrl, atlasId, token)
      providers.push(provider)
      await synced(provider)
      return provider
    },
  }
  return fixture
}
