import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, describe, expect, inject, it } from 'vitest'
import * as Y from 'yjs'
import { freshDatabase } from '../../tests/helpers/services'
import { describeAtlasStore, sampleMeta } from '../../tests/helpers/storeContract'
import { AtRestCipher } from './encryption'
import { StorageSetupError } from './lowdb'
import { MIGRATIONS, migrate, PostgresAtlasStore } from './postgres'

const cluster = inject('postgresUrl')

/** Databases of this file, dropped with the cluster after the run. */
async function database(): Promise<string> {
  return freshDatabase(cluster)
}

describeAtlasStore('PostgresAtlasStore', {
  newPlace: database,
  open: (url) => PostgresAtlasStore.open(url, { maxConnections: 4 }),
  removePlace: async () => {},
})

const pools: pg.Pool[] = []
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()))
})

describe('the PostgreSQL schema', () => {
  it('is migrated once when several servers start at once (an advisory lock)', async () => {
    const url = await database()
    const starting = Array.from({ length: 5 }, () => {
      const pool = new pg.Pool({ connectionString: url, max: 2 })
      pools.push(pool)
      return migrate(pool)
    })
    await Promise.all(starting)
    const pool = pools[0] as pg.Pool
    const { rows } = await pool.query('SELECT version FROM schema_migrations ORDER BY version')
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version))
    // And again at the next start: nothing left to do.
    await migrate(pool)
    expect((await pool.query('SELECT count(*)::int AS n FROM schema_migrations')).rows[0].n).toBe(
      MIGRATIONS.length,
    )
  })

  it('refuses a database that a newer server migrated', async () => {
    const url = await database()
    const pool = new pg.Pool({ connectionString: url, max: 2 })
    pools.push(pool)
    await migrate(pool)
    await pool.query("INSERT INTO schema_migrations (version, name) VALUES (999, 'later')")
    await expect(PostgresAtlasStore.open(url)).rejects.toThrow(
      /schema \(version 999\) is newer than this server knows/,
    )
  })
})

describe('the history on PostgreSQL', () => {
  it('adds one snapshot per interval when several servers try at once', async () => {
    const url = await database()
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => PostgresAtlasStore.open(url, { maxConnections: 2 })),
    )
    try {
      const id = sampleMeta().id
      await stores[0]?.createAtlas(sampleMeta())
      const state = Y.encodeStateAsUpdate(new Y.Doc())
      const at = new Date().toISOString()
      const results = await Promise.all(
        stores.map((store, i) =>
          store.addSnapshot(
            id,
            { id: `concurrent000000${i}`.slice(-16), at, reason: 'edits', editors: [] },
            state,
            () => [],
            60_000,
          ),
        ),
      )
      expect(results.filter((r) => r !== null)).toHaveLength(1)
      expect(await stores[1]?.listSnapshots(id)).toHaveLength(1)
    } finally {
      await Promise.all(stores.map((s) => s.close()))
    }
  })
})

/** An update that sets `key` in the records map of a fresh document. */
function edit(key: string): Uint8Array {
  const doc = new Y.Doc()
  doc.getMap('records').set(key, key)
  return Y.encodeStateAsUpdate(doc)
}

/** The keys of the records map in a stored state. */
function keysOf(state: Uint8Array | null): string[] {
  const doc = new Y.Doc()
  if (state) Y.applyUpdate(doc, state)
  return [...doc.getMap('records').keys()].sort()
}

describe('documents on PostgreSQL with several servers', () => {
  it('never drops from a snapshot what the database holds (a server with an older copy)', async () => {
    const url = await database()
    const [a, b] = await Promise.all([PostgresAtlasStore.open(url), PostgresAtlasStore.open(url)])
    try {
      const id = sampleMeta().id
      await a.createAtlas(sampleMeta())
      const [one, two] = [edit('een'), edit('twee')]
      await a.appendUpdates(id, [one])
      // Server A folds both edits into the snapshot; server B, which has only the first (it
      // loaded before the second reached it), folds its copy after.
      await a.appendUpdates(id, [two])
      await a.storeDoc(id, Y.mergeUpdates([one, two]))
      await b.storeDoc(id, one)
      expect(keysOf(await a.loadDoc(id))).toEqual(['een', 'twee'])
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  })

  it('folds one snapshot of a document at a time, across servers (each builds on the last)', async () => {
    const url = await database()
    const [a, b] = await Promise.all([PostgresAtlasStore.open(url), PostgresAtlasStore.open(url)])
    const holder = new pg.Client({ connectionString: url })
    await holder.connect()
    try {
      const id = sampleMeta().id
      await a.createAtlas(sampleMeta())
      // Both servers' snapshots have read what is stored before either writes.
      await holder.query('BEGIN')
      await holder.query('LOCK TABLE documents IN EXCLUSIVE MODE')
      const both = Promise.all([a.storeDoc(id, edit('van-a')), b.storeDoc(id, edit('van-b'))])
      await new Promise((resolve) => setTimeout(resolve, 300))
      await holder.query('COMMIT')
      await both
      expect(keysOf(await a.loadDoc(id))).toEqual(['van-a', 'van-b'])
    } finally {
      await holder.end()
      await Promise.all([a.close(), b.close()])
    }
  })

  it('loads an atlas while saves wait for the database', async () => {
    const url = await database()
    const store = await PostgresAtlasStore.open(url, { maxConnections: 2, saveConnections: 2 })
    const holder = new pg.Client({ connectionString: url })
    await holder.connect()
    try {
      const [busy, opened] = [sampleMeta(), sampleMeta('EEEEEEEEEEEEEEEEEEEEEE')]
      await store.createAtlas(busy)
      await store.createAtlas(opened)
      await store.storeDoc(opened.id, edit('een'))
      await store.appendUpdates(opened.id, [edit('twee')])
      // Every write to the appended updates waits (a long transaction, a slow disk): more saves
      // than the saves have connections.
      await holder.query('BEGIN')
      await holder.query('LOCK TABLE document_updates IN EXCLUSIVE MODE')
      let saved = 0
      const saves = Array.from({ length: 4 }, (_, i) =>
        store.appendUpdates(busy.id, [edit(`bezig-${i}`)]).then(() => saved++),
      )
      await new Promise((resolve) => setTimeout(resolve, 200))
      // The load reads beside them, and is not held by its own fold of the appended update.
      expect(keysOf(await store.loadDoc(opened.id))).toEqual(['een', 'twee'])
      expect(saved).toBe(0)
      await holder.query('COMMIT')
      await Promise.all(saves)
      await store.close()
      const again = await PostgresAtlasStore.open(url)
      expect(keysOf(await again.loadDoc(busy.id))).toEqual([
        'bezig-0',
        'bezig-1',
        'bezig-2',
        'bezig-3',
      ])
      const { rows } = await holder.query(
        'SELECT count(*)::int AS n FROM document_updates WHERE key = $1',
        [opened.id],
      )
      expect(rows[0].n).toBe(0)
      await again.close()
    } finally {
      await holder.end()
    }
  })
})

describe('PostgreSQL with an at-rest key', () => {
  it('seals every body, and opens only with the key it was written with', async () => {
    const url = await database()
    const key = randomBytes(32)
    const store = await PostgresAtlasStore.open(url, { cipher: new AtRestCipher(key) })
    const meta = { ...sampleMeta(), title: 'Geheime titel' }
    await store.createAtlas(meta)
    const doc = new Y.Doc()
    doc.getMap('records').set('geheim', 'Oom Kees')
    await store.appendUpdates(meta.id, [Y.encodeStateAsUpdate(doc)])
    await store.appendAccess(meta.id, [
      {
        at: new Date().toISOString(),
        event: 'opened',
        by: { linkId: 'aaaaaaaaaaaaaaaa', role: 'edit', label: 'Ria' },
        device: { kind: 'phone', browser: 'Chrome', system: 'Android' },
      },
    ])
    const pool = new pg.Pool({ connectionString: url, max: 1 })
    pools.push(pool)
    const { rows } = await pool.query(
      `SELECT meta AS body FROM atlases UNION ALL SELECT body FROM document_updates
       UNION ALL SELECT body FROM access_log`,
    )
    expect(rows).toHaveLength(3)
    for (const row of rows) {
      const text = (row.body as Buffer).toString('latin1')
      for (const secret of ['Geheime', 'Oom Kees', 'Ria', 'Buurvrouw']) {
        expect(text).not.toContain(secret)
      }
    }
    expect((await store.getMeta(meta.id))?.title).toBe('Geheime titel')
    await store.close()

    await expect(
      PostgresAtlasStore.open(url, { cipher: new AtRestCipher(randomBytes(32)) }),
    ).rejects.toThrow('ATLAS_ENCRYPTION_KEY is not the key the database was encrypted with')
    await expect(PostgresAtlasStore.open(url)).rejects.toThrow(StorageSetupError)
    const again = await PostgresAtlasStore.open(url, { cipher: new AtRestCipher(key) })
    const loaded = new Y.Doc()
    Y.applyUpdate(loaded, (await again.loadDoc(meta.id)) as Uint8Array)
    expect(loaded.getMap('records').get('geheim')).toBe('Oom Kees')
    await again.close()
  })

  it('refuses a key for a database written without one', async () => {
    const url = await database()
    const plain = await PostgresAtlasStore.open(url)
    await plain.createAtlas(sampleMeta())
    await plain.close()
    await expect(
      PostgresAtlasStore.open(url, { cipher: new AtRestCipher(randomBytes(32)) }),
    ).rejects.toThrow('The database is not encrypted, but ATLAS_ENCRYPTION_KEY is set')
  })

  it('says plainly when the database cannot be reached, without its address', async () => {
    await expect(
      PostgresAtlasStore.open('postgres://atlas:geheim-wachtwoord@127.0.0.1:1/netwerkatlas'),
    ).rejects.toThrow(/^PostgreSQL \(DATABASE_URL\) could not be used: ECONNREFUSED$/)
  })
})
