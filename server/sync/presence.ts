/**
 * Presence (y-protocols awareness) entries read and written without parsing what the server
 * drops: an awareness update is `[count, (client id, clock, JSON state)…]`, and a state larger
 * than the limit is never decoded, kept or relayed.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { MalformedMessageError } from './errors'

/** One client's presence as sent: its JSON state as raw UTF-8 bytes. */
export interface PresenceEntry {
  client: number
  clock: number
  /** The state's JSON text, UTF-8; `null` (the text) removes it. */
  json: Uint8Array
}

/** More entries than this in one message is not a client: every connection sends its own. */
const MAX_ENTRIES = 1000

const NULL_STATE = new TextEncoder().encode('null')

/** True when the entry removes the client's presence. */
export function removesPresence(entry: PresenceEntry): boolean {
  const { json } = entry
  return json.length === NULL_STATE.length && json.every((b, i) => b === NULL_STATE[i])
}

/**
 * Reads an awareness update. Entries whose state is larger than `maxStateBytes` come back with
 * `oversized`; the others' JSON is checked. Throws `MalformedMessageError` for anything else.
 */
export function readPresence(
  update: Uint8Array,
  maxStateBytes: number,
): { entries: PresenceEntry[]; oversized: number } {
  try {
    const decoder = decoding.createDecoder(update)
    const count = decoding.readVarUint(decoder)
    if (count > MAX_ENTRIES) throw new Error('too many entries')
    const entries: PresenceEntry[] = []
    let oversized = 0
    for (let i = 0; i < count; i++) {
      const client = decoding.readVarUint(decoder)
      const clock = decoding.readVarUint(decoder)
      const json = decoding.readVarUint8Array(decoder)
      if (json.byteLength > maxStateBytes) {
        oversized++
        continue
      }
      JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json))
      entries.push({ client, clock, json })
    }
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes')
    return { entries, oversized }
  } catch {
    throw new MalformedMessageError('awareness update could not be decoded')
  }
}

/** The awareness update that carries these entries, byte for byte as received. */
export function encodePresence(entries: Iterable<PresenceEntry>): Uint8Array {
  const list = [...entries]
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, list.length)
  for (const { client, clock, json } of list) {
    encoding.writeVarUint(encoder, client)
    encoding.writeVarUint(encoder, clock)
    // A var string is its UTF-8 bytes behind their length: the same bytes.
    encoding.writeVarUint8Array(encoder, json)
  }
  return encoding.toUint8Array(encoder)
}
