import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

/** Length of an at-rest key: AES-256. */
export const KEY_BYTES = 32
const NONCE_BYTES = 12
const TAG_BYTES = 16
/** First byte of every sealed record; a later format gets another. */
const FORMAT = 1

/** A sealed record could not be opened: another key, another file's record, or damaged bytes. */
export class SealedRecordError extends Error {
  override name = 'SealedRecordError'
}

/**
 * Reads `ATLAS_ENCRYPTION_KEY`: 32 bytes as 64 hex digits or as base64. Returns null for anything
 * else (the caller says what is wrong without repeating the value).
 */
export function parseEncryptionKey(text: string): Buffer | null {
  const trimmed = text.trim()
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex')
  if (/^[A-Za-z0-9+/]{43}=$/.test(trimmed) || /^[A-Za-z0-9_-]{43}$/.test(trimmed)) {
    const key = Buffer.from(trimmed, trimmed.endsWith('=') ? 'base64' : 'base64url')
    if (key.length === KEY_BYTES) return key
  }
  return null
}

/**
 * Authenticated encryption of stored records (AES-256-GCM, Node's crypto): each record is
 * `[format 1][nonce 12][ciphertext][tag 16]` with a fresh random nonce. The record's place (the
 * atlas and file it belongs to) is bound in as associated data, so a record copied into another
 * atlas's file does not open there. See docs/storage-format.md.
 */
export class AtRestCipher {
  readonly #key: Buffer

  constructor(key: Uint8Array) {
    if (key.length !== KEY_BYTES) throw new Error(`an at-rest key has ${KEY_BYTES} bytes`)
    this.#key = Buffer.from(key)
  }

  /** Encrypts `plain` for the place `context` (e.g. `<atlas id>/meta.json`). */
  seal(plain: Uint8Array, context: string): Buffer {
    const sealer = this.sealer(context)
    return Buffer.concat([sealer.head, sealer.update(plain), sealer.end()])
  }

  /**
   * Encrypts a record for `context` piece by piece (the same record `seal` makes of the pieces
   * joined): `head`, then `update` of each piece in order, then `end`.
   */
  sealer(context: string): { head: Buffer; update(piece: Uint8Array): Buffer; end(): Buffer } {
    const nonce = randomBytes(NONCE_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce, { authTagLength: TAG_BYTES })
    cipher.setAAD(Buffer.from(context, 'utf8'))
    return {
      head: Buffer.concat([Buffer.from([FORMAT]), nonce]),
      update: (piece) => cipher.update(piece),
      end: () => Buffer.concat([cipher.final(), cipher.getAuthTag()]),
    }
  }

  /** Decrypts a record sealed for `context`; throws `SealedRecordError` if it does not open. */
  open(sealed: Uint8Array, context: string): Buffer {
    const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength)
    if (bytes.length < 1 + NONCE_BYTES + TAG_BYTES || bytes[0] !== FORMAT) {
      throw new SealedRecordError('not a sealed record')
    }
    const nonce = bytes.subarray(1, 1 + NONCE_BYTES)
    const tag = bytes.subarray(bytes.length - TAG_BYTES)
    const body = bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES)
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, nonce, {
        authTagLength: TAG_BYTES,
      })
      decipher.setAAD(Buffer.from(context, 'utf8'))
      decipher.setAuthTag(tag)
      return Buffer.concat([decipher.update(body), decipher.final()])
    } catch {
      throw new SealedRecordError('record does not open with this key')
    }
  }
}
