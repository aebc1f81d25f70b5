/** The catalogues' words in one language, as the map's words and its announcements take them (tests). */
import i18next from 'i18next'
import { en } from '../../i18n/en'
import { nl } from '../../i18n/nl'
import type { Words } from './describe'

/** An i18next instance of its own with both catalogues, in `language`. */
export async function testWords(language: 'nl' | 'en'): Promise<Words> {
  const i18n = i18next.createInstance()
  await i18n.init({
    resources: { nl: { translation: nl }, en: { translation: en } },
    lng: language,
    returnNull: false,
  })
  return { t: i18n.t, language }
}
