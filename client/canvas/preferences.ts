import { useCallback, useEffect, useState } from 'react'
import { type TLUserPreferences, userTypeValidator } from 'tldraw'

/**
 * What a participant chose among tldraw's user preferences on this device: snapping, less
 * motion, keyboard shortcuts, the accessibility mode and the like. The name and colour
 * (`client/lib/user.ts`) and the language (`client/i18n`) are kept elsewhere; the colour scheme
 * stays light. (Tool lock, grid and focus mode are tldraw's per-session state, not these.)
 */
export type CanvasPreferences = Omit<
  TLUserPreferences,
  'id' | 'name' | 'color' | 'locale' | 'colorScheme'
>

/** The localStorage key; other tabs of this device hear of a change through it. */
const KEY = 'netwerkatlas:canvas-preferences'

const KEPT_ELSEWHERE = new Set(['id', 'name', 'color', 'locale', 'colorScheme'])

/**
 * The canvas preferences in `prefs`: each known one that is valid on its own, so one unknown or
 * damaged entry (a preference a later tldraw renamed) does not lose the others.
 */
function canvasPreferencesOf(prefs: unknown): CanvasPreferences {
  const kept: Record<string, unknown> = {}
  if (!prefs || typeof prefs !== 'object') return kept
  for (const [key, value] of Object.entries(prefs)) {
    if (KEPT_ELSEWHERE.has(key)) continue
    try {
      userTypeValidator.validate({ id: 'device', [key]: value })
      kept[key] = value
    } catch {
      // Unknown to this tldraw, or not a valid value: left out.
    }
  }
  return kept as CanvasPreferences
}

/** The canvas preferences kept on this device (none when nothing valid is stored). */
function loadCanvasPreferences(): CanvasPreferences {
  try {
    return canvasPreferencesOf(JSON.parse(localStorage.getItem(KEY) ?? '{}'))
  } catch {
    return {}
  }
}

/** Keeps the canvas preferences on this device; a full or blocked storage keeps them for this tab only. */
function saveCanvasPreferences(prefs: CanvasPreferences): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(prefs))
  } catch {
    // The choice still applies in this tab.
  }
}

/**
 * The canvas preferences of this device, followed when another of its tabs changes them (so that
 * tab's next change does not undo this one's), and a stable function that keeps the canvas
 * preferences found in tldraw's user preferences.
 */
export function useCanvasPreferences(): [CanvasPreferences, (prefs: TLUserPreferences) => void] {
  const [preferences, setPreferences] = useState(loadCanvasPreferences)
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === KEY) setPreferences(loadCanvasPreferences())
    }
    window.addEventListener('storage', onStorage)
    return () => window.removeEventListener('storage', onStorage)
  }, [])
  const keep = useCallback((prefs: TLUserPreferences) => {
    const chosen = canvasPreferencesOf(prefs)
    saveCanvasPreferences(chosen)
    setPreferences(chosen)
  }, [])
  return [preferences, keep]
}

const REDUCED_MOTION = '(prefers-reduced-motion: reduce)'

/**
 * Whether this device asks for less motion, followed as it changes. tldraw only uses this when
 * no animation speed was ever chosen; a device that asks for less motion gets none, whatever a
 * menu once stored.
 */
export function usePrefersReducedMotion(): boolean {
  const [reduce, setReduce] = useState(() => window.matchMedia?.(REDUCED_MOTION).matches ?? false)
  useEffect(() => {
    const query = window.matchMedia?.(REDUCED_MOTION)
    if (!query) return
    const changed = () => setReduce(query.matches)
    query.addEventListener('change', changed)
    return () => query.removeEventListener('change', changed)
  }, [])
  return reduce
}
