/*
 * What this page knows of its own build, whether the server said it is too old, and whether a
 * part of the build it loads late is gone from the server. Kept below every screen (client/sync
 * and the late loads tell it, client/pwa shows it).
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

let partMissing = false
const partListeners = new Set<() => void>()

/**
 * A part of this build that loads when first used (export, print) could not be loaded: after a
 * deploy the server holds only the new build's files. The page must be loaded again to use it.
 */
export function markPartMissing(): void {
  if (partMissing) return
  partMissing = true
  for (const listener of partListeners) listener()
}

/** Whether a part of this build could not be loaded (`markPartMissing`). */
export function isPartMissing(): boolean {
  return partMissing
}

/** Calls `listener` when a part of the build could not be loaded; returns the way to stop. */
export function onPartMissing(listener: () => void): () => void {
  partListeners.add(listener)
  return () => partListeners.delete(listener)
}

/**
 * Listens for Vite's `vite:preloadError`: a late part of the build (or a file it needs) did not
 * load. The import still fails where it was made, which shows nothing broken; the update notice
 * says in words what to do. Call once at start-up.
 */
export function watchMissingParts(): void {
  window.addEventListener('vite:preloadError', () => markPartMissing())
}

/**
 * Loads a late part of the build; when it cannot be loaded (`markPartMissing`) it gives
 * `fallback` instead of an error, so a dialog or screen stays whole.
 */
export function loadPart<T>(load: () => Promise<T>, fallback: T): Promise<T> {
  return load().catch((error: unknown) => {
    console.warn('netwerkatlas: a part of the app could not be loaded', error)
    markPartMissing()
    return fallback
  })
}
