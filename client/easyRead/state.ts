import i18next from 'i18next'
import { useSyncExternalStore } from 'react'

/** The localStorage key of the easy-read choice; other tabs of this device hear of a change through it. */
const KEY = 'netwerkatlas:easy-read'

/** The class on <html> that the easy-read styles hang from (`easyRead.css`). */
export const EASY_READ_CLASS = 'easy-read'

/** The i18next namespace of the easy-read catalogue; missing keys fall back to the normal one. */
export const EASY_NAMESPACE = 'easy'

const listeners = new Set<() => void>()

/** Whether easy-read is on on this device (off when nothing, or something unreadable, is stored). */
export function easyReadOn(): boolean {
  try {
    return globalThis.localStorage?.getItem(KEY) === 'on'
  } catch {
    return false
  }
}

/**
 * Makes the page follow `on`: the larger look, and the texts from the easy catalogue first.
 * i18next's default namespace is what every `t` without its own namespace reads; a language
 * change (to the same language) makes every translated component render again.
 */
export function applyEasyRead(on: boolean): void {
  document.documentElement.classList.toggle(EASY_READ_CLASS, on)
  const wanted = on ? EASY_NAMESPACE : 'translation'
  if (i18next.options.defaultNS !== wanted) {
    i18next.options.defaultNS = wanted
    if (i18next.isInitialized) void i18next.changeLanguage(i18next.language)
  }
  for (const listener of listeners) listener()
}

/** Switches easy-read on or off and keeps the choice on this device. */
export function setEasyRead(on: boolean): void {
  try {
    localStorage.setItem(KEY, on ? 'on' : 'off')
  } catch {
    // A full or blocked storage: the choice still applies in this tab.
  }
  applyEasyRead(on)
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  // Another tab of this device switched it: this one follows.
  const onStorage = (event: StorageEvent) => {
    if (event.key === KEY) applyEasyRead(easyReadOn())
  }
  window.addEventListener('storage', onStorage)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('storage', onStorage)
  }
}

const isOn = () => document.documentElement.classList.contains(EASY_READ_CLASS)

/** Whether easy-read is on, followed as it is switched (here or in another tab). */
export function useEasyRead(): boolean {
  return useSyncExternalStore(subscribe, isOn)
}
