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
export const CANVAS_PREFERENCES_KEY = 'netwerkatlas:canvas-preferences'

const KEPT_ELSEWHERE = new Set(['id', 'name', 'color', 'locale', 'colorScheme'])

/**
 * The canvas preferences in `prefs`: each known one that is valid on its own, so one unknown or
 * damaged entry (a preference a later tldraw renamed) does not lose the others.
 */
export function canvasPreferencesOf(prefs: unknown): CanvasPreferences {
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
export function loadCanvasPreferences(): CanvasPreferences {
  try {
    return canvasPreferencesOf(JSON.parse(localStorage.getItem(CANVAS_PREFERENCES_KEY) ?? '{}'))
  } catch {
    return {}
  }
}

/** Keeps the canvas preferences on this device; a full or blocked storage keeps them for this tab only. */
export function saveCanvasPreferences(prefs: CanvasPreferences): void {
  try {
    localStorage.setItem(CANVAS_PREFERENCES_KEY, JSON.stringify(prefs))
  } catch {
    // The choice still applies in this tab.
  }
}
