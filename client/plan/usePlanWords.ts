import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import type { PlanWords } from './planView'
import { type PrintWords, pdfWordsFrom, planWordsFrom } from './words'

/** The words the plan uses for who and when, in the reader's language. */
export function usePlanWords(): PlanWords {
  const { t, i18n } = useTranslation()
  return useMemo(() => planWordsFrom(t, i18n.language), [t, i18n.language])
}

/** Every word of the printed plan of `name`, in the reader's language. */
export function usePdfWords(name: string): PrintWords {
  const { t, i18n } = useTranslation()
  return useMemo(() => pdfWordsFrom(t, i18n.language, name), [t, i18n.language, name])
}
