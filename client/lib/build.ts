/*
 * What this page knows of its own build, whether the server said it is too old, and whether a
 * part of the build it loads late is gone from the server. Kept below every screen (client/sync
 * and the late loads tell it, client/pwa shows it).
 */

declare const __BUILD_ID__: string

/** The name of the build this page runs (`NETWERKATLAS_BUILD_ID` when built, else the package version). */
export const BUILD_ID: string = typeof __BUILD_ID__ === 'string' ? __BUILD_ID__ : 'dev'

/** A flag that only goes up once, telling its listeners when it does (for `useSyncExternalStore`). */
function onceFlag(): {
  mark: () => void
  isSet: () => boolean
  subscribe: (listener: () => void) => () => void
} {
  let set = false
  const listeners = new Set<() => void>()
  return {
    mark() {
      if (set) return
      set = true
      for (const listener of listeners) listener()
    },
    isSet: () => set,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

const tooOld = onceFlag()

/** The server refused this page's protocol: it must load the new version. */
export const markTooOld: () => void = tooOld.mark

/** Whether the server said this page's build is too old. */
export const isTooOld: () => boolean = tooOld.isSet

/** Calls `listener` when the page learns that it is too old; returns the way to stop. */
export const onTooOld: (listener: () => void) => () => void = tooOld.subscribe

const partMissing = onceFlag()

/**
 * A part of this build that loads when first used (export, print) could not be loaded: after a
 * deploy the server holds only the new build's files. The page must be loaded again to use it.
 */
export const markPartMissing: () => void = partMissing.mark

/** Whether a part of this build could not be loaded (`markPartMissing`). */
export const isPartMissing: () => boolean = partMissing.isSet

/** Calls `listener` when a part of the build could not be loaded; returns the way to stop. */
export const onPartMissing: (listener: () => void) => () => void = partMissing.subscribe

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
