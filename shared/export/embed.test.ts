import { DOMParser, XMLSerializer, type Element as XmlElement } from '@xmldom/xmldom'
import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { MAX_ATLAS_FILE_BYTES } from '../api/atlases'
import { buildAtlasFile } from '../api/atlasFile'
import { buildSampleAtlas, seedAtlasDoc } from '../domain/sampleAtlas'
import {
  embedAtlasInPng,
  embedAtlasInSvg,
  PNG_KEYWORD,
  readEmbeddedAtlas,
  SVG_NAMESPACE,
  withoutEmbeddedAtlas,
  withPngResolution,
} from './embed'

function sampleAtlasJson(title = 'Voorbeeldatlas van Sanne'): string {
  const doc = new Y.Doc()
  seedAtlasDoc(doc, buildSampleAtlas({ thisYear: 2026 }))
  return JSON.stringify(buildAtlasFile(doc, title, new Date('2026-03-01T10:00:00Z')))
}

const atlasJson = sampleAtlasJson()

/** A real 5×3 RGBA PNG with a different colour in every pixel. */
function tinyPng(): { png: Uint8Array; pixels: Uint8Array } {
  const image = new PNG({ width: 5, height: 3 })
  for (let i = 0; i < image.data.length; i++) image.data[i] = (i * 37 + 11) % 256
  return { png: new Uint8Array(PNG.sync.write(image)), pixels: new Uint8Array(image.data) }
}

/** Chunk types and data, read independently of the module under test. */
function chunksOf(png: Uint8Array): { type: string; data: Uint8Array; crc: number; at: number }[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  const out = []
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at)
    const type = new TextDecoder('latin1').decode(png.subarray(at + 4, at + 8))
    out.push({
      type,
      data: png.subarray(at + 8, at + 8 + length),
      crc: view.getUint32(at + 8 + length),
      at,
    })
    at += 12 + length
  }
  return out
}

/** Bitwise CRC-32 (no table), to check the module's CRCs against. */
function slowCrc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const b of bytes) {
    c ^= b
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1
  }
  return (c ^ 0xffffffff) >>> 0
}

/** A PNG chunk with a correct CRC. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  out.set(new TextEncoder().encode(type), 4)
  out.set(data, 8)
  view.setUint32(8 + data.length, slowCrc32(out.subarray(4, 8 + data.length)))
  return out
}

/** `png` with `extra` put in just before IEND (the last 12 bytes). */
function withChunkBeforeEnd(png: Uint8Array, extra: Uint8Array): Uint8Array {
  const end = png.length - 12
  const out = new Uint8Array(png.length + extra.length)
  out.set(png.subarray(0, end))
  out.set(extra, end)
  out.set(png.subarray(end), end + extra.length)
  return out
}

async function compress(bytes: Uint8Array, format: CompressionFormat): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream(format))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

async function decompress(bytes: Uint8Array, format: CompressionFormat): Promise<string> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream(format))
  return new Response(stream).text()
}

function iTxtData(keyword: string, flag: number, text: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(`${keyword}\0`)
  const data = new Uint8Array(head.length + 4 + text.length)
  data.set(head)
  data.set([flag, 0, 0, 0], head.length)
  data.set(text, head.length + 4)
  return data
}

const utf8 = (text: string) => new TextEncoder().encode(text)

/** Deterministic pseudo-random bytes. */
function randomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length)
  let s = seed
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    out[i] = s >>> 24
  }
  return out
}

function parseXml(text: string) {
  return new DOMParser({
    onError: (level, message) => {
      throw new Error(`${level}: ${message}`)
    },
  }).parseFromString(text, 'image/svg+xml')
}

const SVG = `<?xml version="1.0" encoding="UTF-8"?>
<!-- made by a drawing program -->
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80" viewBox="0 0 120 80" data-note="a > b"><defs><style>.t { fill: #123; }</style></defs><rect x="10" y="10" width="100" height="60" fill="#1f5fae"/><text class="t" x="20" y="45">Sanne &amp; Kees</text></svg>
`

describe('a PNG that carries the atlas', () => {
  it('gives the atlas file back, and still decodes to the same pixels', async () => {
    const { png, pixels } = tinyPng()
    const embedded = await embedAtlasInPng(png, atlasJson)

    expect(await readEmbeddedAtlas(embedded)).toEqual({
      kind: 'atlas',
      json: atlasJson,
      from: 'png',
    })
    const decoded = PNG.sync.read(Buffer.from(embedded))
    expect([decoded.width, decoded.height]).toEqual([5, 3])
    expect(new Uint8Array(decoded.data)).toEqual(pixels)
  })

  it('puts one standard, compressed iTXt chunk just before IEND, with a correct CRC', async () => {
    const { png } = tinyPng()
    const embedded = await embedAtlasInPng(png, atlasJson)
    const chunks = chunksOf(embedded)
    expect(chunks.map((c) => c.type)).toEqual([
      ...chunksOf(png)
        .map((c) => c.type)
        .filter((t) => t !== 'IEND'),
      'iTXt',
      'IEND',
    ])
    const text = chunks.at(-2)
    if (!text) throw new Error('no chunk')
    expect(slowCrc32(embedded.subarray(text.at + 4, text.at + 8 + text.data.length))).toBe(text.crc)
    // keyword \0, compression flag 1, method 0 (zlib), empty language tag and translated keyword
    const head = utf8(`${PNG_KEYWORD}\0`)
    expect(text.data.subarray(0, head.length)).toEqual(head)
    expect([...text.data.subarray(head.length, head.length + 4)]).toEqual([1, 0, 0, 0])
    const json = await decompress(text.data.subarray(head.length + 4), 'deflate')
    expect(json).toBe(atlasJson)
    // Compressed, not stored: far smaller than the file itself.
    expect(text.data.length).toBeLessThan(utf8(atlasJson).length / 3)
  })

  it('replaces the atlas of an image that already had one', async () => {
    const { png } = tinyPng()
    const second = sampleAtlasJson('Tweede versie')
    const twice = await embedAtlasInPng(await embedAtlasInPng(png, atlasJson), second)
    expect(chunksOf(twice).filter((c) => c.type === 'iTXt')).toHaveLength(1)
    expect(await readEmbeddedAtlas(twice)).toEqual({ kind: 'atlas', json: second, from: 'png' })
  })

  it('keeps text outside ASCII as it is', async () => {
    const json = sampleAtlasJson('Atlas van Zoë – ❤️ 💬 (ĳ)')
    const result = await readEmbeddedAtlas(await embedAtlasInPng(tinyPng().png, json))
    expect(result).toEqual({ kind: 'atlas', json, from: 'png' })
  })

  it('reads an uncompressed iTXt chunk too', async () => {
    const png = withChunkBeforeEnd(
      tinyPng().png,
      chunk('iTXt', iTxtData('netwerkatlas', 0, utf8(atlasJson))),
    )
    expect(await readEmbeddedAtlas(png)).toEqual({ kind: 'atlas', json: atlasJson, from: 'png' })
  })

  it('says a PNG without our chunk holds no atlas, also with other text chunks', async () => {
    const { png } = tinyPng()
    expect(await readEmbeddedAtlas(png)).toEqual({ kind: 'no-data' })
    const other = withChunkBeforeEnd(png, chunk('tEXt', utf8('Software\0Some editor')))
    expect(await readEmbeddedAtlas(other)).toEqual({ kind: 'no-data' })
    const foreign = withChunkBeforeEnd(png, chunk('iTXt', iTxtData('netwerkatlasx', 0, utf8('{}'))))
    expect(await readEmbeddedAtlas(foreign)).toEqual({ kind: 'no-data' })
  })

  it('calls a PNG damaged when the chunk CRC does not match', async () => {
    const embedded = await embedAtlasInPng(tinyPng().png, atlasJson)
    const text = chunksOf(embedded).find((c) => c.type === 'iTXt')
    if (!text) throw new Error('no chunk')
    // The data is intact; only the stored CRC says otherwise.
    const badCrc = embedded.slice()
    const crcAt = text.at + 8 + text.data.length
    badCrc[crcAt] = (badCrc[crcAt] as number) ^ 0x40
    expect(await readEmbeddedAtlas(badCrc)).toEqual({ kind: 'damaged' })
    // A changed data byte under the old CRC.
    const badData = embedded.slice()
    badData[crcAt - 10] = (badData[crcAt - 10] as number) ^ 0x40
    expect(await readEmbeddedAtlas(badData)).toEqual({ kind: 'damaged' })
  })

  it('calls a PNG damaged when the compressed payload is truncated or corrupt', async () => {
    const { png } = tinyPng()
    const compressed = await compress(utf8(atlasJson), 'deflate')
    const truncated = compressed.subarray(0, compressed.length >> 1)
    const cut = withChunkBeforeEnd(png, chunk('iTXt', iTxtData('netwerkatlas', 1, truncated)))
    expect(await readEmbeddedAtlas(cut)).toEqual({ kind: 'damaged' })

    const corrupt = compressed.slice()
    corrupt[corrupt.length >> 1] = (corrupt[corrupt.length >> 1] as number) ^ 0xff
    const bad = withChunkBeforeEnd(png, chunk('iTXt', iTxtData('netwerkatlas', 1, corrupt)))
    expect(await readEmbeddedAtlas(bad)).toEqual({ kind: 'damaged' })

    const notAtlas = await compress(utf8('{"format":"excalidraw"}'), 'deflate')
    const foreign = withChunkBeforeEnd(png, chunk('iTXt', iTxtData('netwerkatlas', 1, notAtlas)))
    expect(await readEmbeddedAtlas(foreign)).toEqual({ kind: 'damaged' })
  })

  it('calls a PNG damaged when the file is cut off', async () => {
    const embedded = await embedAtlasInPng(tinyPng().png, atlasJson)
    for (const length of [embedded.length - 1, embedded.length - 12, embedded.length >> 1, 20]) {
      expect(await readEmbeddedAtlas(embedded.subarray(0, length)), `${length}`).toEqual({
        kind: 'damaged',
      })
    }
  })

  it('stops inflating past the atlas file limit', async () => {
    const huge = new Uint8Array(MAX_ATLAS_FILE_BYTES + 1024).fill(0x20)
    const bomb = await compress(huge, 'deflate')
    expect(bomb.length).toBeLessThan(100_000)
    const png = withChunkBeforeEnd(tinyPng().png, chunk('iTXt', iTxtData('netwerkatlas', 1, bomb)))
    expect(await readEmbeddedAtlas(png)).toEqual({ kind: 'too-large' })
  })

  it('refuses to embed into something that is not a PNG, or something that is not an atlas file', async () => {
    await expect(embedAtlasInPng(utf8(SVG), atlasJson)).rejects.toThrow('Not a PNG image')
    await expect(embedAtlasInPng(tinyPng().png, '{"format":"other"}')).rejects.toThrow(
      'Not an atlas file',
    )
    const tooLarge = `{"format":"netwerkatlas","pad":"${' '.repeat(MAX_ATLAS_FILE_BYTES)}"}`
    await expect(embedAtlasInPng(tinyPng().png, tooLarge)).rejects.toThrow(RangeError)
  })
})

describe('an SVG that carries the atlas', () => {
  it('gives the atlas file back', async () => {
    const embedded = await embedAtlasInSvg(SVG, atlasJson)
    expect(await readEmbeddedAtlas(utf8(embedded))).toEqual({
      kind: 'atlas',
      json: atlasJson,
      from: 'svg',
    })
  })

  it('is still well-formed XML with the same drawing, and the metadata first in the root', async () => {
    const embedded = await embedAtlasInSvg(SVG, atlasJson)
    const doc = parseXml(embedded)
    const root = doc.documentElement
    if (!root) throw new Error('no root')
    expect(root.localName).toBe('svg')
    const first = root.firstChild as XmlElement
    expect(first.nodeName).toBe('metadata')
    const payload = first.firstChild as XmlElement
    expect(payload.namespaceURI).toBe(SVG_NAMESPACE)
    expect(payload.localName).toBe('atlas')
    expect(payload.getAttribute('encoding')).toBe('gzip+base64')
    const gz = Uint8Array.from(atob(payload.textContent ?? ''), (c) => c.charCodeAt(0))
    expect(await decompress(gz, 'gzip')).toBe(atlasJson)

    // Without the metadata element, the document is the original one.
    root.removeChild(first)
    const serialize = (d: ReturnType<typeof parseXml>) => new XMLSerializer().serializeToString(d)
    expect(serialize(doc)).toBe(serialize(parseXml(SVG)))
    // And the text outside the inserted element is byte for byte the original.
    const start = embedded.indexOf('<metadata>')
    const end = embedded.indexOf('</metadata>') + '</metadata>'.length
    expect(embedded.slice(0, start) + embedded.slice(end)).toBe(SVG)
    expect(SVG.slice(0, start).endsWith('data-note="a > b">')).toBe(true)
  })

  it('handles a root element that closes itself, and single quotes', async () => {
    const svg = "<svg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/>"
    const embedded = await embedAtlasInSvg(svg, atlasJson)
    expect(parseXml(embedded).documentElement?.firstChild?.nodeName).toBe('metadata')
    expect(embedded.endsWith('</metadata></svg>')).toBe(true)
    expect(await readEmbeddedAtlas(utf8(embedded))).toMatchObject({ kind: 'atlas', from: 'svg' })
  })

  it('replaces the atlas of an SVG that already had one', async () => {
    const second = sampleAtlasJson('Tweede versie')
    const twice = await embedAtlasInSvg(await embedAtlasInSvg(SVG, atlasJson), second)
    expect(twice.split('<metadata>')).toHaveLength(2)
    expect(await readEmbeddedAtlas(utf8(twice))).toEqual({
      kind: 'atlas',
      json: second,
      from: 'svg',
    })
  })

  it('reads a payload that an editor wrapped over several lines', async () => {
    const embedded = await embedAtlasInSvg(SVG, atlasJson)
    const wrapped = embedded.replace(/>([A-Za-z0-9+/=]{200,})</, (_, b64: string) => {
      return `>\n${b64.match(/.{1,76}/g)?.join('\n')}\n<`
    })
    expect(wrapped).not.toBe(embedded)
    expect(await readEmbeddedAtlas(utf8(wrapped))).toMatchObject({ kind: 'atlas', json: atlasJson })
  })

  it('says an SVG without our element holds no atlas', async () => {
    expect(await readEmbeddedAtlas(utf8(SVG))).toEqual({ kind: 'no-data' })
    const withMetadata = SVG.replace(
      '<defs>',
      '<metadata><rdf:RDF xmlns:rdf="x"/></metadata><defs>',
    )
    expect(await readEmbeddedAtlas(utf8(withMetadata))).toEqual({ kind: 'no-data' })
  })

  it('calls an SVG damaged when its payload is changed, cut off or not base64', async () => {
    const embedded = await embedAtlasInSvg(SVG, atlasJson)
    const start = embedded.indexOf('gzip+base64">') + 'gzip+base64">'.length
    const flipped =
      embedded.slice(0, start + 40) +
      (embedded[start + 40] === 'A' ? 'B' : 'A') +
      embedded.slice(start + 41)
    expect(await readEmbeddedAtlas(utf8(flipped))).toEqual({ kind: 'damaged' })
    expect(await readEmbeddedAtlas(utf8(embedded.slice(0, start + 100)))).toEqual({
      kind: 'damaged',
    })
    const notBase64 = `${embedded.slice(0, start)}%%%${embedded.slice(start + 3)}`
    expect(await readEmbeddedAtlas(utf8(notBase64))).toEqual({ kind: 'damaged' })
    const otherEncoding = embedded.replace('gzip+base64', 'brotli')
    expect(await readEmbeddedAtlas(utf8(otherEncoding))).toEqual({ kind: 'damaged' })
  })

  it('stops inflating past the atlas file limit', async () => {
    const bomb = await compress(new Uint8Array(MAX_ATLAS_FILE_BYTES + 1024).fill(0x20), 'gzip')
    let binary = ''
    for (const b of bomb) binary += String.fromCharCode(b)
    const svg = SVG.replace(
      '<defs>',
      `<metadata><netwerkatlas:atlas xmlns:netwerkatlas="${SVG_NAMESPACE}">${btoa(binary)}</netwerkatlas:atlas></metadata><defs>`,
    )
    expect(await readEmbeddedAtlas(utf8(svg))).toEqual({ kind: 'too-large' })
  })

  it('refuses to embed into text without an <svg> root', async () => {
    await expect(embedAtlasInSvg('<html><svg></svg></html>', atlasJson)).rejects.toThrow(
      'Not an SVG image',
    )
  })
})

describe('other files', () => {
  it('takes a plain atlas file as it is, with or without a byte order mark', async () => {
    expect(await readEmbeddedAtlas(utf8(atlasJson))).toEqual({
      kind: 'atlas',
      json: atlasJson,
      from: 'file',
    })
    const pretty = `\n${JSON.stringify(JSON.parse(atlasJson), null, 2)}\n`
    expect(await readEmbeddedAtlas(utf8(`\uFEFF${pretty}`))).toEqual({
      kind: 'atlas',
      json: pretty,
      from: 'file',
    })
  })

  it('calls a cut-off atlas file, other JSON, text and random bytes damaged', async () => {
    const cases: [string, Uint8Array][] = [
      ['empty', new Uint8Array()],
      ['cut-off atlas file', utf8(atlasJson.slice(0, 500))],
      ['other JSON', utf8('{"type":"excalidraw","elements":[]}')],
      ['a JSON array', utf8('[]')],
      ['text', utf8('Hallo, dit is geen atlas.')],
      ['HTML', utf8('<!doctype html><html><body><svg></svg></body></html>')],
      ['PNG signature only', tinyPng().png.subarray(0, 8)],
    ]
    for (let seed = 1; seed <= 20; seed++) {
      cases.push([`random bytes ${seed}`, randomBytes(64 + seed * 97, seed)])
    }
    for (const [name, bytes] of cases) {
      expect(await readEmbeddedAtlas(bytes), name).toEqual({ kind: 'damaged' })
    }
  })

  it('calls a plain atlas file larger than an import accepts too large', async () => {
    const big = `{"format":"netwerkatlas","pad":"${' '.repeat(MAX_ATLAS_FILE_BYTES)}"}`
    expect(await readEmbeddedAtlas(utf8(big))).toEqual({ kind: 'too-large' })
  })
})

describe('withoutEmbeddedAtlas', () => {
  it('takes the atlas out of a PNG and keeps its pixels', async () => {
    const { png, pixels } = tinyPng()
    const carrying = await embedAtlasInPng(png, atlasJson)
    const plain = withoutEmbeddedAtlas(carrying)
    await expect(readEmbeddedAtlas(plain)).resolves.toEqual({ kind: 'no-data' })
    expect(new Uint8Array(PNG.sync.read(Buffer.from(plain)).data)).toEqual(pixels)
    expect(plain).toEqual(png)
  })

  it('takes the atlas out of an SVG', async () => {
    const carrying = await embedAtlasInSvg(SVG, atlasJson)
    const plain = withoutEmbeddedAtlas(utf8(carrying))
    await expect(readEmbeddedAtlas(plain)).resolves.toEqual({ kind: 'no-data' })
    expect(new TextDecoder().decode(plain)).toBe(SVG)
  })

  it('leaves other files as they are', () => {
    const bytes = randomBytes(100, 7)
    expect(withoutEmbeddedAtlas(bytes)).toBe(bytes)
  })
})

describe('withPngResolution', () => {
  it('leaves exactly one pHYs chunk, right after IHDR, saying the dpi', () => {
    const { png, pixels } = tinyPng()
    const once = withPngResolution(png, 72)
    const twice = withPngResolution(once, 300)
    const chunks = chunksOf(twice)
    expect(chunks.map((c) => c.type).filter((t) => t === 'pHYs')).toHaveLength(1)
    expect(chunks[1]?.type).toBe('pHYs')
    const phys = chunks[1]?.data as Uint8Array
    const view = new DataView(phys.buffer, phys.byteOffset, phys.byteLength)
    expect(Math.round(view.getUint32(0) * 0.0254)).toBe(300)
    expect(Math.round(view.getUint32(4) * 0.0254)).toBe(300)
    expect(view.getUint8(8)).toBe(1)
    expect(chunks[1]?.crc).toBe(slowCrc32(concatBytes(utf8('pHYs'), phys)))
    expect(new Uint8Array(PNG.sync.read(Buffer.from(twice)).data)).toEqual(pixels)
  })
})

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}
