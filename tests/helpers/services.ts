/**
 * The scaled mode's services for tests: a throw-away PostgreSQL (initdb into a temp folder,
 * pg_ctl on a free port) and a throw-away redis-server, both started from Debian's packages
 * (`.ci/run` installs them; nothing on the machine runs them). Nothing is mocked.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { chmod, chown, mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'

const run = promisify(execFile)

/** The user a test database runs as (the cluster's superuser, trusted on localhost only). */
const DB_USER = 'netwerkatlas'

/** Debian's PostgreSQL binaries, the newest major installed; null when there are none. */
export function postgresBinDir(): string | null {
  let majors: string[]
  try {
    majors = readdirSync('/usr/lib/postgresql')
  } catch {
    return null
  }
  const newest = majors.filter((m) => /^\d+$/.test(m)).sort((a, b) => Number(b) - Number(a))[0]
  return newest ? `/usr/lib/postgresql/${newest}/bin` : null
}

/**
 * The ports the kernel hands out on its own (for `listen(0)` and for outgoing connections). A
 * service that is stopped and started again on its port must live below them: otherwise, while
 * it is down, another socket may be given that port, or a client trying to reach it may be
 * connected to itself.
 */
function ephemeralLow(): number {
  try {
    const low = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0],
    )
    return Number.isInteger(low) && low > 2048 ? low : 32768
  } catch {
    return 32768
  }
}

/**
 * A port that was free a moment ago, below the kernel's ephemeral range (see `ephemeralLow`), so
 * it stays free while a test stops and starts its service. Random within the 10,000 ports below
 * that range, so that test files in parallel do not meet; tried with a listen before it is given.
 */
export async function freePort(): Promise<number> {
  const high = ephemeralLow()
  const low = Math.max(1024, high - 10_000)
  for (let tries = 0; tries < 50; tries++) {
    const port = low + Math.floor(Math.random() * (high - low))
    if (await canListen(port)) return port
  }
  throw new Error(`no free port found between ${low} and ${high}`)
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}

/** A throw-away PostgreSQL cluster. */
export interface TestPostgres {
  /** `postgres://netwerkatlas@127.0.0.1:<port>/postgres` */
  url: string
  port: number
  /** Stops the server (fast shutdown), keeping its files: `start` brings it back on the same port. */
  stop(): Promise<void>
  start(): Promise<void>
  /** Stops it and removes its files. */
  remove(): Promise<void>
}

/**
 * Starts a new PostgreSQL cluster in a temp folder. PostgreSQL refuses to run as root: as root
 * the folder is given to the `postgres` user and every command runs as that user.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir()
  if (!bin) {
    throw new Error(
      'PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin): `apt-get install postgresql`, as .ci/run does',
    )
  }
  const asRoot = process.getuid?.() === 0
  const dir = await mkdtemp(join(tmpdir(), 'netwerkatlas-pg-'))
  await chmod(dir, 0o700)
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres'])
    const { stdout: gid } = await run('id', ['-g', 'postgres'])
    await chown(dir, Number(stdout.trim()), Number(gid.trim()))
  }
  const as = (command: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args)
  const data = join(dir, 'data')
  await as(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    DB_USER,
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ])
  const port = await freePort()
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses='127.0.0.1'",
    '-c max_connections=200',
  ].join(' ')
  const ctl = (action: string, extra: string[] = []) =>
    as(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), ...extra, action])
  const start = async () => {
    try {
      await ctl('start', ['-w', '-t', '30', '-o', options])
    } catch (error) {
      const log = await readFile(join(dir, 'server.log'), 'utf8').catch(() => '')
      throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${log}`)
    }
  }
  const stop = async () => {
    await ctl('stop', ['-w', '-t', '30', '-m', 'fast'])
  }
  await start()
  return {
    url: `postgres://${DB_USER}@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    remove: async () => {
      await stop().catch(() => {})
      await rm(dir, { recursive: true, force: true })
    },
  }
}

let databases = 0

/** Makes a new empty database on the cluster at `clusterUrl`; returns its address. */
export async function freshDatabase(clusterUrl: string): Promise<string> {
  const name = `atlas_${process.pid}_${Date.now()}_${++databases}`
  const client = new pg.Client({ connectionString: clusterUrl })
  await client.connect()
  try {
    await client.query(`CREATE DATABASE ${name}`)
  } finally {
    await client.end()
  }
  const url = new URL(clusterUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** A throw-away redis-server. */
export interface TestRedis {
  url: string
  port: number
  stop(): Promise<void>
}

/** Starts redis-server on `port` (a free one by default), keeping nothing on disk. */
export async function startRedis(port?: number): Promise<TestRedis> {
  port ??= await freePort()
  const dir = await mkdtemp(join(tmpdir(), 'netwerkatlas-redis-'))
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`redis-server did not start within 20 s:\n${output}`))
    }, 20_000)
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(
        new Error(
          `redis-server could not be started (${error.message}): \`apt-get install redis-server\`, as .ci/run does`,
        ),
      )
    })
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8')
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8')
    })
    void exited.then(() => {
      clearTimeout(timer)
      reject(new Error(`redis-server exited before it was ready:\n${output}`))
    })
  })
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
      await rm(dir, { recursive: true, force: true })
    },
  }
}
