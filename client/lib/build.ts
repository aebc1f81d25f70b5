/*
 * What this page knows of its own build, and whether the server said it is too old. Kept below
 * every screen (client/sync tells it, client/pwa shows it).
 */

declare const __BUILD_ID__: string

/** The name of the build this page runs (`NETWERKATLAS_BUILD_ID` when built, else the package version). */
export const BUILD_ID: string = typeof __BUILD_ID__ === 'string' ? __BUILD_ID__ : 'dev'

let tooOld = false
const listeners = new Set<() => void>()

/** The server refused this page's protocol: it must load the new version. */
export function markTooOld(): void {
  if (tooOld) return
  tooOld = true
  for (const listener of listeners) listener()
}

/** Whether the server said this page's build is too old. */
export function isTooOld(): boolean {
  return tooOld
}

/** Calls `listener` when the page learns that it is too old; returns the way to stop. */
export function onTooOld(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
