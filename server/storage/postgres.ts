import { createHash } from 'node:crypto'
import pg from 'pg'
import * as Y from 'yjs'
import { AccessEntry } from '../../shared/api/accessLog'
import { SnapshotInfo } from '../../shared/api/history'
import { PlanVersion } from '../../shared/api/versions'
import { isAtlasId } from '../../shared/sync/ids'
import { errorKind, type Logger } from '../log'
import { type AtRestCipher, SealedRecordError } from './encryption'
import { MetaFileV2, StorageSetupError } from './lowdb'
import {
  type AtlasMeta,
  type AtlasStore,
  parseDocKey,
  StorageError,
  StorageUnavailableError,
  tooSoon,
} from './types'

/**
 * The schema, one step per version, applied in order and each once (`schema_migrations`). A
 * step is never changed once released: a change of the schema is a new step.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'atlases, documents, plan versions, access log, erasures',
    sql: `
      CREATE TABLE storage_settings (
        id integer PRIMARY KEY CHECK (id = 1),
        encryption text NOT NULL CHECK (encryption IN ('none', 'aes-256-gcm')),
        key_check bytea
      );
      CREATE TABLE atlases (
        id text PRIMARY KEY,
        meta bytea NOT NULL
      );
      CREATE TABLE documents (
        key text PRIMARY KEY,
        atlas_id text NOT NULL REFERENCES atlases (id) ON DELETE CASCADE,
        state bytea NOT NULL,
        sha256 text NOT NULL,
        saved_at timestamptz NOT NULL
      );
      CREATE TABLE document_updates (
        seq bigserial PRIMARY KEY,
        key text NOT NULL,
        atlas_id text NOT NULL REFERENCES atlases (id) ON DELETE CASCADE,
        body bytea NOT NULL
      );
      CREATE INDEX document_updates_by_key ON document_updates (key, seq);
      CREATE INDEX document_updates_by_atlas ON document_updates (atlas_id);
      CREATE TABLE plan_versions (
        atlas_id text NOT NULL REFERENCES atlases (id) ON DELETE CASCADE,
        number integer NOT NULL,
        body bytea NOT NULL,
        PRIMARY KEY (atlas_id, number)
      );
      CREATE TABLE access_log (
        seq bigserial PRIMARY KEY,
        atlas_id text NOT NULL REFERENCES atlases (id) ON DELETE CASCADE,
        body bytea NOT NULL
      );
      CREATE INDEX access_log_by_atlas ON access_log (atlas_id, seq);
      CREATE TABLE erased_atlases (
        id text PRIMARY KEY,
        erased_at text NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'history of the maps',
    sql: `
      CREATE TABLE history_snapshots (
        seq bigserial PRIMARY KEY,
        atlas_id text NOT NULL REFERENCES atlases (id) ON DELETE CASCADE,
        id text NOT NULL,
        info bytea NOT NULL,
        state bytea NOT NULL,
        sha256 text NOT NULL,
        UNIQUE (atlas_id, id)
      );
    `,
  },
  {
    version: 3,
    name: 'links that edited since the last snapshot',
    sql: `
      CREATE TABLE history_editors (
        atlas_id text NOT NULL REFERENCES atlases (id) ON DELETE CASCADE,
        link_id text NOT NULL,
        PRIMARY KEY (atlas_id, link_id)
      );
    `,
  },
]

/**
 * The advisory lock that lets one server at a time migrate a database: servers that start
 * together wait for the first, then find nothing left to do.
 */
const MIGRATION_LOCK = 0x4e41_0001

/**
 * Brings the database's schema up to `MIGRATIONS`, under an advisory lock; each step in a
 * transaction of its own with its row in `schema_migrations`. Refuses a database whose schema is
 * newer than this server knows (a newer server migrated it).
 */
export async function migrate(pool: pg.Pool, log?: Logger): Promise<void> {
  const client = await pool.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version integer PRIMARY KEY,
           name text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      )
      const { rows } = await client.query<{ version: number }>(
        'SELECT version FROM schema_migrations',
      )
      const applied = new Set(rows.map((r) => r.version))
      const known = Math.max(...MIGRATIONS.map((m) => m.version))
      const newest = Math.max(0, ...applied)
      if (newest > known) {
        throw new StorageSetupError(
          `The database's schema (version ${newest}) is newer than this server knows (${known}): start the newer server.`,
        )
      }
      for (const step of MIGRATIONS) {
        if (applied.has(step.version)) continue
        await client.query('BEGIN')
        try {
          await client.query(step.sql)
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
            step.version,
            step.name,
          ])
          await client.query('COMMIT')
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {})
          throw error
        }
        log?.info('database schema migrated', { version: step.version })
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {})
    }
  } finally {
    client.release()
  }
}

/** The longest a snapshot waits for another fold of its document (below `query_timeout`). */
const FOLD_LOCK_TIMEOUT_MS = 10_000

const KEY_CHECK = 'netwerkatlas at-rest key check'
const KEY_CHECK_CONTEXT = 'storage_settings'

/** Error codes of a database out of reach, as Node and PostgreSQL give them. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])

/** `error` as `StorageUnavailableError` when it says the database is out of reach. */
function unavailableOr(error: unknown): unknown {
  const code = sqlState(error)
  const message = error instanceof Error ? error.message : ''
  if (
    (code !== undefined &&
      (UNAVAILABLE_CODES.has(code) ||
        // Connection exceptions, and an administrator's shutdown or a server still starting.
        code.startsWith('08') ||
        code === '57P01' ||
        code === '57P02' ||
        code === '57P03')) ||
    // pg's own words for a connection that ended or never came within its time-out.
    /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error/i.test(
      message,
    )
  ) {
    return new StorageUnavailableError('The database cannot be reached', { cause: error })
  }
  return error
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** A pg error's SQLSTATE, if it has one. */
function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/**
 * The scaled mode's storage: every atlas in one PostgreSQL database. The tables mirror the
 * embedded storage's files: `atlases` (the metadata record of meta.json), `documents` (the
 * snapshot of each document with its SHA-256) and `document_updates` (the updates appended
 * since, one committed insert per save, folded into the snapshot by `storeDoc`),
 * `plan_versions`, `access_log` and `erased_atlases`. Every row of an atlas hangs on its row in
 * `atlases`, so removing that removes everything. With a key, every stored body is sealed for its
 * place as the embedded storage seals its files. No metadata is cached: other servers on the same
 * database change it too.
 *
 * Two pools of connections: one for the saves of documents (`appendUpdates`, `storeDoc`), one for
 * everything else, so that an atlas someone opens is read at once while saves wait for the
 * database (a burst of edits, a slow disk) instead of behind them.
 */
export class PostgresAtlasStore implements AtlasStore {
  readonly checksLoadedState = true
  /** Erased atlases and when (ISO 8601): read at start, and added to by this server. */
  readonly #erased = new Map<string, string>()
  /** Per atlas, the last change: the next one of this server waits for it (order of calls). */
  readonly #queues = new Map<string, Promise<unknown>>()

  /**
   * Folds of appended updates that loads started and did not wait for (`close` does), per
   * document; they run one at a time (`#lastFold`), so that a restart's loads leave the saves'
   * connections to the saves.
   */
  readonly #folds = new Map<string, Promise<void>>()
  #lastFold: Promise<void> = Promise.resolve()

  private constructor(
    /** Loads, metadata, plan versions, the access log and the history. */
    readonly pool: pg.Pool,
    /** The saves of documents. */
    readonly savePool: pg.Pool,
    /** Seals every stored body; null: stored as they are. */
    readonly cipher: AtRestCipher | null,
    private readonly log: Logger | undefined,
  ) {}

  /**
   * Connects to the database at `databaseUrl`, migrates its schema and checks that it is
   * encrypted with `cipher`'s key, or not at all, as it was first opened; throws
   * `StorageSetupError` with a message for the person starting the server otherwise.
   */
  static async open(
    databaseUrl: string,
    options: {
      cipher?: AtRestCipher | null
      log?: Logger
      /** Connections for everything but the saves of documents. */
      maxConnections?: number
      /** Connections for the saves of documents. */
      saveConnections?: number
    } = {},
  ): Promise<PostgresAtlasStore> {
    const newPool = (max: number) => {
      const made = new pg.Pool({
        connectionString: databaseUrl,
        max,
        connectionTimeoutMillis: 5_000,
        // A save waits no longer than this for a database that stopped answering; the registry
        // then keeps the edits in memory and tries again.
        query_timeout: 15_000,
      })
      // A connection the database closes while idle (a restart) must not end the process.
      made.on('error', (error) => {
        options.log?.warn('database connection lost', { error: errorKind(error) })
      })
      return made
    }
    const pool = newPool(options.maxConnections ?? 5)
    const savePool = newPool(options.saveConnections ?? 5)
    const store = new PostgresAtlasStore(pool, savePool, options.cipher ?? null, options.log)
    try {
      await migrate(pool, options.log)
      await store.#checkEncryptionMode()
      const { rows } = await pool.query<{ id: string; erased_at: string }>(
        'SELECT id, erased_at FROM erased_atlases',
      )
      for (const row of rows) store.#erased.set(row.id, row.erased_at)
    } catch (error) {
      await Promise.all([pool.end(), savePool.end()]).catch(() => {})
      if (error instanceof StorageSetupError) throw error
      // The address holds a password: only the kind of failure is told.
      throw new StorageSetupError(
        `PostgreSQL (DATABASE_URL) could not be used: ${errorKind(error)}${
          error instanceof pg.DatabaseError ? ` (${error.message})` : ''
        }`,
      )
    }
    return store
  }

  /** Closes the connections (after the last save, and the folds loads started). */
  async close(): Promise<void> {
    await Promise.allSettled(this.#folds.values())
    await Promise.all([this.pool.end(), this.savePool.end()])
  }

  /** A database is either encrypted or not, with one key: written when first opened. */
  async #checkEncryptionMode(): Promise<void> {
    const { cipher } = this
    const mode = cipher ? 'aes-256-gcm' : 'none'
    const check = cipher ? cipher.seal(Buffer.from(KEY_CHECK), KEY_CHECK_CONTEXT) : null
    const hasAtlases = ((await this.#query('SELECT 1 FROM atlases LIMIT 1')).rowCount ?? 0) > 0
    if (!hasAtlases || !cipher) {
      await this.#query(
        `INSERT INTO storage_settings (id, encryption, key_check) VALUES (1, $1, $2)
         ON CONFLICT (id) DO NOTHING`,
        [mode, check],
      )
    }
    const { rows } = await this.#query<{ encryption: string; key_check: Buffer | null }>(
      'SELECT encryption, key_check FROM storage_settings WHERE id = 1',
    )
    const settings = rows[0]
    if (!settings) {
      throw new StorageSetupError(
        'The database holds atlases stored without encryption, but ATLAS_ENCRYPTION_KEY is set. ' +
          'A database is either encrypted or not: start without the key, or use a new database.',
      )
    }
    if (settings.encryption === 'none' && cipher) {
      throw new StorageSetupError(
        'The database is not encrypted, but ATLAS_ENCRYPTION_KEY is set. ' +
          'A database is either encrypted or not: start without the key, or use a new database.',
      )
    }
    if (settings.encryption === 'aes-256-gcm') {
      if (!cipher) {
        throw new StorageSetupError(
          'The database is encrypted: set ATLAS_ENCRYPTION_KEY to the key it was written with.',
        )
      }
      let opened = ''
      try {
        opened = cipher.open(settings.key_check ?? Buffer.alloc(0), KEY_CHECK_CONTEXT).toString()
      } catch (error) {
        if (!(error instanceof SealedRecordError)) throw error
      }
      if (opened !== KEY_CHECK) {
        throw new StorageSetupError(
          'ATLAS_ENCRYPTION_KEY is not the key the database was encrypted with.',
        )
      }
    }
  }

  /** A body as stored: sealed for its place with a key, else as it is. */
  #seal(bytes: Uint8Array, context: string): Buffer {
    return this.cipher
      ? this.cipher.seal(bytes, context)
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  /** A stored body opened again; `StorageError` if it does not open (damaged, another key). */
  #open(bytes: Buffer, context: string, what: string): Buffer {
    if (!this.cipher) return bytes
    try {
      return this.cipher.open(bytes, context)
    } catch (error) {
      if (error instanceof SealedRecordError) throw new StorageError(`${what} does not open`)
      throw error
    }
  }

  #sealJson(value: unknown, context: string): Buffer {
    return this.#seal(Buffer.from(JSON.stringify(value), 'utf8'), context)
  }

  #openJson(bytes: Buffer, context: string, what: string): unknown {
    try {
      return JSON.parse(this.#open(bytes, context, what).toString('utf8'))
    } catch (error) {
      if (error instanceof StorageError) throw error
      throw new StorageError(`${what} is damaged (not JSON)`)
    }
  }

  /** Runs `task` after every earlier task of the same atlas in this server has settled. */
  #serially<T>(id: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(id) ?? Promise.resolve()
    const next = previous.catch(() => {}).then(task)
    this.#queues.set(id, next)
    const forget = () => {
      if (this.#queues.get(id) === next) this.#queues.delete(id)
    }
    next.then(forget, forget)
    return next
  }

  /** One statement; a database out of reach rejects with `StorageUnavailableError`. */
  async #query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
    pool = this.pool,
  ): Promise<pg.QueryResult<R>> {
    try {
      return await pool.query<R>(text, values)
    } catch (error) {
      throw unavailableOr(error)
    }
  }

  /** Runs `task` in a transaction on one connection: committed if it resolves, else rolled back. */
  async #transaction<T>(task: (client: pg.PoolClient) => Promise<T>, pool = this.pool): Promise<T> {
    let client: pg.PoolClient
    try {
      client = await pool.connect()
    } catch (error) {
      throw unavailableOr(error)
    }
    // A connection lost while checked out reports here, and its query rejects: never unhandled.
    const onError = (error: Error) =>
      this.log?.warn('database connection lost', { error: errorKind(error) })
    client.on('error', onError)
    let broken: Error | undefined
    try {
      await client.query('BEGIN')
      const result = await task(client)
      await client.query('COMMIT')
      return result
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError
      })
      throw unavailableOr(error)
    } finally {
      client.off('error', onError)
      // A connection whose rollback failed is not given back to the pool.
      client.release(broken)
    }
  }

  #checkId(id: string): void {
    if (!isAtlasId(id)) throw new StorageError('Not an atlas id')
  }

  // Metadata.

  async createAtlas(meta: AtlasMeta): Promise<void> {
    this.#checkId(meta.id)
    try {
      await this.#query('INSERT INTO atlases (id, meta) VALUES ($1, $2)', [
        meta.id,
        this.#sealMeta(meta),
      ])
    } catch (error) {
      if (sqlState(error) === '23505') throw new StorageError(`Atlas ${meta.id} already exists`)
      throw error
    }
  }

  #sealMeta(meta: AtlasMeta): Buffer {
    return this.#sealJson({ version: 2, ...meta }, `${meta.id}/meta`)
  }

  #openMeta(id: string, bytes: Buffer): AtlasMeta {
    const what = `Atlas ${id}: its metadata`
    const parsed = MetaFileV2.safeParse(this.#openJson(bytes, `${id}/meta`, what))
    if (!parsed.success) throw new StorageError(`${what} is damaged (unexpected shape)`)
    if (parsed.data.id !== id) throw new StorageError(`${what} belongs to another atlas`)
    const { version: _, ...meta } = parsed.data
    return meta
  }

  async getMeta(id: string): Promise<AtlasMeta | null> {
    if (!isAtlasId(id) || this.#erased.has(id)) return null
    const { rows } = await this.#query<{ meta: Buffer }>('SELECT meta FROM atlases WHERE id = $1', [
      id,
    ])
    return rows[0] ? this.#openMeta(id, rows[0].meta) : null
  }

  async updateMeta(id: string, change: (meta: AtlasMeta) => AtlasMeta): Promise<AtlasMeta> {
    this.#checkId(id)
    // The row lock orders the changes of several servers; the queue keeps this server's in order.
    return this.#serially(id, () =>
      this.#transaction(async (client) => {
        const { rows } = await client.query<{ meta: Buffer }>(
          'SELECT meta FROM atlases WHERE id = $1 FOR UPDATE',
          [id],
        )
        if (!rows[0]) throw new StorageError(`Atlas ${id} does not exist`)
        const updated = change(this.#openMeta(id, rows[0].meta))
        await client.query('UPDATE atlases SET meta = $2 WHERE id = $1', [
          id,
          this.#sealMeta(updated),
        ])
        return updated
      }),
    )
  }

  async removeAtlas(id: string): Promise<void> {
    this.#checkId(id)
    await this.#query('DELETE FROM atlases WHERE id = $1', [id])
  }

  // Documents.

  #docKey(key: string): { atlasId: string } {
    const parsed = parseDocKey(key)
    if (!parsed) throw new StorageError('Not a document key')
    return parsed
  }

  /**
   * The snapshot plus the updates appended since, checked to be intact (the snapshot against its
   * SHA-256; merging decodes the updates). Appended updates are then folded into a new snapshot
   * on the saves' connections: the load does not wait for that.
   */
  async loadDoc(key: string): Promise<Uint8Array | null> {
    this.#docKey(key)
    // The updates before the snapshot: a fold by another server in between leaves its snapshot
    // with everything it removed, where the other order would miss what it folded.
    const updateRows = await this.#query<{ body: Buffer }>(
      'SELECT body FROM document_updates WHERE key = $1 ORDER BY seq',
      [key],
    )
    const snapshotRows = await this.#query<{ state: Buffer; sha256: string }>(
      'SELECT state, sha256 FROM documents WHERE key = $1',
      [key],
    )
    const row = snapshotRows.rows[0]
    const snapshot = row ? this.#openSnapshot(key, row) : null
    if (updateRows.rows.length === 0) return snapshot
    const state = this.#merge(key, snapshot ? [snapshot] : [], updateRows.rows)
    this.#foldLater(key, state)
    return state
  }

  /** A stored snapshot, checked against its SHA-256; `StorageError` if it is damaged. */
  #openSnapshot(key: string, row: { state: Buffer; sha256: string }): Uint8Array {
    const { atlasId } = this.#docKey(key)
    const snapshot = new Uint8Array(
      this.#open(row.state, `${key}/snapshot`, `Atlas ${atlasId}: a snapshot`),
    )
    if (sha256(snapshot) !== row.sha256) {
      throw new StorageError(`Atlas ${atlasId}: a snapshot is damaged (state)`)
    }
    return snapshot
  }

  /** `states` with the appended updates `rows` merged in; `StorageError` if one is damaged. */
  #merge(key: string, states: Uint8Array[], rows: { body: Buffer }[]): Uint8Array {
    const { atlasId } = this.#docKey(key)
    const updates = rows.map(
      (r) => new Uint8Array(this.#open(r.body, `${key}/update`, `Atlas ${atlasId}: an update`)),
    )
    try {
      return Y.mergeUpdates([...states, ...updates])
    } catch {
      throw new StorageError(`Atlas ${atlasId}: an update is damaged (not a Yjs update)`)
    }
  }

  /**
   * Folds the appended updates into the snapshot, without anyone waiting for it; nothing if a
   * fold of the document is pending already (it reads the rows when it runs).
   */
  #foldLater(key: string, state: Uint8Array): void {
    if (this.#folds.has(key)) return
    const fold = this.#lastFold.then(() =>
      this.storeDoc(key, state).catch((error: unknown) => {
        // The updates stay appended: the next load folds them, or the room's next snapshot.
        this.log?.warn('appended updates not folded', {
          atlas: this.#docKey(key).atlasId,
          error: errorKind(error),
        })
      }),
    )
    this.#lastFold = fold
    this.#folds.set(key, fold)
    void fold.finally(() => {
      if (this.#folds.get(key) === fold) this.#folds.delete(key)
    })
  }

  /** One committed insert (one row per update, in order): in the database when it resolves. */
  async appendUpdates(key: string, updates: readonly Uint8Array[]): Promise<void> {
    const { atlasId } = this.#docKey(key)
    if (updates.length === 0) return
    try {
      await this.#query(
        `INSERT INTO document_updates (key, atlas_id, body)
         SELECT $1, $2, body FROM unnest($3::bytea[]) WITH ORDINALITY AS u (body, n) ORDER BY n`,
        [key, atlasId, updates.map((u) => this.#seal(u, `${key}/update`))],
        this.savePool,
      )
    } catch (error) {
      if (sqlState(error) === '23503') throw new StorageError(`Atlas ${atlasId} does not exist`)
      throw error
    }
  }

  /**
   * Replaces the snapshot with `state`, the snapshot it replaces and the appended updates merged
   * in, in one transaction; one such fold of a document at a time, across servers (an advisory
   * lock). Nothing the database holds is dropped: another server may have appended updates that
   * `state` lacks, or folded them into the snapshot before, and a server's copy may be older than
   * the snapshot (a load's fold). Yjs merges are idempotent: what `state` has already changes
   * nothing. A damaged snapshot is replaced (said in the log).
   */
  async storeDoc(key: string, state: Uint8Array): Promise<void> {
    const { atlasId } = this.#docKey(key)
    try {
      await this.#transaction(async (client) => {
        // A fold that waits this long for another (a stuck transaction) fails and is tried again
        // later; without it the session would wait on in the database after the client gave up.
        await client.query(`SET LOCAL lock_timeout = '${FOLD_LOCK_TIMEOUT_MS}ms'`)
        await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key])
        const stored = await client.query<{ state: Buffer; sha256: string }>(
          'SELECT state, sha256 FROM documents WHERE key = $1',
          [key],
        )
        const { rows } = await client.query<{ seq: string; body: Buffer }>(
          'SELECT seq, body FROM document_updates WHERE key = $1 ORDER BY seq',
          [key],
        )
        const states = [state]
        const row = stored.rows[0]
        if (row && row.sha256 !== sha256(state)) {
          try {
            states.push(this.#openSnapshot(key, row))
          } catch (error) {
            if (!(error instanceof StorageError)) throw error
            this.log?.warn('damaged snapshot replaced', { atlas: atlasId })
          }
        }
        const whole = states.length > 1 || rows.length > 0 ? this.#merge(key, states, rows) : state
        await client.query(
          `INSERT INTO documents (key, atlas_id, state, sha256, saved_at)
           VALUES ($1, $2, $3, $4, now())
           ON CONFLICT (key) DO UPDATE
             SET state = excluded.state, sha256 = excluded.sha256, saved_at = excluded.saved_at`,
          [key, atlasId, this.#seal(whole, `${key}/snapshot`), sha256(whole)],
        )
        // Only the rows read: one appended meanwhile stays for the next fold.
        if (rows.length > 0) {
          await client.query('DELETE FROM document_updates WHERE seq = ANY($1::bigint[])', [
            rows.map((r) => r.seq),
          ])
        }
      }, this.savePool)
    } catch (error) {
      if (sqlState(error) === '23503') throw new StorageError(`Atlas ${atlasId} does not exist`)
      throw error
    }
  }

  // Plan versions.

  async listVersions(atlasId: string): Promise<PlanVersion[]> {
    if (!isAtlasId(atlasId)) return []
    try {
      return await this.#readVersions(this.pool, atlasId)
    } catch (error) {
      throw unavailableOr(error)
    }
  }

  async #readVersions(client: pg.Pool | pg.PoolClient, atlasId: string): Promise<PlanVersion[]> {
    const { rows } = await client.query<{ body: Buffer }>(
      'SELECT body FROM plan_versions WHERE atlas_id = $1 ORDER BY number',
      [atlasId],
    )
    return rows.map((row) => {
      const what = `Atlas ${atlasId}: a plan version`
      const parsed = PlanVersion.safeParse(this.#openJson(row.body, `${atlasId}/version`, what))
      if (!parsed.success) throw new StorageError(`${what} is damaged (unexpected shape)`)
      return parsed.data
    })
  }

  async addVersion(
    atlasId: string,
    make: (existing: PlanVersion[]) => PlanVersion,
  ): Promise<PlanVersion> {
    const [version] = await this.addVersions(atlasId, (existing) => [make(existing)])
    return version as PlanVersion
  }

  async addVersions(
    atlasId: string,
    make: (existing: PlanVersion[]) => PlanVersion[],
  ): Promise<PlanVersion[]> {
    this.#checkId(atlasId)
    return this.#serially(atlasId, () =>
      this.#transaction(async (client) => {
        // The atlas's row lock: additions of several servers take turns, and number on.
        const atlas = await client.query('SELECT 1 FROM atlases WHERE id = $1 FOR UPDATE', [
          atlasId,
        ])
        if (atlas.rowCount === 0) throw new StorageError(`Atlas ${atlasId} does not exist`)
        const existing = await this.#readVersions(client, atlasId)
        const added = make(existing).map((version) => PlanVersion.parse(version))
        if (added.length > 0) {
          await client.query(
            `INSERT INTO plan_versions (atlas_id, number, body)
             SELECT $1, $2 + n, body FROM unnest($3::bytea[]) WITH ORDINALITY AS v (body, n)`,
            [atlasId, existing.length, added.map((v) => this.#sealJson(v, `${atlasId}/version`))],
          )
        }
        return added
      }),
    )
  }

  // The history of the maps: one row per snapshot, its description and its state sealed apart.

  async listSnapshots(atlasId: string): Promise<SnapshotInfo[]> {
    if (!isAtlasId(atlasId) || this.#erased.has(atlasId)) return []
    const { rows } = await this.#query<{ info: Buffer }>(
      'SELECT info FROM history_snapshots WHERE atlas_id = $1 ORDER BY seq',
      [atlasId],
    )
    return rows.map((row) => this.#snapshotInfo(atlasId, row.info))
  }

  #snapshotInfo(atlasId: string, body: Buffer): SnapshotInfo {
    const what = `Atlas ${atlasId}: a snapshot's description`
    const parsed = SnapshotInfo.safeParse(this.#openJson(body, `${atlasId}/history`, what))
    if (!parsed.success) throw new StorageError(`${what} is damaged (unexpected shape)`)
    return parsed.data
  }

  async addSnapshot(
    atlasId: string,
    info: SnapshotInfo,
    state: Uint8Array,
    drop: (all: SnapshotInfo[]) => SnapshotInfo[],
    notWithinMs?: number,
  ): Promise<SnapshotInfo | null> {
    this.#checkId(atlasId)
    const id = SnapshotInfo.shape.id.parse(info.id)
    return this.#serially(atlasId, () =>
      this.#transaction(async (client) => {
        // The atlas's row lock: one that is gone (erased, removed) stays so, and additions of
        // several servers take turns, so the interval holds for the atlas, not per server.
        const atlas = await client.query<{ meta: Buffer }>(
          'SELECT meta FROM atlases WHERE id = $1 FOR UPDATE',
          [atlasId],
        )
        const row = atlas.rows[0]
        if (!row || this.#erased.has(atlasId)) return null
        if (notWithinMs !== undefined) {
          const newest = await client.query<{ info: Buffer }>(
            'SELECT info FROM history_snapshots WHERE atlas_id = $1 ORDER BY seq DESC LIMIT 1',
            [atlasId],
          )
          const last = newest.rows[0] && this.#snapshotInfo(atlasId, newest.rows[0].info)
          if (tooSoon(last, info, notWithinMs)) return null
        }
        // The links that edited through any server since the last snapshot, as they are now.
        const noted = await client.query<{ link_id: string }>(
          'DELETE FROM history_editors WHERE atlas_id = $1 RETURNING link_id',
          [atlasId],
        )
        const links = this.#openMeta(atlasId, row.meta).links
        const stored: SnapshotInfo = {
          ...info,
          editors: [
            ...info.editors,
            ...noted.rows
              .map((r) => r.link_id)
              .sort()
              .map((linkId) => {
                const link = links.find((l) => l.id === linkId)
                // A link stopped since: its role is no longer known either; only edit links write.
                return link
                  ? { label: link.label, role: link.role }
                  : { label: null, role: 'edit' as const }
              }),
          ],
        }
        await client.query(
          `INSERT INTO history_snapshots (atlas_id, id, info, state, sha256)
           VALUES ($1, $2, $3, $4, $5)`,
          [
            atlasId,
            id,
            this.#sealJson(stored, `${atlasId}/history`),
            this.#seal(state, `${atlasId}/history/${id}`),
            sha256(state),
          ],
        )
        const { rows } = await client.query<{ info: Buffer }>(
          'SELECT info FROM history_snapshots WHERE atlas_id = $1 ORDER BY seq',
          [atlasId],
        )
        const dropped = drop(rows.map((r) => this.#snapshotInfo(atlasId, r.info)))
        if (dropped.length > 0) {
          await client.query('DELETE FROM history_snapshots WHERE atlas_id = $1 AND id = ANY($2)', [
            atlasId,
            dropped.map((d) => d.id),
          ])
        }
        return stored
      }),
    )
  }

  /** Link ids only (never a label or secret): kept until a snapshot of any server takes them. */
  async noteEditors(atlasId: string, linkIds: readonly string[]): Promise<void> {
    this.#checkId(atlasId)
    if (linkIds.length === 0) return
    await this.#serially(atlasId, async () => {
      if (this.#erased.has(atlasId)) return
      // Only for an atlas that is there: one removed or erased meanwhile stays so.
      await this.#query(
        `INSERT INTO history_editors (atlas_id, link_id)
         SELECT $1, link_id FROM unnest($2::text[]) AS e (link_id)
         WHERE EXISTS (SELECT 1 FROM atlases WHERE id = $1)
         ON CONFLICT DO NOTHING`,
        [atlasId, [...linkIds]],
      )
    })
  }

  async removeSnapshots(atlasId: string, ids: readonly string[]): Promise<void> {
    this.#checkId(atlasId)
    if (ids.length === 0) return
    await this.#serially(atlasId, async () => {
      await this.#query('DELETE FROM history_snapshots WHERE atlas_id = $1 AND id = ANY($2)', [
        atlasId,
        [...ids],
      ])
    })
  }

  async loadSnapshot(atlasId: string, snapshotId: string): Promise<Uint8Array | null> {
    if (!isAtlasId(atlasId) || !SnapshotInfo.shape.id.safeParse(snapshotId).success) {
      return null
    }
    if (this.#erased.has(atlasId)) return null
    const { rows } = await this.#query<{ state: Buffer; sha256: string }>(
      'SELECT state, sha256 FROM history_snapshots WHERE atlas_id = $1 AND id = $2',
      [atlasId, snapshotId],
    )
    const row = rows[0]
    if (!row) return null
    const what = `Atlas ${atlasId}: snapshot ${snapshotId}`
    const state = new Uint8Array(this.#open(row.state, `${atlasId}/history/${snapshotId}`, what))
    if (sha256(state) !== row.sha256) throw new StorageError(`${what} is damaged (state)`)
    return state
  }

  // The client's rights: the access log, and erasure.

  async appendAccess(id: string, entries: readonly AccessEntry[]): Promise<void> {
    this.#checkId(id)
    if (entries.length === 0) return
    await this.#serially(id, async () => {
      if (this.#erased.has(id)) return
      // Only for an atlas that is there: one removed or erased meanwhile stays so.
      await this.#query(
        `INSERT INTO access_log (atlas_id, body)
         SELECT $1, body FROM unnest($2::bytea[]) WITH ORDINALITY AS e (body, n)
         WHERE EXISTS (SELECT 1 FROM atlases WHERE id = $1)
         ORDER BY n`,
        [id, entries.map((e) => this.#sealJson(e, `${id}/access`))],
      )
    })
  }

  async readAccess(id: string, since: Date): Promise<AccessEntry[]> {
    this.#checkId(id)
    return this.#serially(id, async () => {
      if (this.#erased.has(id)) return []
      const { rows } = await this.#query<{ seq: string; body: Buffer }>(
        'SELECT seq, body FROM access_log WHERE atlas_id = $1 ORDER BY seq',
        [id],
      )
      const kept: AccessEntry[] = []
      const dropped: string[] = []
      for (const row of rows) {
        let entry: unknown
        try {
          entry = this.#openJson(row.body, `${id}/access`, 'an access entry')
        } catch {
          entry = undefined
        }
        const parsed = AccessEntry.safeParse(entry)
        if (parsed.success && Date.parse(parsed.data.at) >= since.getTime()) kept.push(parsed.data)
        else dropped.push(row.seq)
      }
      if (dropped.length > 0) {
        await this.#query('DELETE FROM access_log WHERE seq = ANY($1::bigint[])', [dropped])
      }
      return kept
    })
  }

  /** The record of the erasure and the removal of everything else, in one transaction. */
  async eraseAtlas(id: string, at: Date): Promise<void> {
    this.#checkId(id)
    await this.#serially(id, async () => {
      const erasedAt = at.toISOString()
      await this.#transaction(async (client) => {
        await client.query(
          'INSERT INTO erased_atlases (id, erased_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING',
          [id, erasedAt],
        )
        await client.query('DELETE FROM atlases WHERE id = $1', [id])
      })
      this.#erased.set(id, erasedAt)
    })
  }

  erasedAt(id: string): string | null {
    return this.#erased.get(id) ?? null
  }

  // Moving atlases in from the embedded storage (`npm run migrate-storage`).

  /**
   * Adds a whole atlas in one transaction: all of it or nothing, so a move cut short is simply
   * done again. An atlas already here (or erased here) is left as it is: `present`/`erased`.
   */
  async importAtlas(atlas: ImportedAtlas): Promise<'added' | 'present' | 'erased'> {
    const { id } = atlas.meta
    this.#checkId(id)
    if (this.#erased.has(id)) return 'erased'
    return this.#transaction(async (client) => {
      const erased = await client.query('SELECT 1 FROM erased_atlases WHERE id = $1', [id])
      if ((erased.rowCount ?? 0) > 0) return 'erased'
      const added = await client.query(
        'INSERT INTO atlases (id, meta) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING',
        [id, this.#sealMeta(atlas.meta)],
      )
      if (added.rowCount === 0) return 'present'
      for (const [name, state] of Object.entries(atlas.docs)) {
        if (!state) continue
        const key = name === 'plan' ? `${id}/plan` : id
        await client.query(
          `INSERT INTO documents (key, atlas_id, state, sha256, saved_at)
           VALUES ($1, $2, $3, $4, now())`,
          [key, id, this.#seal(state, `${key}/snapshot`), sha256(state)],
        )
      }
      if (atlas.versions.length > 0) {
        await client.query(
          `INSERT INTO plan_versions (atlas_id, number, body)
           SELECT $1, n, body FROM unnest($2::bytea[]) WITH ORDINALITY AS v (body, n)`,
          [id, atlas.versions.map((v) => this.#sealJson(PlanVersion.parse(v), `${id}/version`))],
        )
      }
      if (atlas.access.length > 0) {
        await client.query(
          `INSERT INTO access_log (atlas_id, body)
           SELECT $1, body FROM unnest($2::bytea[]) WITH ORDINALITY AS e (body, n) ORDER BY n`,
          [id, atlas.access.map((e) => this.#sealJson(e, `${id}/access`))],
        )
      }
      // Oldest first, one statement each: a history may hold hundreds of whole states.
      for (const { info, state } of atlas.history) {
        const parsed = SnapshotInfo.parse(info)
        await client.query(
          `INSERT INTO history_snapshots (atlas_id, id, info, state, sha256)
           VALUES ($1, $2, $3, $4, $5)`,
          [
            id,
            parsed.id,
            this.#sealJson(parsed, `${id}/history`),
            this.#seal(state, `${id}/history/${parsed.id}`),
            sha256(state),
          ],
        )
      }
      return 'added'
    })
  }

  /** Keeps the record of an atlas erased elsewhere; false if it was here already. */
  async importErasure(id: string, erasedAt: string): Promise<boolean> {
    this.#checkId(id)
    const { rowCount } = await this.#query(
      'INSERT INTO erased_atlases (id, erased_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING',
      [id, erasedAt],
    )
    // An atlas erased in the folder but moved before: erased here too.
    await this.#query('DELETE FROM atlases WHERE id = $1', [id])
    this.#erased.set(id, this.#erased.get(id) ?? erasedAt)
    return (rowCount ?? 0) > 0
  }
}

/** Everything of one atlas, as `importAtlas` takes it. */
export interface ImportedAtlas {
  meta: AtlasMeta
  docs: { atlas: Uint8Array | null; plan: Uint8Array | null }
  versions: PlanVersion[]
  access: AccessEntry[]
  /** The snapshots of the maps, oldest first. */
  history: { info: SnapshotInfo; state: Uint8Array }[]
}
