import { afterEach } from 'vitest'
import { type ChildServer, removeDir } from './server'

/**
 * What a test file's tests start as child processes: the servers (killed), the clients
 * (destroyed) and the data folders (removed) it lists, after each test.
 */
export function childServersOfEachTest(): {
  servers: ChildServer[]
  providers: { destroy(): void }[]
  dirs: string[]
} {
  const started = {
    servers: [] as ChildServer[],
    providers: [] as { destroy(): void }[],
    dirs: [] as string[],
  }
  afterEach(async () => {
    for (const p of started.providers.splice(0)) p.destroy()
    for (const s of started.servers.splice(0)) {
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL')
      await s.exited
    }
    await Promise.all(started.dirs.splice(0).map(removeDir))
  })
  return started
}
