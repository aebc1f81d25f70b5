import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serveNodeOptions } from '../../server/build'
import { loadConfig } from '../../server/config'
import { createLogger } from '../../server/log'
import { type RunningServer, startServer } from '../../server/server'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

/**
 * Tests make many atlases from one address in a minute; the per-address limits are tested on
 * their own (tests/security/volume.test.ts), with these set in the test's env.
 */
const MANY_PER_MINUTE = { ATLAS_CREATIONS_PER_MINUTE: '100000', IMPORTS_PER_MINUTE: '100000' }

/** A fresh temporary folder for one server's data. */
export function makeDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'netwerkatlas-test-'))
}

/** Removes a folder made by `makeDataDir`. */
export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true })
}

/** A real server running in this process. */
export interface TestServer {
  url: string
  /** Base URL for y-websocket: `ws://127.0.0.1:<port>/sync`. */
  wsUrl: string
  port: number
  dataDir: string
  /** Every line the server logged. */
  logs: string[]
  server: RunningServer
  /** Stops the server the way SIGTERM does (data stays on disk). */
  close(): Promise<void>
}

/** Starts the real server on a free port, in this process, with its data in `dataDir` (a new temp folder by default). */
export async function startTestServer(
  options: { dataDir?: string; env?: Record<string, string> } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await makeDataDir())
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    CLIENT_DIR: join(dataDir, 'no-client-build'),
    LOG_LEVEL: 'debug',
    ...MANY_PER_MINUTE,
    ...options.env,
  })
  const logs: string[] = []
  const server = await startServer(
    config,
    createLogger(config.logLevel, (line) => logs.push(line)),
  )
  return {
    url: server.url,
    wsUrl: `${server.url.replace(/^http/, 'ws')}/sync`,
    port: server.port,
    dataDir,
    logs,
    server,
    close: () => server.close(),
  }
}

/**
 * Where the integration tests' global setup builds the server (its own folder: a concurrent
 * `npm run build` never swaps the files under a running test).
 */
export const TEST_SERVER_DIR = join(repoRoot, 'dist/test-server')

/**
 * The server as a separate process, built and started as `npm start` does (`node
 * dist/…/main.mjs`), for restart and crash tests.
 */
export interface ChildServer {
  url: string
  wsUrl: string
  port: number
  child: ChildProcess
  /** Everything the process printed so far (stdout and stderr). */
  output(): string
  /** Resolves with how the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/**
 * Spawns the server on a free port with its data in `dataDir`; resolves once it prints its
 * listening line. `nodeArgs` go to Node before the server's own options (e.g. an `--import`).
 */
export function spawnServer(
  dataDir: string,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<ChildServer> {
  const main = join(TEST_SERVER_DIR, 'main.mjs')
  const child = spawn(process.execPath, [...nodeArgs, ...serveNodeOptions(), main], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      CLIENT_DIR: join(dataDir, 'no-client-build'),
      LOG_LEVEL: 'info',
      ...MANY_PER_MINUTE,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`server did not start within 20 s:\n${output}`))
    }, 20_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8')
      const match = /^Netwerkatlas listening on (http:\/\/\S+)$/m.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        const url = match[1]
        const port = Number(new URL(url).port)
        resolve({
          url,
          wsUrl: `${url.replace(/^http/, 'ws')}/sync`,
          port,
          child,
          output: () => output,
          exited,
        })
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    void exited.then(({ code, signal }) => {
      clearTimeout(timer)
      reject(
        new Error(`server exited (code ${code}, signal ${signal}) before listening:\n${output}`),
      )
    })
  })
}
