import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import { applyEasyRead, EASY_NAMESPACE, easyReadOn } from '../easyRead/state'
import { easyEn } from './easy/en'
import { easyNl } from './easy/nl'
import { en } from './en'
import { nl } from './nl'

export type { Catalogue } from './catalogue'

/** Languages the app speaks, Dutch first. */
export const LANGUAGES = [
  { code: 'nl', label: 'Nederlands' },
  { code: 'en', label: 'English' },
] as const
export type Language = (typeof LANGUAGES)[number]['code']

const STORAGE_KEY = 'netwerkatlas:language'

/** The language chosen on this device, Dutch when none was chosen. */
export function storedLanguage(): Language {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY)
  return stored === 'en' ? 'en' : 'nl'
}

/** Switches the UI language and remembers it on this device. */
export function setLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language)
  document.documentElement.lang = language
  void i18next.changeLanguage(language)
}

/**
 * Starts i18next with the bundled catalogues (nothing is fetched). The easy-read catalogue is a
 * namespace of its own that falls back to the normal one; easy-read makes it the default.
 */
export function initI18n(): typeof i18next {
  const lng = storedLanguage()
  document.documentElement.lang = lng
  const easy = easyReadOn()
  void i18next.use(initReactI18next).init({
    resources: {
      nl: { translation: nl, [EASY_NAMESPACE]: easyNl },
      en: { translation: en, [EASY_NAMESPACE]: easyEn },
    },
    ns: ['translation', EASY_NAMESPACE],
    defaultNS: easy ? EASY_NAMESPACE : 'translation',
    fallbackNS: 'translation',
    lng,
    fallbackLng: 'nl',
    interpolation: { escapeValue: false },
    returnNull: false,
  })
  applyEasyRead(easy)
  return i18next
}

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation'
    resources: { translation: typeof nl }
  }
}
