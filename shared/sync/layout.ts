/**
 * The layout of an atlas document (one Y.Doc per atlas). Both ends and the benchmarks name the
 * top-level Yjs types through these constants only.
 */

/** Top-level Yjs type holding every tldraw document record, keyed by record id. */
export const RECORDS_KEY = 'records'

/** Top-level Y.Map with document-wide facts (not records). */
export const META_KEY = 'meta'

/** Key in the meta map: the serialised tldraw record schema the records were last written with. */
export const META_SCHEMA = 'schema'

/** Largest websocket message (bytes) the server accepts; a larger one closes that socket. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024

/**
 * A message the server sends beside the y-websocket protocol, `[messageType, state]`: whether
 * the server's copy of the document is on its disk (`saved`) or only in its memory because
 * saving fails (`behind`). Sent to every connection when it changes, and on joining while behind;
 * devices keep their own copy either way, and a badge says "not saved on the server".
 */
export const SaveState = { messageType: 4, saved: 0, behind: 1 } as const

/**
 * The reason sent with 4422 for an update that builds on changes the server lacks: an honest
 * device meets it in a race, and reconnecting (sending all it holds) settles it.
 */
export const INCOMPLETE_UPDATE_REASON =
  'Update refused: it builds on changes the server does not have'

/**
 * The sync protocol a client speaks: the y-websocket messages, the server's own messages and the
 * document layout it writes. A client sends it as `v` in the handshake; a client without `v`
 * speaks version 1. Raise it (and `MIN_SYNC_PROTOCOL`) only when older clients would break.
 */
export const SYNC_PROTOCOL = 1

/** The oldest protocol the server still serves; an older client is told to load the new version. */
export const MIN_SYNC_PROTOCOL = 1

/** Websocket close codes the sync server uses, with the reason sent beside them. */
export const CloseCode = {
  /** Missing, wrong or other-atlas token; sent before any document byte. */
  Unauthorized: 4401,
  /**
   * Privétijd is on: a professional link gets nothing of the atlas or the plan until it ends
   * (sent before any byte to a new connection; ends open ones when it starts).
   */
  PrivateTime: 4403,
  /** A message the server could not decode. */
  MalformedMessage: 4402,
  /** A message larger than MAX_MESSAGE_BYTES. */
  MessageTooLarge: 1009,
  /**
   * An update the server does not take: content the document does not hold (subdocuments,
   * top-level types outside its layout), a record that does not fit the atlas schema, parts it
   * builds on that the server lacks, or more changes in one message than allowed. Nothing of it
   * was applied; the reason says which.
   */
  UpdateRefused: 4422,
  /** The document has reached its size limit: the server takes no more writes to it. */
  DocumentTooLarge: 4413,
  /**
   * The connection asked too much: full states or presence answers above their rate, or too
   * many bytes before it joined. The reason says which.
   */
  TooManyRequests: 4429,
  /** The connection does not read what it is sent: its send buffer passed the limit. */
  SendBufferFull: 4409,
  /** The connection had not joined its document within the time limit. */
  JoinTimeout: 4408,
  /** Too many connections to this atlas, or too many documents open on the server; retry later. */
  TryAgainLater: 1013,
  /**
   * The atlas was deleted by an edit link: nothing of it is left on the server. The device
   * removes its own copy and its links of the atlas.
   */
  Erased: 4410,
  /**
   * The client speaks a protocol older than `MIN_SYNC_PROTOCOL` (sent before any byte): the page
   * asks its user to load the new version.
   */
  ClientTooOld: 4426,
  /** The server is shutting down; the client reconnects. */
  GoingAway: 1001,
} as const
