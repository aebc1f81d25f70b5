import { resolve } from 'node:path'
import { z } from 'zod'
import { RecordSchemaVersions } from '../shared/api/serverVersion'
import type { HistoryOptions } from './history'
import { parseEncryptionKey } from './storage/encryption'
import { DEFAULT_SYNC_LIMITS, type SyncLimits } from './sync/limits'

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const

/** Log levels, least to most severe; `silent` logs nothing. */
export type LogLevel = (typeof LOG_LEVELS)[number]

const port = z
  .string()
  .regex(/^\d+$/, 'must be a whole number from 0 to 65535')
  .transform(Number)
  .refine((n) => n <= 65535, 'must be a whole number from 0 to 65535')

const milliseconds = (max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number of milliseconds from 0 to ${max}`)
    .transform(Number)
    .refine((n) => n <= max, `must be a whole number of milliseconds from 0 to ${max}`)

const nonEmpty = z.string().trim().min(1, 'must not be empty')

/** A whole number from 1 up (a limit). */
const count = (unit = '') =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number${unit} of at least 1`)
    .transform(Number)
    .refine((n) => n >= 1 && Number.isSafeInteger(n), `must be a whole number${unit} of at least 1`)

/** A whole number from 0 up. */
const wholeFrom0 = (unit = '') =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number${unit} (0 or more)`)
    .transform(Number)
    .refine((n) => Number.isSafeInteger(n), `must be a whole number${unit} (0 or more)`)

const L = DEFAULT_SYNC_LIMITS

/** A service address with one of the given schemes (`postgres:`, `redis:` …), never repeated back. */
const serviceUrl = (schemes: readonly string[], example: string) =>
  z.string().refine((text) => {
    try {
      return schemes.includes(new URL(text).protocol.slice(0, -1))
    } catch {
      return false
    }
  }, `must be an address such as ${example}`)

/** An at-rest key: 32 bytes as hex or base64. */
const encryptionKey = z.string().transform((text, ctx) => {
  const key = parseEncryptionKey(text)
  if (!key) {
    ctx.addIssue({
      code: 'custom',
      message:
        'must be 32 bytes as 64 hex digits or as base64 (e.g. the output of `openssl rand -base64 32`)',
    })
    return z.NEVER
  }
  return key
})

/** A serialised record schema given as JSON (`TEST_ANNOUNCED_SCHEMA`). */
const recordSchemaJson = z.string().transform((text, ctx) => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    value = undefined
  }
  const parsed = RecordSchemaVersions.safeParse(value)
  if (!parsed.success) {
    ctx.addIssue({
      code: 'custom',
      message:
        'must be a serialised record schema as JSON: {"schemaVersion":2,"sequences":{"<sequence>":<version>,…}}',
    })
    return z.NEVER
  }
  return parsed.data
})

const databaseUrl = () =>
  serviceUrl(['postgres', 'postgresql'], 'postgres://user:password@host:5432/netwerkatlas')

const EnvSchema = z
  .object({
    PORT: port.default(8787),
    HOST: nonEmpty.default('127.0.0.1'),
    DATA_DIR: nonEmpty.default('./data'),
    CLIENT_DIR: nonEmpty.default('./dist/client'),
    LOG_LEVEL: z
      .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })
      .default('info'),
    SAVE_DEBOUNCE_MS: milliseconds(1000).default(200),
    SAVE_MAX_WAIT_MS: milliseconds(1000).default(700),
    ROOM_IDLE_MS: milliseconds(3_600_000).default(10_000),
    SAVE_RETRY_MAX_MS: count(' of milliseconds').default(30_000),
    ATLAS_ENCRYPTION_KEY: encryptionKey.optional(),
    MAX_UPDATE_STRUCTS: count().default(L.maxUpdateStructs),
    UPDATE_STRUCTS_PER_MINUTE: count().default(L.updateStructsPerMinute),
    MAX_UPDATE_DELETE_RANGES: count().default(L.maxUpdateDeleteRanges),
    MAX_DOCUMENT_BYTES: count(' of bytes').default(L.maxDocumentBytes),
    SYNC_ANSWERS_PER_MINUTE: count().default(L.syncAnswersPerMinute),
    PRESENCE_QUERIES_PER_MINUTE: count().default(L.presenceQueriesPerMinute),
    PRESENCE_UPDATES_PER_SECOND: count().default(L.presenceUpdatesPerSecond),
    MAX_PRESENCE_BYTES: count(' of bytes').default(L.maxPresenceBytes),
    MAX_SEND_BUFFER_BYTES: count(' of bytes').default(L.maxSendBufferBytes),
    PRESENCE_SKIP_BUFFER_BYTES: count(' of bytes').default(L.presenceSkipBufferBytes),
    JOIN_TIMEOUT_MS: count(' of milliseconds').default(L.joinTimeoutMs),
    MAX_BYTES_BEFORE_JOIN: count(' of bytes').default(L.maxBytesBeforeJoin),
    MAX_CONNECTIONS_PER_ATLAS: count().default(L.maxConnectionsPerAtlas),
    MAX_CONNECTIONS_PER_ADDRESS: count().default(L.maxConnectionsPerAddress),
    MAX_OPEN_ROOMS: count().default(L.maxOpenRooms),
    REFUSAL_COOL_DOWN_MS: count(' of milliseconds').default(L.refusalCoolDownMs),
    REFUSAL_COOL_DOWN_MAX_MS: count(' of milliseconds').default(L.refusalCoolDownMaxMs),
    HTTP_HEADERS_TIMEOUT_MS: count(' of milliseconds').default(10_000),
    HTTP_REQUEST_TIMEOUT_MS: count(' of milliseconds').default(60_000),
    ACCESS_LOG_DAYS: count(' of days').default(365),
    HISTORY_INTERVAL_MS: count(' of milliseconds').default(3_600_000),
    HISTORY_KEEP_DAYS: count(' of days').default(90),
    HISTORY_MAX_SNAPSHOTS: count().default(500),
    ATLAS_CREATIONS_PER_MINUTE: count().default(10),
    IMPORTS_PER_MINUTE: count().default(5),
    MAX_IMPORT_RECORDS: count().default(100_000),
    MIN_FREE_DISK_MB: wholeFrom0(' of MB').default(100),
    ADDRESS_BLOCK_REFUSALS: wholeFrom0().default(60),
    ADDRESS_BLOCK_SECONDS: count(' of seconds').default(60),
    PUBLIC_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// address' })
      .optional(),
    TRUST_PROXY: z
      .enum(['0', '1', 'false', 'true'], { error: 'must be true or false' })
      .transform((v) => v === '1' || v === 'true')
      .default(false),
    DATABASE_URL: databaseUrl().optional(),
    REDIS_URL: serviceUrl(['redis', 'rediss'], 'redis://host:6379').optional(),
    TEST_ANNOUNCED_SCHEMA: recordSchemaJson.optional(),
  })
  // The two services make one mode: storage in PostgreSQL without rooms shared through Redis
  // would let two instances edit one atlas apart, and the other way round has nowhere to store.
  .refine((env) => env.REDIS_URL !== undefined || env.DATABASE_URL === undefined, {
    path: ['REDIS_URL'],
    message:
      'is not set, but DATABASE_URL is: the scaled mode needs both (PostgreSQL and Redis); set neither for the embedded mode',
  })
  .refine((env) => env.DATABASE_URL !== undefined || env.REDIS_URL === undefined, {
    path: ['DATABASE_URL'],
    message:
      'is not set, but REDIS_URL is: the scaled mode needs both (PostgreSQL and Redis); set neither for the embedded mode',
  })
  .refine((env) => env.SAVE_DEBOUNCE_MS <= env.SAVE_MAX_WAIT_MS, {
    path: ['SAVE_DEBOUNCE_MS'],
    message: 'must not be larger than SAVE_MAX_WAIT_MS',
  })
  .refine((env) => env.MAX_SEND_BUFFER_BYTES >= env.MAX_DOCUMENT_BYTES, {
    // A document's whole state must fit in a send buffer, or a device that joins it is closed.
    path: ['MAX_SEND_BUFFER_BYTES'],
    message: 'must not be smaller than MAX_DOCUMENT_BYTES',
  })
  .refine((env) => env.PRESENCE_SKIP_BUFFER_BYTES <= env.MAX_SEND_BUFFER_BYTES, {
    path: ['PRESENCE_SKIP_BUFFER_BYTES'],
    message: 'must not be larger than MAX_SEND_BUFFER_BYTES',
  })
  .refine((env) => env.REFUSAL_COOL_DOWN_MS <= env.REFUSAL_COOL_DOWN_MAX_MS, {
    path: ['REFUSAL_COOL_DOWN_MS'],
    message: 'must not be larger than REFUSAL_COOL_DOWN_MAX_MS',
  })
  .refine((env) => env.HTTP_HEADERS_TIMEOUT_MS <= env.HTTP_REQUEST_TIMEOUT_MS, {
    path: ['HTTP_HEADERS_TIMEOUT_MS'],
    message: 'must not be larger than HTTP_REQUEST_TIMEOUT_MS',
  })

/** The server's settings, read once from the environment at start-up. */
export interface Config {
  port: number
  host: string
  /** Absolute path of the embedded storage. */
  dataDir: string
  /** Absolute path of the built client. */
  clientDir: string
  logLevel: LogLevel
  /** Quiet time after an edit before the atlas is saved. */
  saveDebounceMs: number
  /** Longest an edit waits to be saved while edits keep coming. */
  saveMaxWaitMs: number
  /** How long a document stays in memory after its last connection left. */
  roomIdleMs: number
  /** Longest pause between tries of a save that keeps failing (a full disk). */
  saveRetryMaxMs: number
  /** The key that encrypts stored atlases (AES-256-GCM), or null: stored as they are. */
  encryptionKey: Buffer | null
  /** What one client may ask of the sync server. */
  limits: SyncLimits
  /** Days an entry of an atlas's access log is kept. */
  accessLogDays: number
  /** How the history of the maps is kept (`server/history.ts`). */
  history: HistoryOptions
  /** Node's HTTP time-outs: the whole headers, and the whole request. */
  http: { headersTimeoutMs: number; requestTimeoutMs: number }
  /** What one address may make, how large an import may be, and the disk space kept free. */
  volume: VolumeLimits
  /** The address people open the app at, if set; an https one turns on HSTS. */
  publicUrl: string | null
  /**
   * Whether a reverse proxy in front sets X-Forwarded-For: then a client's address (for the
   * per-address limits) is the last one in it, not the proxy's.
   */
  trustProxy: boolean
  /**
   * The scaled mode's services (`DATABASE_URL` and `REDIS_URL`), or null: the embedded mode
   * (atlases in `dataDir`, no other service).
   */
  scaled: ScaledServices | null
  /**
   * For tests only (`TEST_ANNOUNCED_SCHEMA`): the record schema `GET /api/version` announces
   * instead of the server's own, so a test can stand a server in for an older build. Null: its own.
   */
  announcedSchema: RecordSchemaVersions | null
}

/** Where the scaled mode keeps atlases (PostgreSQL) and shares rooms (Redis). */
export interface ScaledServices {
  databaseUrl: string
  redisUrl: string
}

/** Variables whose value an error message never repeats (a service address holds a password). */
const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'ATLAS_ENCRYPTION_KEY',
  'DATABASE_URL',
  'REDIS_URL',
])

/** Limits on making atlases (`POST /api/atlases` and its import). */
export interface VolumeLimits {
  /** New atlases per client address and minute. */
  atlasCreationsPerMinute: number
  /** Imports per client address and minute. */
  importsPerMinute: number
  /** Records one atlas file may hold. */
  maxImportRecords: number
  /** Below this much free space in the data folder no atlas is made (0: never refused). */
  minFreeDiskBytes: number
  /** Refusals per minute after which an address is blocked (0: never blocked). */
  addressBlockRefusals: number
  /** How long a blocked address stays blocked. */
  addressBlockSeconds: number
}

/** Thrown by `loadConfig` with a message meant for the person starting the server. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** The variables that are set: an empty one means "not set", as in most shells' `VAR= command`. */
function presentIn(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]),
  )
}

/** Parses `present` with `schema`; throws `ConfigError` naming each variable that is wrong. */
function parseEnv<T>(schema: z.ZodType<T>, present: Record<string, string>): T {
  const parsed = schema.safeParse(present)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.') || 'environment'
      const given =
        typeof issue.path[0] === 'string' && !SECRET_VARIABLES.has(issue.path[0])
          ? present[issue.path[0]]
          : undefined
      return `  ${name}${given === undefined ? '' : ` (got "${given}")`}: ${issue.message}`
    })
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
  }
  return parsed.data
}

/** Parses and validates the environment; relative paths resolve against `cwd`. */
export function loadConfig(
  env: Record<string, string | undefined>,
  cwd: string = process.cwd(),
): Config {
  const present = presentIn(env)
  const e = parseEnv(EnvSchema, present)
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(cwd, e.DATA_DIR),
    clientDir: resolve(cwd, e.CLIENT_DIR),
    logLevel: e.LOG_LEVEL,
    saveDebounceMs: e.SAVE_DEBOUNCE_MS,
    saveMaxWaitMs: e.SAVE_MAX_WAIT_MS,
    roomIdleMs: e.ROOM_IDLE_MS,
    saveRetryMaxMs: e.SAVE_RETRY_MAX_MS,
    encryptionKey: e.ATLAS_ENCRYPTION_KEY ?? null,
    limits: {
      maxUpdateStructs: e.MAX_UPDATE_STRUCTS,
      updateStructsPerMinute: e.UPDATE_STRUCTS_PER_MINUTE,
      maxUpdateDeleteRanges: e.MAX_UPDATE_DELETE_RANGES,
      maxDocumentBytes: e.MAX_DOCUMENT_BYTES,
      syncAnswersPerMinute: e.SYNC_ANSWERS_PER_MINUTE,
      presenceQueriesPerMinute: e.PRESENCE_QUERIES_PER_MINUTE,
      presenceUpdatesPerSecond: e.PRESENCE_UPDATES_PER_SECOND,
      maxPresenceBytes: e.MAX_PRESENCE_BYTES,
      maxSendBufferBytes: e.MAX_SEND_BUFFER_BYTES,
      presenceSkipBufferBytes: e.PRESENCE_SKIP_BUFFER_BYTES,
      joinTimeoutMs: e.JOIN_TIMEOUT_MS,
      maxBytesBeforeJoin: e.MAX_BYTES_BEFORE_JOIN,
      maxConnectionsPerAtlas: e.MAX_CONNECTIONS_PER_ATLAS,
      maxConnectionsPerAddress: e.MAX_CONNECTIONS_PER_ADDRESS,
      maxOpenRooms: e.MAX_OPEN_ROOMS,
      refusalCoolDownMs: e.REFUSAL_COOL_DOWN_MS,
      refusalCoolDownMaxMs: e.REFUSAL_COOL_DOWN_MAX_MS,
    },
    accessLogDays: e.ACCESS_LOG_DAYS,
    history: {
      intervalMs: e.HISTORY_INTERVAL_MS,
      keepDays: e.HISTORY_KEEP_DAYS,
      maxSnapshots: e.HISTORY_MAX_SNAPSHOTS,
    },
    http: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
    },
    volume: {
      atlasCreationsPerMinute: e.ATLAS_CREATIONS_PER_MINUTE,
      importsPerMinute: e.IMPORTS_PER_MINUTE,
      maxImportRecords: e.MAX_IMPORT_RECORDS,
      minFreeDiskBytes: e.MIN_FREE_DISK_MB * 1024 * 1024,
      addressBlockRefusals: e.ADDRESS_BLOCK_REFUSALS,
      addressBlockSeconds: e.ADDRESS_BLOCK_SECONDS,
    },
    publicUrl: e.PUBLIC_URL ?? null,
    trustProxy: e.TRUST_PROXY,
    scaled:
      e.DATABASE_URL !== undefined && e.REDIS_URL !== undefined
        ? { databaseUrl: e.DATABASE_URL, redisUrl: e.REDIS_URL }
        : null,
    announcedSchema: e.TEST_ANNOUNCED_SCHEMA ?? null,
  }
}

/** What `npm run migrate-storage` reads: the folder to move from, the database to move into. */
export interface MigrationConfig {
  /** Absolute path of the embedded storage. */
  dataDir: string
  databaseUrl: string
  /** The folder's key (the database is sealed with it too), or null. */
  encryptionKey: Buffer | null
}

const MigrationEnvSchema = z.object({
  DATA_DIR: nonEmpty.default('./data'),
  DATABASE_URL: databaseUrl().optional(),
  ATLAS_ENCRYPTION_KEY: encryptionKey.optional(),
})

/** Parses the environment of `npm run migrate-storage`; DATABASE_URL must be set. */
export function loadMigrationConfig(
  env: Record<string, string | undefined>,
  cwd: string = process.cwd(),
): MigrationConfig {
  const e = parseEnv(MigrationEnvSchema, presentIn(env))
  if (e.DATABASE_URL === undefined) {
    throw new ConfigError(
      'Invalid configuration:\n  DATABASE_URL: must be set to the PostgreSQL database to move the atlases into',
    )
  }
  return {
    dataDir: resolve(cwd, e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    encryptionKey: e.ATLAS_ENCRYPTION_KEY ?? null,
  }
}
