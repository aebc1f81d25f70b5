import { type TLUserPreferences, userTypeValidator } from 'tldraw'

/**
 * What a participant chose in the canvas menu on this device: snapping, less motion, keyboard
 * shortcuts and the like. The name and colour (`client/lib/user.ts`) and the language
 * (`client/i18n`) are kept elsewhere; the colour scheme stays light.
 */
export type CanvasPreferences = Omit<
  TLUserPreferences,
  'id' | 'name' | 'color' | 'locale' | 'colorScheme'
>

const KEY = 'netwerkatlas:canvas-preferences'

/** The canvas preferences in `prefs`, without what is kept elsewhere. */
export function canvasPreferencesOf(prefs: TLUserPreferences): CanvasPreferences {
  const {
    id: _id,
    name: _name,
    color: _color,
    locale: _locale,
    colorScheme: _scheme,
    ...rest
  } = prefs
  return rest
}

/** The canvas preferences kept on this device (none when nothing valid is stored). */
export function loadCanvasPreferences(): CanvasPreferences {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}')
    return canvasPreferencesOf(userTypeValidator.validate({ ...(stored as object), id: 'device' }))
  } catch {
    return {}
  }
}

/** Keeps the canvas preferences on this device. */
export function saveCanvasPreferences(prefs: CanvasPreferences): void {
  localStorage.setItem(KEY, JSON.stringify(prefs))
}
