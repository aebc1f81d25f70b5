import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Low } from 'lowdb'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CorruptFileError, DurableJSONFile, writeFileDurably } from './durable-file'

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netwerkatlas-durable-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('writeFileDurably', () => {
  it('replaces the file and leaves no temp file behind', async () => {
    const path = join(dir, 'a.json')
    await writeFileDurably(path, 'first')
    await writeFileDurably(path, 'second')
    expect(await readFile(path, 'utf8')).toBe('second')
    expect(await readdir(dir)).toEqual(['a.json'])
  })

  it('leaves the old file and no temp file when the write fails', async () => {
    const path = join(dir, 'a.json')
    await writeFileDurably(path, 'old')
    await expect(writeFileDurably(join(dir, 'missing', 'b.json'), 'x')).rejects.toThrow()
    expect(await readFile(path, 'utf8')).toBe('old')
    expect(await readdir(dir)).toEqual(['a.json'])
  })
})

describe('DurableJSONFile with lowdb', () => {
  it('writes valid JSON that a new database reads back', async () => {
    const path = join(dir, 'db.json')
    const db = new Low(new DurableJSONFile<{ items: number[] }>(path), { items: [] })
    await db.read()
    expect(db.data).toEqual({ items: [] })
    await db.update((data) => data.items.push(1, 2, 3))
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ items: [1, 2, 3] })
    const again = new Low(new DurableJSONFile<{ items: number[] }>(path), { items: [] })
    await again.read()
    expect(again.data.items).toEqual([1, 2, 3])
    expect(await readdir(dir)).toEqual(['db.json'])
  })

  it('applies concurrent writes in order; the last one wins', async () => {
    const path = join(dir, 'db.json')
    const adapter = new DurableJSONFile<{ n: number }>(path)
    await Promise.all(Array.from({ length: 20 }, (_, n) => adapter.write({ n })))
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ n: 19 })
    expect(await readdir(dir)).toEqual(['db.json'])
  })

  it('reads a missing file as null and a damaged one as a CorruptFileError without its content', async () => {
    const adapter = new DurableJSONFile<unknown>(join(dir, 'db.json'))
    expect(await adapter.read()).toBeNull()
    await writeFile(join(dir, 'db.json'), '{"secret": "Sanne')
    const error = await adapter.read().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CorruptFileError)
    expect(String((error as Error).message)).not.toContain('Sanne')
  })
})
