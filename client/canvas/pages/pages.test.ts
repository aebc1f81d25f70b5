import { createTLStore, PageRecordType, type TLRecord, type TLStore } from 'tldraw'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readAtlasContent } from '../../../shared/domain/content'
import { BACKGROUND_IDS, clientViewId } from '../../../shared/domain/pageLayout'
import { buildSampleAtlas, seedAtlasDoc } from '../../../shared/domain/sampleAtlas'
import { atlasSchema } from '../../../shared/schema'
import { INSTRUMENTS, instrumentPageId } from '../../../shared/schema/pages'
import { connectStoreToDoc } from '../../sync/bridge'
import { ensureAtlasPagesInStore } from './ensureAtlasPages'

/** A device: a store bound to its own doc through the real bridge, as useAtlasSync does. */
function device(doc = new Y.Doc()): { store: TLStore; doc: Y.Doc; dispose: () => void } {
  const store = createTLStore({ schema: atlasSchema })
  const { dispose } = connectStoreToDoc(store, doc)
  return { store, doc, dispose }
}

/** Delivers every update each doc has that the other lacks. */
function exchange(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

function pages(store: TLStore) {
  return store
    .allRecords()
    .filter((r) => r.typeName === 'page')
    .sort((a, b) => (a.index < b.index ? -1 : 1))
    .map((p) => (p.typeName === 'page' ? [p.id, p.name] : []))
}

const options = { title: 'Atlas van Sanne', thisYear: 2026 }

describe('ensureAtlasPages', () => {
  it('gives a new atlas its five pages in order and removes the empty default page', () => {
    const { store, doc } = device()
    expect(pages(store)).toEqual([['page:page', 'Page 1']])
    ensureAtlasPagesInStore(store, options)
    expect(pages(store)).toEqual([
      ['page:basisposter', 'Basisposter'],
      ['page:familiekaart', 'Familiekaart'],
      ['page:relatiekaart', 'Relatiekaart'],
      ['page:contactschema', 'Contactschema'],
      ['page:gebeurteniskaart', 'Gebeurteniskaart'],
    ])
    // Written through the bridge: the doc holds the same.
    const content = readAtlasContent(doc)
    expect(content.client).toMatchObject({ name: 'Sanne', isClient: true })
    expect(content.client?.maps).toEqual(['basisposter', 'familiekaart', 'relatiekaart'])
    expect(content.poster).toEqual({ story: '', goesWell: '', wishes: '' })
  })

  it('lays out each page for its purpose', () => {
    const { store } = device()
    ensureAtlasPagesInStore(store, options)
    const onPage = (instrument: (typeof INSTRUMENTS)[number]) =>
      store
        .allRecords()
        .filter((r) => r.typeName === 'shape' && r.parentId === instrumentPageId(instrument))
        .map((r) => (r.typeName === 'shape' ? `${r.type}${r.isLocked ? ' (locked)' : ''}` : ''))
        .sort()
    expect(onPage('basisposter')).toEqual([
      'person',
      'poster-area (locked)',
      'poster-area (locked)',
      'poster-area (locked)',
      'poster-area (locked)',
    ])
    expect(onPage('familiekaart')).toEqual(['person'])
    expect(onPage('relatiekaart')).toEqual(['person', 'ring-map (locked)'])
    expect(onPage('contactschema')).toEqual([])
    expect(onPage('gebeurteniskaart')).toEqual(['timeline (locked)'])

    const ring = store.get(BACKGROUND_IDS.ringMap)
    const client = store.get(clientViewId('relatiekaart'))
    if (ring?.type !== 'ring-map' || client?.type !== 'person') throw new Error('missing shapes')
    expect(client.x + client.props.w / 2).toBe(ring.x + ring.props.w / 2)
    expect(client.y + client.props.h / 2).toBe(ring.y + ring.props.w / 2)
    const timeline = store.get(BACKGROUND_IDS.timeline)
    expect(timeline?.type === 'timeline' && timeline.props).toMatchObject({
      fromYear: 2006,
      toYear: 2026,
    })
  })

  it('starts the time axis at the birth year of a client who has one', () => {
    const { store } = device()
    store.put([
      {
        ...atlasSchema.types.person.create({ name: 'Joost', isClient: true, birthYear: 1990 }),
      } as TLRecord,
    ])
    ensureAtlasPagesInStore(store, options)
    const people = store.allRecords().filter((r) => r.typeName === 'person')
    expect(people).toHaveLength(1)
    const timeline = store.get(BACKGROUND_IDS.timeline)
    expect(timeline?.type === 'timeline' && timeline.props.fromYear).toBe(1990)
  })

  it('changes nothing the second time', () => {
    const { store, doc } = device()
    ensureAtlasPagesInStore(store, options)
    const before = Y.encodeStateVector(doc)
    expect(ensureAtlasPagesInStore(store, options).put).toEqual([])
    expect(Y.encodeStateVector(doc)).toEqual(before)
  })

  it('agrees with itself when two devices lay out one new atlas at the same moment', () => {
    const a = device()
    const b = device()
    ensureAtlasPagesInStore(a.store, options)
    ensureAtlasPagesInStore(b.store, options)
    exchange(a.doc, b.doc)
    const ids = (store: TLStore) =>
      store
        .allRecords()
        .filter((r) => store.scopedTypes.document.has(r.typeName))
        .map((r) => r.id)
        .sort()
    expect(ids(a.store)).toEqual(ids(b.store))
    expect(pages(a.store)).toHaveLength(5)
    expect(a.store.allRecords().filter((r) => r.typeName === 'person')).toHaveLength(1)
    expect(readAtlasContent(a.doc)).toEqual(readAtlasContent(b.doc))
  })

  it('keeps a default page someone drew on, after the five instruments', () => {
    const { store } = device()
    store.put([
      atlasSchema.types.shape.create({
        type: 'person',
        parentId: PageRecordType.createId('page'),
        index: 'a1',
        props: { personId: 'person:someone', w: 100, h: 100 },
      } as never),
    ])
    ensureAtlasPagesInStore(store, options)
    const order = pages(store).map(([id]) => id)
    expect(order).toHaveLength(6)
    expect(order.slice(0, 5)).toEqual(INSTRUMENTS.map(instrumentPageId))
    expect(order[5]).toBe('page:page')
  })

  it('adds nothing to the sample atlas, which is laid out already', () => {
    const doc = new Y.Doc()
    seedAtlasDoc(doc, buildSampleAtlas({ thisYear: 2026 }))
    const { store } = device(doc)
    expect(ensureAtlasPagesInStore(store, options).put).toEqual([])
    expect(readAtlasContent(store.allRecords())).toEqual(readAtlasContent(doc))
  })
})

describe('structured content of an atlas edited through a store', () => {
  it('follows edits made on one device in the doc of another', () => {
    const a = device()
    ensureAtlasPagesInStore(a.store, options)
    const b = device()
    exchange(a.doc, b.doc)
    const ria = atlasSchema.types.person.create({ name: 'mam', gender: 'female' })
    const view = (page: 'familiekaart' | 'relatiekaart') =>
      atlasSchema.types.shape.create({
        type: 'person',
        parentId: instrumentPageId(page),
        index: 'b11',
        x: 300,
        y: 0,
        props: { personId: ria.id, w: 160, h: 150 },
      } as never)
    a.store.put([ria as TLRecord, view('familiekaart'), view('relatiekaart')])
    const question = { id: 'question:1', typeName: 'question', text: 'Wie helpt mij?', index: 'a1' }
    a.store.put([question as TLRecord])
    exchange(a.doc, b.doc)
    b.store.update(ria.id, (p) => ({ ...p, name: 'Ria' }))
    exchange(a.doc, b.doc)
    const content = readAtlasContent(a.doc)
    const person = content.persons.find((p) => p.id === ria.id)
    expect(person).toMatchObject({ name: 'Ria', maps: ['familiekaart', 'relatiekaart'] })
    expect(content.questions.map((q) => q.text)).toEqual(['Wie helpt mij?'])
    expect(readAtlasContent(b.store.allRecords())).toEqual(content)
  })
})
