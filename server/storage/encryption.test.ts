import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { AtRestCipher, parseEncryptionKey, SealedRecordError } from './encryption'
import { LowdbAtlasStore, StorageSetupError } from './lowdb'
import type { AtlasMeta } from './types'

const ID = 'BBBBBBBBBBBBBBBBBBBBBB'
const SECRET_TITLE = 'Atlas van Sanne Jansen'
const SECRET_TEXT = 'Oom Piet belt elke zondag om vier uur'

const META: AtlasMeta = {
  id: ID,
  title: SECRET_TITLE,
  createdAt: '2026-11-23T09:00:00.000Z',
  links: [],
  privateTime: { on: false, since: null },
  piketpaaltjes: [],
  approvals: [],
}

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netwerkatlas-encrypted-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Every file under `root`, with its bytes. */
async function allFiles(root: string): Promise<{ path: string; bytes: Buffer }[]> {
  const found: { path: string; bytes: Buffer }[] = []
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    found.push({ path, bytes: await readFile(path) })
  }
  return found
}

/** The bytes of a file and of every base64 token in it (log lines are base64). */
function readable(bytes: Buffer): string {
  const text = bytes.toString('latin1')
  const decoded = (text.match(/[A-Za-z0-9+/=]{16,}/g) ?? []).map((token) =>
    Buffer.from(token, 'base64').toString('latin1'),
  )
  return [bytes.toString('utf8'), ...decoded].join('\n')
}

describe('AtRestCipher', () => {
  const cipher = new AtRestCipher(randomBytes(32))

  it('opens what it sealed for the same place only, with a new nonce each time', () => {
    const plain = Buffer.from(SECRET_TEXT)
    const a = cipher.seal(plain, `${ID}/meta.json`)
    const b = cipher.seal(plain, `${ID}/meta.json`)
    expect(a.equals(b)).toBe(false)
    expect(cipher.open(a, `${ID}/meta.json`).toString()).toBe(SECRET_TEXT)
    expect(() => cipher.open(a, `${ID}/doc.json`)).toThrow(SealedRecordError)
    const tampered = Buffer.from(a)
    tampered[20] = (tampered[20] as number) ^ 1
    expect(() => cipher.open(tampered, `${ID}/meta.json`)).toThrow(SealedRecordError)
    expect(() => new AtRestCipher(randomBytes(32)).open(a, `${ID}/meta.json`)).toThrow(
      SealedRecordError,
    )
  })

  it('reads a key of 32 bytes as hex or base64, and nothing else', () => {
    const key = randomBytes(32)
    expect(parseEncryptionKey(key.toString('hex'))).toEqual(key)
    expect(parseEncryptionKey(key.toString('base64'))).toEqual(key)
    expect(parseEncryptionKey(key.toString('base64url'))).toEqual(key)
    expect(parseEncryptionKey(randomBytes(16).toString('hex'))).toBeNull()
    expect(parseEncryptionKey(randomBytes(33).toString('base64'))).toBeNull()
    expect(parseEncryptionKey('correct horse battery staple')).toBeNull()
  })
})

describe('LowdbAtlasStore with a key', () => {
  it('keeps no plaintext on disk and reads everything back', async () => {
    const key = randomBytes(32)
    const store = await LowdbAtlasStore.open(dir, { cipher: new AtRestCipher(key) })
    await store.createAtlas(META)
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    doc.getMap('records').set('note', SECRET_TEXT)
    await store.storeDoc(ID, Y.encodeStateAsUpdate(doc))
    doc.getMap('records').set('later', `${SECRET_TEXT} en zaterdag`)
    await store.appendUpdates(ID, [updates.at(-1) as Uint8Array])
    await store.appendUpdates(`${ID}/plan`, [updates.at(-1) as Uint8Array])

    const files = await allFiles(dir)
    expect(files.map((f) => f.path.slice(dir.length + 1)).sort()).toEqual([
      `atlases/${ID}/doc.json`,
      `atlases/${ID}/meta.json`,
      `atlases/${ID}/plan-updates.log`,
      `atlases/${ID}/updates.log`,
      'storage.json',
    ])
    for (const { bytes } of files) {
      expect(readable(bytes)).not.toContain(SECRET_TEXT)
      expect(readable(bytes)).not.toContain('Sanne')
    }

    const again = await LowdbAtlasStore.open(dir, { cipher: new AtRestCipher(key) })
    expect((await again.getMeta(ID))?.title).toBe(SECRET_TITLE)
    const loaded = new Y.Doc()
    Y.applyUpdate(loaded, (await again.loadDoc(ID)) as Uint8Array)
    expect(loaded.getMap('records').toJSON()).toEqual({
      note: SECRET_TEXT,
      later: `${SECRET_TEXT} en zaterdag`,
    })
  })

  it('refuses to open an encrypted folder without its key or with another', async () => {
    const store = await LowdbAtlasStore.open(dir, { cipher: new AtRestCipher(randomBytes(32)) })
    await store.createAtlas(META)
    await expect(LowdbAtlasStore.open(dir)).rejects.toThrow(
      /is encrypted: set ATLAS_ENCRYPTION_KEY/,
    )
    await expect(
      LowdbAtlasStore.open(dir, { cipher: new AtRestCipher(randomBytes(32)) }),
    ).rejects.toThrow(StorageSetupError)
    await expect(
      LowdbAtlasStore.open(dir, { cipher: new AtRestCipher(randomBytes(32)) }),
    ).rejects.toThrow(/not the key/)
  })

  it('refuses a key for a folder written without one, also one from before the folder said so', async () => {
    const store = await LowdbAtlasStore.open(dir)
    await store.createAtlas(META)
    const cipher = new AtRestCipher(randomBytes(32))
    await expect(LowdbAtlasStore.open(dir, { cipher })).rejects.toThrow(/is not encrypted/)
    await rm(join(dir, 'storage.json'))
    await expect(LowdbAtlasStore.open(dir, { cipher })).rejects.toThrow(
      /holds atlases stored without encryption/,
    )
    expect((await (await LowdbAtlasStore.open(dir)).getMeta(ID))?.title).toBe(SECRET_TITLE)
  })
})
