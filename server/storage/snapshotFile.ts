import { createHash } from 'node:crypto'
import type { AtRestCipher } from './encryption'

/**
 * State bytes turned into file bytes per turn of the event loop: 96 KiB becomes 128 KiB of
 * base64, about a millisecond of hashing, encoding and (with a key) encrypting on our machines
 * (Node 20: the base64 text and its bytes are most of it; 384 KiB took 5–6 ms).
 */
export const SLICE_BYTES = 3 * 32 * 1024

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * The bytes of a snapshot file (`{"version":1,"savedAt":…,"state":<base64>,"sha256":…}`, sealed
 * for `context` with a cipher), made in slices with a turn of the event loop between them: a
 * state of many megabytes (an import, a large atlas's full save) would otherwise hold up every
 * other atlas for tens of milliseconds (JSON.stringify alone of an 11 MB string takes ~50 ms).
 * The text is ASCII throughout (base64, hex, an ISO time), so it needs no escaping.
 */
export async function snapshotFileBytes(
  state: Uint8Array,
  savedAt: string,
  seal: { cipher: AtRestCipher; context: string } | null,
): Promise<Uint8Array[]> {
  const sealer = seal ? seal.cipher.sealer(seal.context) : null
  const pieces: Uint8Array[] = sealer ? [sealer.head] : []
  const add = (text: string) => {
    const bytes = Buffer.from(text, 'latin1')
    pieces.push(sealer ? sealer.update(bytes) : bytes)
  }
  const hash = createHash('sha256')
  add(`{"version":1,"savedAt":${JSON.stringify(savedAt)},"state":"`)
  const whole = Buffer.from(state.buffer, state.byteOffset, state.byteLength)
  for (let at = 0; at < whole.byteLength; at += SLICE_BYTES) {
    if (at > 0) await nextTurn()
    const slice = whole.subarray(at, at + SLICE_BYTES)
    hash.update(slice)
    // Slices of a multiple of 3 bytes: their base64 joins without padding in between.
    add(slice.toString('base64'))
  }
  add(`","sha256":"${hash.digest('hex')}"}`)
  if (sealer) pieces.push(sealer.end())
  return pieces
}
