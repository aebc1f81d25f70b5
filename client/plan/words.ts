import type { TFunction } from 'i18next'
import { AgreementFrequency } from '../../shared/plan/layout'
import type { PdfWords } from './pdf/compose'
import { formatDate, type PlanWords } from './planView'

/** The words the plan uses for who and when, from a catalogue. */
export function planWordsFrom(t: TFunction, language: string): PlanWords {
  const frequency = Object.fromEntries(
    AgreementFrequency.options.map((f) => [f, t(`plan.frequencies.${f}`).toLowerCase()]),
  ) as PlanWords['frequency']
  const list = new Intl.ListFormat(language, { type: 'conjunction' })
  return {
    unknown: t('plan.unknown'),
    unnamed: t('people.unnamed'),
    and: (names) => list.format(names),
    frequency,
    onDate: (date) => t('plan.onDate', { date: formatDate(date, language) }),
  }
}

/** The printed plan's words, with its file name and page foot. */
export type PrintWords = PdfWords & {
  fileName: string
  footer: (n: number, total: number) => string
}

/** Every word of the printed plan of `name`, from a catalogue. */
export function pdfWordsFrom(t: TFunction, language: string, name: string): PrintWords {
  const title = (who: string) => t('plan.title', { name: who })
  return {
    ...planWordsFrom(t, language),
    title,
    madeOn: (date) => t('plan.madeOn', { date }),
    piketpaaltjes: t('plan.piketpaaltjes'),
    setBy: (who, date) => t('plan.setBy', { who, date }),
    framework: (framework) => t('plan.framework', { framework }),
    someone: t('plan.someone'),
    noQuestions: t('plan.noQuestions'),
    noAgreements: t('plan.noAgreements'),
    other: t('plan.other'),
    otherHint: t('plan.otherHint'),
    agreement: (n) => t('plan.agreement', { n }),
    what: t('plan.what'),
    who: t('plan.who'),
    where: t('plan.where'),
    when: t('plan.when'),
    how: t('plan.how'),
    fallback: t('plan.fallback'),
    helpsWith: (person) => t('plan.helpsWith', { name: person }),
    approvals: t('plan.approvals'),
    approved: (who, date) => t('plan.approved', { who, date }),
    changesRequested: (who, date) => t('plan.changesRequested', { who, date }),
    changedSince: t('plan.changedSince'),
    date: (value) => formatDate(value, language),
    fileName: t('plan.fileName', { name }),
    footer: (n, total) => `${title(name)} · ${t('plan.page', { n, total })}`,
  }
}
