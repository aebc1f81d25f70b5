/** Atlas ids: 22 url-safe characters (128 random bits); they name a room, they grant nothing. */
export const ATLAS_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/

/** Link secrets: 43 url-safe characters (256 random bits). */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/

/** True when `id` has the shape of an atlas id. */
export function isAtlasId(id: string): boolean {
  return ATLAS_ID_PATTERN.test(id)
}

/** True when `token` has the shape of a link secret. */
export function isToken(token: string): boolean {
  return TOKEN_PATTERN.test(token)
}
