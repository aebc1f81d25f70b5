import { MAX_ATLAS_FILE_BYTES } from '../api/atlases'
import { ATLAS_FILE_FORMAT } from '../api/atlasFile'

/*
 * "Editable images": an exported PNG or SVG carries the whole atlas file, so opening the image
 * on the home page gives the atlas back. Pure TypeScript on web-platform globals that Node 20
 * and browsers share (CompressionStream, TextEncoder, atob/btoa, Blob, Response).
 *
 * PNG: one iTXt chunk, keyword `netwerkatlas`, compression flag 1 (zlib), just before IEND.
 * iTXt rather than tEXt or zTXt because it is the one text chunk the PNG specification allows
 * to hold UTF-8 (the others are Latin-1), and its own compression stores the bytes as they are,
 * with no base64 overhead; any PNG tool that reads text chunks (exiftool, Pillow) shows the
 * atlas file as it is.
 * SVG: `<metadata><netwerkatlas:atlas xmlns:netwerkatlas="urn:netwerkatlas:atlas-file"
 * encoding="gzip+base64">…</netwerkatlas:atlas></metadata>` right after the root start tag;
 * base64 needs no escaping in XML, and metadata is never drawn.
 */

/** Keyword of the PNG iTXt chunk that holds the atlas file. */
export const PNG_KEYWORD = 'netwerkatlas'
/** XML namespace of the element that holds the atlas file in an SVG. */
export const SVG_NAMESPACE = 'urn:netwerkatlas:atlas-file'
/** Largest file `readEmbeddedAtlas` looks into (an image holds its pixels besides the atlas). */
export const MAX_OPEN_FILE_BYTES = 100 * 1024 * 1024

/** What a file turned out to hold. */
export type EmbeddedResult =
  /** An atlas file (its JSON text), from an image we made or from a plain atlas file. */
  | { kind: 'atlas'; json: string; from: 'png' | 'svg' | 'file' }
  /** A readable PNG or SVG without an atlas in it. */
  | { kind: 'no-data' }
  /** A PNG or SVG whose atlas is damaged, or a file that is neither an image nor an atlas file. */
  | { kind: 'damaged' }
  /** The file, or the atlas file in it, is larger than an import accepts. */
  | { kind: 'too-large' }

const SVG_ELEMENT = 'netwerkatlas:atlas'
const SVG_ENCODING = 'gzip+base64'
const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10]
const utf8 = new TextEncoder()

/**
 * Returns the PNG with the atlas file in an iTXt chunk before IEND (an atlas put in before is
 * replaced). Throws when `png` is not a PNG, or the atlas file is not one or is too large.
 */
export async function embedAtlasInPng(png: Uint8Array, atlasFileJson: string): Promise<Uint8Array> {
  const chunks = pngChunks(png)
  if (!chunks) throw new TypeError('Not a PNG image')
  const payload = await deflate(checkedAtlasFile(atlasFileJson), 'deflate')
  const header = latin1Bytes(`${PNG_KEYWORD}\0\x01\x00\0\0`) // flag 1, method 0, no language
  const data = concat([header, payload])
  const chunk = new Uint8Array(12 + data.length)
  const view = new DataView(chunk.buffer)
  view.setUint32(0, data.length)
  chunk.set(latin1Bytes('iTXt'), 4)
  chunk.set(data, 8)
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)))

  const parts: Uint8Array[] = [png.subarray(0, 8)]
  for (const c of chunks) {
    if (c.type === 'IEND') parts.push(chunk)
    if (!(c.type === 'iTXt' && isOurTextChunk(png.subarray(c.dataStart, c.dataEnd)))) {
      parts.push(png.subarray(c.start, c.end))
    }
  }
  return concat(parts)
}

/**
 * Returns the SVG with the atlas file in a `<metadata>` element right after the root start tag
 * (an atlas put in before is replaced). Throws when `svg` has no `<svg>` root, or the atlas file
 * is not one or is too large.
 */
export async function embedAtlasInSvg(svg: string, atlasFileJson: string): Promise<string> {
  const payload = toBase64(await deflate(checkedAtlasFile(atlasFileJson), 'gzip'))
  const clean = removeSvgPayload(svg)
  const root = findSvgRoot(clean)
  if (!root) throw new TypeError('Not an SVG image')
  const metadata = `<metadata><${SVG_ELEMENT} xmlns:netwerkatlas="${SVG_NAMESPACE}" encoding="${SVG_ENCODING}">${payload}</${SVG_ELEMENT}></metadata>`
  if (root.selfClosing) {
    return `${clean.slice(0, root.end - 2)}>${metadata}</svg>${clean.slice(root.end)}`
  }
  return clean.slice(0, root.end) + metadata + clean.slice(root.end)
}

/**
 * The file without an atlas in it: a PNG without our iTXt chunk, an SVG without our metadata;
 * anything else as it is. For an image that is put on a map as a picture, so that another
 * atlas's people never travel inside this one.
 */
export function withoutEmbeddedAtlas(bytes: Uint8Array): Uint8Array {
  const chunks = pngChunks(bytes)
  if (chunks) {
    const kept = chunks.filter(
      (c) => !(c.type === 'iTXt' && isOurTextChunk(bytes.subarray(c.dataStart, c.dataEnd))),
    )
    return concat([bytes.subarray(0, 8), ...kept.map((c) => bytes.subarray(c.start, c.end))])
  }
  const text = decodeUtf8(bytes)
  if (text?.includes(`<${SVG_ELEMENT}`)) return utf8.encode(removeSvgPayload(text))
  return bytes
}

/**
 * The PNG with one pHYs chunk saying `dpi` (any earlier pHYs removed), so that paper programs
 * print it at its real size. Throws when `png` is not a PNG.
 */
export function withPngResolution(png: Uint8Array, dpi: number): Uint8Array {
  const chunks = pngChunks(png)
  if (!chunks) throw new TypeError('Not a PNG image')
  const perMetre = Math.round(dpi / 0.0254)
  const chunk = new Uint8Array(21)
  const view = new DataView(chunk.buffer)
  view.setUint32(0, 9)
  chunk.set(latin1Bytes('pHYs'), 4)
  view.setUint32(8, perMetre)
  view.setUint32(12, perMetre)
  chunk[16] = 1 // unit: metre
  view.setUint32(17, crc32(chunk.subarray(4, 17)))
  const parts: Uint8Array[] = [png.subarray(0, 8)]
  for (const c of chunks) {
    if (c.type === 'pHYs') continue
    parts.push(png.subarray(c.start, c.end))
    if (c.type === 'IHDR') parts.push(chunk)
  }
  return concat(parts)
}

/**
 * Tells what a file holds: an atlas (from a PNG or SVG we made, or a plain atlas file), an
 * image without one, or something damaged or too large. Never throws.
 */
export async function readEmbeddedAtlas(bytes: Uint8Array): Promise<EmbeddedResult> {
  try {
    if (bytes.length > MAX_OPEN_FILE_BYTES) return { kind: 'too-large' }
    if (hasPngSignature(bytes)) return await readPng(bytes)
    const text = decodeUtf8(bytes)
    if (text === null) return { kind: 'damaged' }
    const first = text.trimStart()[0]
    if (first === '{') {
      if (bytes.length > MAX_ATLAS_FILE_BYTES) return { kind: 'too-large' }
      return isAtlasFile(text) ? { kind: 'atlas', json: text, from: 'file' } : { kind: 'damaged' }
    }
    if (first === '<' && findSvgRoot(text)) return await readSvg(text)
    return { kind: 'damaged' }
  } catch {
    return { kind: 'damaged' }
  }
}

async function readPng(bytes: Uint8Array): Promise<EmbeddedResult> {
  const chunks = pngChunks(bytes)
  if (!chunks) return { kind: 'damaged' }
  for (const c of chunks) {
    if (c.type !== 'iTXt' || !isOurTextChunk(bytes.subarray(c.dataStart, c.dataEnd))) continue
    const stored = new DataView(bytes.buffer, bytes.byteOffset).getUint32(c.dataEnd)
    if (crc32(bytes.subarray(c.start + 4, c.dataEnd)) !== stored) return { kind: 'damaged' }
    return fromText(await iTxtText(bytes.subarray(c.dataStart, c.dataEnd)), 'png')
  }
  return { kind: 'no-data' }
}

async function readSvg(svg: string): Promise<EmbeddedResult> {
  const start = svg.indexOf(`<${SVG_ELEMENT}`)
  if (start < 0) return { kind: 'no-data' }
  const match = SVG_PAYLOAD.exec(svg.slice(start))
  if (!match) return { kind: 'damaged' }
  const encoding = /\bencoding\s*=\s*["']([^"']*)["']/.exec(match[1] ?? '')?.[1]
  if (encoding !== undefined && encoding !== SVG_ENCODING) return { kind: 'damaged' }
  const compressed = fromBase64(match[2] ?? '')
  return fromText(compressed && (await inflate(compressed, 'gzip')), 'svg')
}

/** Our element with its attributes (group 1) and base64 text (group 2). */
const SVG_PAYLOAD = new RegExp(`^<${SVG_ELEMENT}\\b([^>]*)>([^<]*)</${SVG_ELEMENT}\\s*>`)

function fromText(inflated: Uint8Array | 'too-large' | null, from: 'png' | 'svg'): EmbeddedResult {
  if (inflated === 'too-large') return { kind: 'too-large' }
  const text = inflated && decodeUtf8(inflated)
  return text && isAtlasFile(text) ? { kind: 'atlas', json: text, from } : { kind: 'damaged' }
}

function checkedAtlasFile(json: string): Uint8Array {
  const bytes = utf8.encode(json)
  if (bytes.length > MAX_ATLAS_FILE_BYTES) throw new RangeError('The atlas file is too large')
  if (!isAtlasFile(json)) throw new TypeError('Not an atlas file')
  return bytes
}

/** Whether `text` is JSON of an object with our `format` (the server checks the rest). */
function isAtlasFile(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text)
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { format?: unknown }).format === ATLAS_FILE_FORMAT
    )
  } catch {
    return false
  }
}

// ---- PNG chunks -------------------------------------------------------------------------------

interface PngChunk {
  type: string
  /** Offset of the length field. */
  start: number
  dataStart: number
  /** Offset of the CRC. */
  dataEnd: number
  end: number
}

function hasPngSignature(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)
}

/** The chunks from IHDR to IEND, or null when the structure is broken or truncated. */
function pngChunks(bytes: Uint8Array): PngChunk[] | null {
  if (!hasPngSignature(bytes)) return null
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const chunks: PngChunk[] = []
  let at = 8
  while (at + 12 <= bytes.length) {
    const length = view.getUint32(at)
    const end = at + 12 + length
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8))
    if (length > 0x7fffffff || end > bytes.length || !/^[A-Za-z]{4}$/.test(type)) return null
    chunks.push({ type, start: at, dataStart: at + 8, dataEnd: at + 8 + length, end })
    if (type === 'IEND') return chunks[0]?.type === 'IHDR' ? chunks : null
    at = end
  }
  return null
}

function isOurTextChunk(data: Uint8Array): boolean {
  const keyword = latin1Bytes(`${PNG_KEYWORD}\0`)
  return data.length >= keyword.length && keyword.every((b, i) => data[i] === b)
}

/** The text of one of our iTXt chunks, inflated when compressed; null when malformed. */
async function iTxtText(data: Uint8Array): Promise<Uint8Array | 'too-large' | null> {
  let at = PNG_KEYWORD.length + 1
  const flag = data[at]
  const method = data[at + 1]
  at += 2
  for (let nulls = 0; nulls < 2; at++) {
    if (at >= data.length) return null
    if (data[at] === 0) nulls++
  }
  const text = data.subarray(at)
  if (flag === 0) return text.length > MAX_ATLAS_FILE_BYTES ? 'too-large' : text
  if (flag === 1 && method === 0) return inflate(text, 'deflate')
  return null
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

/** CRC-32 as PNG uses it (over chunk type and data). */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

// ---- SVG --------------------------------------------------------------------------------------

/** Where the root `<svg …>` start tag ends (just past its `>`), or null when there is none. */
function findSvgRoot(svg: string): { end: number; selfClosing: boolean } | null {
  let at = 0
  const skip = (open: string, close: string): boolean => {
    if (!svg.startsWith(open, at)) return false
    const end = svg.indexOf(close, at + open.length)
    at = end < 0 ? svg.length : end + close.length
    return true
  }
  for (;;) {
    while (at < svg.length && /[\s\uFEFF]/.test(svg[at] as string)) at++
    if (skip('<?', '?>') || skip('<!--', '-->')) continue
    if (svg.startsWith('<!DOCTYPE', at)) {
      const subset = svg.indexOf('[', at)
      const close = svg.indexOf('>', at)
      if (subset >= 0 && subset < close) skip('<!DOCTYPE', ']>')
      else skip('<!DOCTYPE', '>')
      continue
    }
    break
  }
  if (!/^<svg[\s/>]/.test(svg.slice(at, at + 5))) return null
  let quote: string | null = null
  for (let i = at + 4; i < svg.length; i++) {
    const ch = svg[i]
    if (quote) {
      if (ch === quote) quote = null
    } else if (ch === '"' || ch === "'") {
      quote = ch
    } else if (ch === '>') {
      return { end: i + 1, selfClosing: svg[i - 1] === '/' }
    }
  }
  return null
}

/** The SVG without an atlas put in before (and without the metadata element it leaves empty). */
function removeSvgPayload(svg: string): string {
  return svg
    .replace(new RegExp(`<${SVG_ELEMENT}\\b[^>]*>[^<]*</${SVG_ELEMENT}\\s*>`, 'g'), '')
    .replace(/<metadata>\s*<\/metadata>/g, '')
}

// ---- bytes ------------------------------------------------------------------------------------

async function deflate(bytes: Uint8Array, format: CompressionFormat): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream(format))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/**
 * Inflates at most MAX_ATLAS_FILE_BYTES (stops reading past that, so a small bomb cannot fill
 * memory); null when the data is corrupt or truncated.
 */
async function inflate(
  bytes: Uint8Array,
  format: CompressionFormat,
): Promise<Uint8Array | 'too-large' | null> {
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream(format))
    .getReader()
  const parts: Uint8Array[] = []
  let total = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return concat(parts)
      total += value.length
      if (total > MAX_ATLAS_FILE_BYTES) {
        await reader.cancel().catch(() => {})
        return 'too-large'
      }
      parts.push(value)
    }
  } catch {
    return null
  }
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return null
  }
}

function latin1Bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0))
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(binary)
}

/** Bytes of base64 text (white space allowed, as XML tools may wrap it); null when invalid. */
function fromBase64(text: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0))
  } catch {
    return null
  }
}
