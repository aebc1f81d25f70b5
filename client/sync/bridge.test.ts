import type { SerializedSchemaV2 } from '@tldraw/store'
import {
  createShapeId,
  createTLStore,
  GeoShapeUtil,
  HistoryManager,
  NoteShapeUtil,
  PageRecordType,
  type TLGeoShape,
  type TLRecord,
  type TLStore,
} from 'tldraw'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { atlasSchema } from '../../shared/schema'
import { type AtlasPoster, POSTER_ID } from '../../shared/schema/poster'
import { RecordsMap, readSchema } from '../../shared/sync/records'
import { bindStoreToDoc, docRecords, loadDocIntoStore, NewerSchemaError } from './bridge'

const geoDefaults = new GeoShapeUtil({} as never).getDefaultProps()

function geo(id: string, overrides: Partial<TLGeoShape> = {}): TLGeoShape {
  return atlasSchema.types.shape.create({
    id: createShapeId(id),
    type: 'geo',
    parentId: 'page:page',
    index: 'a1',
    props: { ...geoDefaults },
    ...overrides,
  } as never) as TLGeoShape
}

const newStore = () => createTLStore({ schema: atlasSchema })
const documentOf = (store: TLStore) => store.serialize('document')

const disposers: Array<() => void> = []
afterEach(() => {
  for (const d of disposers.splice(0)) d()
})

/** A store bound to a doc, as the atlas page does it. */
function replica(doc = new Y.Doc(), readOnly = false) {
  const store = newStore()
  const origin = { replica: true }
  loadDocIntoStore(store, doc, { readOnly, origin })
  disposers.push(bindStoreToDoc(store, doc, { readOnly, origin }))
  return { store, doc }
}

/** Two replicas whose docs exchange every update (with the other doc as origin). */
function pair() {
  const a = replica()
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(a.doc), 'network')
  const b = replica(doc)
  a.doc.on('update', (u: Uint8Array, origin: unknown) => {
    if (origin !== 'network') Y.applyUpdate(b.doc, u, 'network')
  })
  b.doc.on('update', (u: Uint8Array, origin: unknown) => {
    if (origin !== 'network') Y.applyUpdate(a.doc, u, 'network')
  })
  return { a, b }
}

function countTransactions(doc: Y.Doc) {
  const counter = { transactions: 0, updates: 0 }
  doc.on('afterTransaction', (tr: Y.Transaction) => {
    if (tr.changed.size > 0 || tr.deleteSet.clients.size > 0) counter.transactions++
  })
  doc.on('update', () => counter.updates++)
  return counter
}

describe('loading', () => {
  it('gives an empty doc the store document, page and schema in one transaction', () => {
    const doc = new Y.Doc()
    const counter = countTransactions(doc)
    const { store } = replica(doc)
    expect(counter.updates).toBe(1)
    expect(Object.keys(docRecords(doc)).sort()).toEqual(['document:document', 'page:page'])
    expect(docRecords(doc)).toEqual(documentOf(store))
    expect(readSchema(doc)).toEqual(atlasSchema.serialize())
  })

  it('makes a joining store equal to the doc, dropping its own default page', () => {
    const { store: first, doc } = replica()
    first.update(PageRecordType.createId('page'), (p) => ({ ...p, name: 'Familie' }))
    first.put([
      atlasSchema.types.page.create({
        id: 'page:other' as never,
        name: 'Werk',
        index: 'a2' as never,
      }),
    ])
    first.remove(['page:page' as never])
    const joiner = newStore()
    joiner.put([
      atlasSchema.types.page.create({
        id: 'page:local' as never,
        name: 'Local',
        index: 'a1' as never,
      }),
    ])
    loadDocIntoStore(joiner, doc)
    expect(documentOf(joiner)).toEqual(docRecords(doc))
    expect(joiner.has('page:local' as never)).toBe(false)
  })

  it('does not rewrite records on load when the schema is current', () => {
    const { store, doc } = replica()
    store.put([geo('a'), geo('b'), geo('c')])
    const counter = countTransactions(doc)
    const joiner = newStore()
    const result = loadDocIntoStore(joiner, doc)
    expect(result.migrated).toEqual([])
    expect(counter.updates).toBe(0)
    expect(documentOf(joiner)).toEqual(docRecords(doc))
  })
})

describe('local changes reach the doc', () => {
  it('adds, updates and deletes records, one transaction per store batch', () => {
    const { store, doc } = replica()
    const counter = countTransactions(doc)
    store.put([geo('a'), geo('b')])
    expect(counter.transactions).toBe(1)
    expect(docRecords(doc)['shape:a']).toEqual(store.get(createShapeId('a')))

    store.update(createShapeId('a'), (r) => ({ ...r, x: 42, y: 7 }))
    expect(counter.transactions).toBe(2)
    expect(docRecords(doc)['shape:a']).toMatchObject({ x: 42, y: 7 })

    store.remove([createShapeId('b')])
    expect(counter.transactions).toBe(3)
    expect(docRecords(doc)['shape:b']).toBeUndefined()
    expect(docRecords(doc)).toEqual(documentOf(store))
  })

  it('writes only the fields that changed', () => {
    const { store, doc } = replica()
    store.put([geo('a')])
    let update: Uint8Array = new Uint8Array()
    doc.on('update', (u: Uint8Array) => {
      update = u
    })
    store.update(createShapeId('a'), (r) => ({ ...r, x: 42 }))
    // A whole geo record is several hundred bytes; one field is a few dozen.
    expect(update.byteLength).toBeLessThan(80)
  })

  it('keeps session and presence records out of the doc', () => {
    const { store, doc } = replica()
    store.mergeRemoteChanges(() => {}) // lets the store create its instance, camera and pointer
    expect(store.allRecords().some((r) => r.typeName === 'instance')).toBe(true)
    expect(
      Object.values(docRecords(doc)).every(
        (r) => r.typeName === 'document' || r.typeName === 'page',
      ),
    ).toBe(true)
  })
})

describe('remote changes reach the store', () => {
  it('adds, updates and deletes records', () => {
    const { a, b } = pair()
    a.store.put([geo('a', { x: 1 })])
    expect(b.store.get(createShapeId('a'))).toEqual(a.store.get(createShapeId('a')))
    a.store.update(
      createShapeId('a'),
      (r) => ({ ...r, x: 5, props: { ...r.props, color: 'red' } }) as typeof r,
    )
    expect(b.store.get(createShapeId('a'))).toMatchObject({ x: 5, props: { color: 'red' } })
    a.store.remove([createShapeId('a')])
    expect(b.store.has(createShapeId('a'))).toBe(false)
    expect(documentOf(b.store)).toEqual(documentOf(a.store))
  })

  it('applies a remote change without writing anything back (no echo)', () => {
    const { store, doc } = replica()
    const source = new Y.Doc()
    Y.applyUpdate(source, Y.encodeStateAsUpdate(doc))
    const sourceRecords = new RecordsMap<TLRecord>(source)
    source.transact(() => sourceRecords.set(geo('remote', { x: 9 })))
    const update = Y.encodeStateAsUpdate(source, Y.encodeStateVector(doc))

    const counter = countTransactions(doc)
    const userChanges: unknown[] = []
    store.listen((e) => userChanges.push(e), { source: 'user', scope: 'document' })
    Y.applyUpdate(doc, update, 'network')

    expect(store.get(createShapeId('remote'))).toMatchObject({ x: 9 })
    expect(counter.transactions).toBe(1) // the applied update itself, nothing after it
    expect(counter.updates).toBe(1)
    expect(userChanges).toEqual([])
  })

  it('ignores a remote delete of a record this store never had', () => {
    const { store, doc } = replica()
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
    const records = new RecordsMap<TLRecord>(other)
    other.transact(() => records.set(geo('brief')))
    other.transact(() => records.delete(createShapeId('brief')))
    // The delete arrives first: Yjs holds it until the insert it refers to is known.
    const all = Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc))
    expect(() => Y.applyUpdate(doc, all, 'network')).not.toThrow()
    expect(store.has(createShapeId('brief'))).toBe(false)
    expect(documentOf(store)).toEqual(docRecords(doc))
  })

  it('holds back a record left incomplete by out-of-order updates until the rest arrives', () => {
    const { store, doc } = replica()
    const author = new Y.Doc()
    Y.applyUpdate(author, Y.encodeStateAsUpdate(doc))
    const authorRecords = new RecordsMap<TLRecord>(author)
    const updates: Uint8Array[] = []
    author.on('update', (u: Uint8Array) => updates.push(u))
    author.transact(() => authorRecords.set(geo('moving', { x: 1 })))
    Y.applyUpdate(doc, updates[0] as Uint8Array, 'network')
    author.transact(() => authorRecords.set(geo('other')))
    author.transact(() => authorRecords.set(geo('moving', { x: 2 })))

    // The third update deletes x=1 at once but must hold x=2 back until the second is known.
    Y.applyUpdate(doc, updates[2] as Uint8Array, 'network')
    expect(new RecordsMap(doc).map.get('shape:moving')?.has('x')).toBe(false)
    expect(store.get(createShapeId('moving'))).toMatchObject({ x: 1 })
    Y.applyUpdate(doc, updates[1] as Uint8Array, 'network')
    expect(store.get(createShapeId('moving'))).toMatchObject({ x: 2 })
    expect(store.has(createShapeId('other'))).toBe(true)
    expect(documentOf(store)).toEqual(docRecords(doc))
  })

  it('keeps remote changes out of the undo history', () => {
    const { a, b } = pair()
    const history = new HistoryManager({ store: b.store })
    b.store.put([geo('mine')])
    a.store.put([geo('theirs')])
    expect(b.store.has(createShapeId('theirs'))).toBe(true)

    history.undo()
    // Undo removes the local shape only; the remote one stays, on both replicas.
    expect(b.store.has(createShapeId('mine'))).toBe(false)
    expect(b.store.has(createShapeId('theirs'))).toBe(true)
    expect(a.store.has(createShapeId('mine'))).toBe(false)
    expect(documentOf(a.store)).toEqual(documentOf(b.store))
    history.dispose()
  })
})

describe('migration on load', () => {
  /** A doc as an older app version left it: geo shapes at an older props version. */
  function docFromOlderVersion() {
    const current = atlasSchema.serialize() as SerializedSchemaV2
    const geoVersion = current.sequences['com.tldraw.shape.geo']
    expect(geoVersion).toBeGreaterThan(9)
    const older: SerializedSchemaV2 = {
      ...current,
      sequences: { ...current.sequences, 'com.tldraw.shape.geo': 9 },
    }
    // Geo version 9 still had a plain-text label (10 made it rich text) and no flip props (12).
    const { richText: _richText, flipX: _flipX, flipY: _flipY, ...oldProps } = geoDefaults
    const oldShape = { ...geo('old'), props: { ...oldProps, text: 'Sanne' } }
    const page = atlasSchema.types.page.create({
      id: 'page:page' as never,
      name: 'Page 1',
      index: 'a1' as never,
    })
    const document = atlasSchema.types.document.create({ id: 'document:document' as never })
    const note = atlasSchema.types.shape.create({
      id: createShapeId('note'),
      type: 'note',
      parentId: page.id,
      index: 'a2',
      props: new NoteShapeUtil({} as never).getDefaultProps(),
    } as never)
    const doc = new Y.Doc()
    const records = new RecordsMap<TLRecord>(doc)
    doc.transact(() => {
      for (const r of [document, page, note, oldShape] as TLRecord[]) records.set(r)
      doc.getMap('meta').set('schema', older)
    })
    return { doc, oldShape, untouched: [document, page, note] as TLRecord[] }
  }

  it('migrates old records into the store and rewrites only those in the doc', () => {
    const { doc, untouched } = docFromOlderVersion()
    const written = new Set<string>()
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      for (const [type] of tr.changed) {
        const key = type._item?.parentSub
        if (key) written.add(key)
      }
    })
    const store = newStore()
    const result = loadDocIntoStore(store, doc)

    const migrated = store.get(createShapeId('old')) as TLGeoShape
    expect(migrated.props).not.toHaveProperty('text')
    expect(migrated.props).toMatchObject({ flipX: false, flipY: false })
    expect(JSON.stringify(migrated.props.richText)).toContain('Sanne')
    expect(() => atlasSchema.types.shape.validate(migrated)).not.toThrow()
    expect(result.migrated).toEqual(['shape:old'])
    expect([...written]).toEqual(['shape:old'])
    expect(docRecords(doc)['shape:old']).toEqual(migrated)
    for (const r of untouched) expect(docRecords(doc)[r.id]).toEqual(r)
    expect(readSchema(doc)).toEqual(atlasSchema.serialize())
    expect(documentOf(store)).toEqual(docRecords(doc))
  })

  it('migrates in the store but writes nothing when read-only', () => {
    const { doc } = docFromOlderVersion()
    const before = Y.encodeStateAsUpdate(doc)
    const store = newStore()
    loadDocIntoStore(store, doc, { readOnly: true })
    expect((store.get(createShapeId('old')) as TLGeoShape).props).toHaveProperty('richText')
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
  })
})

describe('an atlas written by a newer version of the app', () => {
  it('is refused with NewerSchemaError, and nothing is written to the doc', () => {
    const current = atlasSchema.serialize() as SerializedSchemaV2
    const geoVersion = current.sequences['com.tldraw.shape.geo'] ?? 0
    const doc = new Y.Doc()
    doc.transact(() => {
      new RecordsMap<TLRecord>(doc).set(geo('later'))
      doc.getMap('meta').set('schema', {
        ...current,
        sequences: { ...current.sequences, 'com.tldraw.shape.geo': geoVersion + 1 },
      })
    })
    const before = Y.encodeStateAsUpdate(doc)
    expect(() => loadDocIntoStore(newStore(), doc)).toThrow(NewerSchemaError)
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
  })
})

describe('read-only bridge', () => {
  it('never writes to the doc, yet follows remote changes', () => {
    const doc = new Y.Doc()
    const { store } = replica(doc, true)
    expect(doc.getMap('records').size).toBe(0)
    expect(doc.getMap('meta').size).toBe(0)

    const writer = new Y.Doc()
    const writerStore = newStore()
    loadDocIntoStore(writerStore, writer)
    disposers.push(bindStoreToDoc(writerStore, writer))
    writerStore.put([geo('w')])
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(writer), 'network')
    expect(store.has(createShapeId('w'))).toBe(true)

    const counter = countTransactions(doc)
    store.put([geo('local')])
    store.update(createShapeId('w'), (r) => ({ ...r, x: 100 }))
    store.remove([createShapeId('w')])
    expect(counter.updates).toBe(0)
    expect(new RecordsMap(doc).has('shape:local')).toBe(false)
    expect(docRecords(doc)['shape:w']).toMatchObject({ x: 0 })
  })
})

describe('remote changes once per frame', () => {
  /** A replica whose remote changes wait for `frame()`, as the atlas page waits for an animation frame. */
  function framedReplica(doc: Y.Doc) {
    const store = newStore()
    const origin = { framed: true }
    let pending: (() => void) | undefined
    loadDocIntoStore(store, doc, { origin })
    disposers.push(
      bindStoreToDoc(store, doc, {
        origin,
        scheduleRemote: (flush) => {
          expect(pending).toBeUndefined()
          pending = flush
        },
      }),
    )
    const frame = () => {
      const flush = pending
      pending = undefined
      flush?.()
    }
    return { store, doc, frame }
  }

  /** A second doc that exchanges every update with `doc`, as a peer through the server does. */
  function peerOf(doc: Y.Doc) {
    const peer = new Y.Doc()
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc))
    peer.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin !== 'network') Y.applyUpdate(doc, u, 'network')
    })
    doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin !== 'network') Y.applyUpdate(peer, u, 'network')
    })
    return { doc: peer, records: new RecordsMap<TLRecord>(peer) }
  }

  it('brings the changes of many remote transactions into the store in one transaction', () => {
    const doc = new Y.Doc()
    const { store, frame } = framedReplica(doc)
    const peer = peerOf(doc)
    peer.doc.transact(() => peer.records.set(geo('dragged', { x: 0 })))
    frame()
    const remoteBatches: unknown[] = []
    store.listen((e) => remoteBatches.push(e), { source: 'remote', scope: 'document' })
    for (let x = 1; x <= 10; x++) peer.doc.transact(() => peer.records.set(geo('dragged', { x })))
    peer.doc.transact(() => peer.records.set(geo('added')))
    peer.doc.transact(() => peer.records.delete(createShapeId('added')))

    expect(store.get(createShapeId('dragged'))).toMatchObject({ x: 0 })
    frame()
    expect(remoteBatches).toHaveLength(1)
    expect(store.get(createShapeId('dragged'))).toMatchObject({ x: 10 })
    expect(store.has(createShapeId('added'))).toBe(false)
    expect(documentOf(store)).toEqual(docRecords(doc))
  })

  it('keeps a remote change the store does not show yet when the user edits the same record', () => {
    const doc = new Y.Doc()
    const { store, frame } = framedReplica(doc)
    const peer = peerOf(doc)
    peer.doc.transact(() => peer.records.set(geo('shared', { x: 0 })))
    frame()
    // The peer moves the shape; before the next frame the user here recolours it.
    peer.doc.transact(() => peer.records.set(geo('shared', { x: 50 })))
    store.update(
      createShapeId('shared'),
      (r) => ({ ...r, props: { ...r.props, color: 'red' } }) as typeof r,
    )
    frame()
    const both = { x: 50, props: { color: 'red' } }
    expect(store.get(createShapeId('shared'))).toMatchObject(both)
    expect(docRecords(doc)['shape:shared']).toMatchObject(both)
    expect(docRecords(peer.doc)['shape:shared']).toMatchObject(both)
  })

  const story = (text: string) =>
    ({ id: POSTER_ID, typeName: 'poster', story: text, goesWell: '', wishes: '' }) as AtlasPoster
  const storyIn = (store: TLStore) =>
    (store.get(POSTER_ID as unknown as TLRecord['id']) as unknown as AtlasPoster).story
  const typeIn = (store: TLStore, text: string) =>
    store.update(POSTER_ID as unknown as TLRecord['id'], (p) => ({ ...p, story: text }) as TLRecord)

  it('keeps what a peer typed that the store does not show yet when the user types in the same text', () => {
    const doc = new Y.Doc()
    const { store, frame } = framedReplica(doc)
    const peer = peerOf(doc)
    peer.doc.transact(() => peer.records.set(story('Ik fiets.') as unknown as TLRecord))
    frame()
    // The peer types at the start; before the next frame the user here types at the end.
    peer.doc.transact(() => peer.records.set(story('Hoi! Ik fiets.') as unknown as TLRecord))
    typeIn(store, 'Ik fiets graag.')
    frame()
    expect(storyIn(store)).toBe('Hoi! Ik fiets graag.')
    expect(docRecords(doc)[POSTER_ID]).toEqual(story('Hoi! Ik fiets graag.'))
    expect(docRecords(peer.doc)[POSTER_ID]).toEqual(story('Hoi! Ik fiets graag.'))
  })

  /**
   * Runs `test` with the store handing its changes over once per frame, as in a browser (tldraw
   * does it at once under test); `frames()` runs the frames that were asked for.
   */
  function withStoreFrames(test: (frames: () => void) => void) {
    const queue: FrameRequestCallback[] = []
    const global = globalThis as unknown as Record<string, unknown>
    global.__FORCE_RAF_IN_TESTS__ = true
    global.requestAnimationFrame = (callback: FrameRequestCallback) => queue.push(callback)
    global.cancelAnimationFrame = () => {}
    const frames = () => {
      for (let n = 0; n < 3; n++) for (const callback of queue.splice(0)) callback(0)
    }
    try {
      test(frames)
    } finally {
      frames()
      delete global.__FORCE_RAF_IN_TESTS__
      delete global.requestAnimationFrame
      delete global.cancelAnimationFrame
    }
  }

  it("keeps a key the store has not written yet when a peer's typing enters the store first", () => {
    withStoreFrames((storeFrames) => {
      const doc = new Y.Doc()
      const { store, frame } = framedReplica(doc)
      const peer = peerOf(doc)
      peer.doc.transact(() => peer.records.set(story('Ik fiets.') as unknown as TLRecord))
      frame()
      typeIn(store, 'Ik fiets graag.')
      expect(docRecords(doc)[POSTER_ID]).toEqual(story('Ik fiets.'))
      peer.doc.transact(() => peer.records.set(story('Hoi! Ik fiets.') as unknown as TLRecord))
      // The peer's change enters the store before the store's own frame comes.
      frame()
      storeFrames()
      expect(storyIn(store)).toBe('Hoi! Ik fiets graag.')
      expect(docRecords(doc)[POSTER_ID]).toEqual(story('Hoi! Ik fiets graag.'))
      expect(docRecords(peer.doc)[POSTER_ID]).toEqual(story('Hoi! Ik fiets graag.'))
    })
  })

  it("keeps a move the store has not written yet when a peer's recolour enters the store first", () => {
    withStoreFrames((storeFrames) => {
      const doc = new Y.Doc()
      const { store, frame } = framedReplica(doc)
      const peer = peerOf(doc)
      peer.doc.transact(() => peer.records.set(geo('shared', { x: 0 })))
      frame()
      storeFrames()
      store.update(createShapeId('shared'), (r) => ({ ...r, x: 50 }))
      peer.doc.transact(() =>
        peer.records.set(geo('shared', { x: 0, props: { ...geoDefaults, color: 'red' } })),
      )
      frame()
      storeFrames()
      const both = { x: 50, props: { color: 'red' } }
      expect(store.get(createShapeId('shared'))).toMatchObject(both)
      expect(docRecords(doc)['shape:shared']).toMatchObject(both)
      expect(docRecords(peer.doc)['shape:shared']).toMatchObject(both)
    })
  })
})

describe('long texts', () => {
  const posterId = POSTER_ID as unknown as TLRecord['id']
  const poster = (story: string) =>
    ({ id: POSTER_ID, typeName: 'poster', story, goesWell: '', wishes: '' }) as unknown as TLRecord
  const storyOf = (store: TLStore) => (store.get(posterId) as unknown as AtlasPoster).story
  const type = (store: TLStore, story: string) =>
    store.update(posterId, (p) => ({ ...p, story }) as TLRecord)

  /** Two replicas whose updates wait in the network until `deliver()`, as when both type at once. */
  function heldPair() {
    const a = replica()
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(a.doc), 'network')
    const b = replica(doc)
    const toA: Uint8Array[] = []
    const toB: Uint8Array[] = []
    a.doc.on('update', (u: Uint8Array, origin: unknown) => origin !== 'network' && toB.push(u))
    b.doc.on('update', (u: Uint8Array, origin: unknown) => origin !== 'network' && toA.push(u))
    const deliver = () => {
      for (const u of toB.splice(0)) Y.applyUpdate(b.doc, u, 'network')
      for (const u of toA.splice(0)) Y.applyUpdate(a.doc, u, 'network')
    }
    return { a, b, deliver }
  }

  it('keeps both texts when two people type in the same text at once', () => {
    const { a, b, deliver } = heldPair()
    a.store.put([poster('Ik heet Sanne.')])
    deliver()
    // A types at the start, B at the end, key by key; the network passes every third key.
    const atStart = 'Hallo! '
    const atEnd = [...' Doei 👋🏽.']
    for (let i = 0; i < Math.max(atStart.length, atEnd.length); i++) {
      const story = storyOf(a.store)
      if (i < atStart.length) type(a.store, story.slice(0, i) + atStart.charAt(i) + story.slice(i))
      if (i < atEnd.length) type(b.store, storyOf(b.store) + atEnd[i])
      if (i % 3 === 2) deliver()
    }
    deliver()
    expect(storyOf(a.store)).toBe('Hallo! Ik heet Sanne. Doei 👋🏽.')
    expect(storyOf(b.store)).toBe(storyOf(a.store))
    expect(documentOf(a.store)).toEqual(docRecords(b.doc))
  })

  it('writes only the typed characters into the doc, into the same Y.Text', () => {
    const { store, doc } = replica()
    const story = 'Ik woon in Zwolle met mijn moeder en mijn zus. '.repeat(20)
    store.put([poster(story)])
    const text = new RecordsMap(doc).map.get(POSTER_ID)?.get('story')
    expect(text).toBeInstanceOf(Y.Text)
    let update: Uint8Array = new Uint8Array()
    doc.on('update', (u: Uint8Array) => {
      update = u
    })
    type(store, `${story}Ik 😀`)
    expect(update.byteLength).toBeLessThan(40)
    expect(new RecordsMap(doc).map.get(POSTER_ID)?.get('story')).toBe(text)
    expect(docRecords(doc)[POSTER_ID]).toEqual(store.get(posterId))
  })

  it("brings a peer's typing into the store as an update of the record", () => {
    const { a, b } = pair()
    a.store.put([poster('Ik')])
    const changes: unknown[] = []
    b.store.listen(({ changes: c }) => changes.push(c), { source: 'remote', scope: 'document' })
    type(a.store, 'Ik fiets')
    expect(storyOf(b.store)).toBe('Ik fiets')
    expect(changes).toEqual([
      { added: {}, updated: { [POSTER_ID]: [poster('Ik'), poster('Ik fiets')] }, removed: {} },
    ])
  })
})

describe('a bad record in the doc', () => {
  /** A doc written by a device of ours, plus the entries no device of ours writes. */
  function docWithBadRecords() {
    const { doc } = replica()
    const writer = new RecordsMap(doc)
    doc.transact(() => {
      writer.set(geo('good', { x: 5 }))
      const records = doc.getMap('records')
      records.set('shape:number', 42)
      records.set('shape:plain', { id: 'shape:plain', typeName: 'shape' })
      writer.set({ ...geo('wrong'), x: 'ver weg' } as never)
      writer.set({ ...geo('rocket'), type: 'rocket' } as never)
    }, 'network')
    return doc
  }

  it('is skipped and reported on load; the rest loads and stays editable', () => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(docWithBadRecords()))
    const store = newStore()
    const loaded = loadDocIntoStore(store, doc, { origin: {} })
    expect(loaded.skipped.sort()).toEqual(
      ['shape:number', 'shape:plain', 'shape:rocket', 'shape:wrong'].sort(),
    )
    expect(store.get(createShapeId('good'))).toMatchObject({ x: 5 })
    // Loading wrote nothing over them: the doc keeps them as they were.
    expect(doc.getMap('records').get('shape:number')).toBe(42)
  })

  it('that arrives while the page is open is skipped, and edits go on', () => {
    const { store, doc } = replica()
    store.put([geo('mine', { x: 1 })])
    const remote = new Y.Doc()
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc))
    remote.on('update', (u: Uint8Array) => Y.applyUpdate(doc, u, 'network'))
    expect(() => {
      remote.getMap('records').set('shape:number', 42)
      remote.getMap('records').set('shape:plain', { id: 'shape:plain' })
      ;(remote.getMap('records').get(createShapeId('mine')) as Y.Map<unknown>).set('x', 'ver weg')
    }).not.toThrow()
    expect(store.has('shape:number' as never)).toBe(false)
    expect(store.get(createShapeId('mine'))).toMatchObject({ x: 1 })
    store.update(createShapeId('mine'), (r) => ({ ...r, y: 7 }))
    expect(new RecordsMap(doc).get(createShapeId('mine') as never)).toMatchObject({ y: 7 })
  })

  it('is counted while the page is open, and no longer once it is fixed or gone', () => {
    const doc = new Y.Doc()
    const store = newStore()
    const origin = {}
    loadDocIntoStore(store, doc, { origin })
    const counts: number[] = []
    disposers.push(bindStoreToDoc(store, doc, { origin, skipped: (ids) => counts.push(ids.size) }))
    const remote = new Y.Doc()
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc))
    remote.on('update', (u: Uint8Array) => Y.applyUpdate(doc, u, 'network'))
    const writer = new RecordsMap(remote)
    remote.getMap('records').set('shape:number', 42)
    remote.transact(() => writer.set({ ...geo('later'), x: 'ver weg' } as never))
    expect(counts.at(-1)).toBe(2)
    remote.transact(() => writer.set(geo('later', { x: 3 })))
    expect(counts.at(-1)).toBe(1)
    expect(store.get(createShapeId('later'))).toMatchObject({ x: 3 })
    remote.getMap('records').delete('shape:number')
    expect(counts.at(-1)).toBe(0)
  })
})
