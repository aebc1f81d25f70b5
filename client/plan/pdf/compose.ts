/**
 * What the printed plan says, in order, as blocks for the typesetter: whose plan and when it was
 * made, the piketpaaltjes with who set them, each question with its agreements (what, who, where,
 * when, how, and what if it does not work out, with the backup person), then the approvals.
 * Pure: words come in, blocks go out.
 */
import {
  changedSince,
  type PlanView,
  type PlanWords,
  personName,
  planSections,
  whenWords,
  whoWords,
} from '../planView'
import type { Block, TextStyle } from './typeset'

/*
 * The printed plan is made on the device, its code loaded on first use: `compose.ts` turns the
 * plan into blocks of words, `typeset.ts` (pure, unit-tested) wraps them with the font's real
 * widths on A4 portrait pages (a heading stays with what follows, an agreement stays on one page
 * when it fits), and `planPdf.ts` draws them with pdf-lib as text in IBM Plex Sans, embedded as a
 * subset, a page number on every page (a 4-page plan: ~21 KB). pdf-lib subsets only TrueType fonts
 * and wawoff2's WebAssembly does not run from a browser bundle, so the build converts the bundled
 * WOFF2 files to TTF assets (`?ttf` imports, `woff2AsTtf` in vite.config.ts); characters the font
 * lacks (an emoji) are left out of the paper version.
 */

/** Every word of the printed plan, in the reader's language. */
export interface PdfWords extends PlanWords {
  title: (name: string) => string
  madeOn: (date: string) => string
  piketpaaltjes: string
  setBy: (who: string, date: string) => string
  framework: (framework: string) => string
  someone: string
  noQuestions: string
  noAgreements: string
  other: string
  otherHint: string
  agreement: (n: number) => string
  what: string
  who: string
  where: string
  when: string
  how: string
  fallback: string
  helpsWith: (name: string) => string
  approvals: string
  approved: (who: string, date: string) => string
  changesRequested: (who: string, date: string) => string
  changedSince: string
  /** A moment (ISO) or a date (YYYY-MM-DD) in words, with the year. */
  date: (value: string) => string
}

const style = (font: TextStyle['font'], size: number, colour: TextStyle['colour']): TextStyle => ({
  font,
  size,
  colour,
})

/** The printed plan's styles: few sizes, one accent. */
export const PDF_STYLES = {
  title: style('bold', 22, 'ink'),
  subtitle: style('regular', 10.5, 'muted'),
  section: style('bold', 15, 'accent'),
  question: style('bold', 13.5, 'ink'),
  agreement: style('bold', 10.5, 'accent'),
  label: style('bold', 10, 'muted'),
  body: style('regular', 11, 'ink'),
  strong: style('bold', 11, 'ink'),
  small: style('regular', 9.5, 'muted'),
} as const

/** The blocks of the printed plan. `currentHash` marks approvals given on another plan. */
export function composePlan(
  view: PlanView,
  words: PdfWords,
  madeAt: Date,
  currentHash: string | null,
): Block[] {
  const S = PDF_STYLES
  const blocks: Block[] = [
    { kind: 'text', text: words.title(view.name), style: S.title },
    {
      kind: 'text',
      text: words.madeOn(words.date(madeAt.toISOString())),
      style: S.subtitle,
      rule: true,
    },
  ]
  const who = (label: string) => label.trim() || words.someone

  const { piketpaaltjes, approvals } = view.server
  if (piketpaaltjes.length > 0) {
    blocks.push({
      kind: 'text',
      text: words.piketpaaltjes,
      style: S.section,
      space: 14,
      keepWithNext: true,
    })
    for (const p of piketpaaltjes) {
      const by = words.setBy(who(p.setBy), words.date(p.setAt))
      blocks.push({
        kind: 'group',
        space: 8,
        blocks: [
          { kind: 'text', text: p.text, style: S.strong },
          {
            kind: 'text',
            text: p.framework ? `${by} · ${words.framework(p.framework)}` : by,
            style: S.small,
          },
        ],
      })
    }
  }

  const sections = planSections(view.questions, view.agreements)
  if (sections.length === 0) {
    blocks.push({ kind: 'text', text: words.noQuestions, style: S.body, space: 14 })
  }
  for (const section of sections) {
    const heading = section.question
      ? `${section.n}. ${section.question.text.trim() || '…'}`
      : words.other
    blocks.push({ kind: 'text', text: heading, style: S.question, space: 20, keepWithNext: true })
    if (!section.question) {
      blocks.push({ kind: 'text', text: words.otherHint, style: S.small, keepWithNext: true })
    }
    if (section.agreements.length === 0) {
      blocks.push({ kind: 'text', text: words.noAgreements, style: S.small, space: 4 })
    }
    section.agreements.forEach((a, i) => {
      const field = (label: string, value: string): Block => ({
        kind: 'field',
        label,
        value,
        labelStyle: S.label,
        style: S.body,
        space: 3,
      })
      const fields: Block[] = [field(words.what, a.what.trim() || '…')]
      const names = whoWords(a, view.persons, words)
      if (names) fields.push(field(words.who, names))
      if (a.where.trim()) fields.push(field(words.where, a.where.trim()))
      const when = whenWords(a, words)
      if (when) fields.push(field(words.when, when))
      if (a.how.trim()) fields.push(field(words.how, a.how.trim()))
      const backup = a.backupPersonId
        ? words.helpsWith(personName(view.persons, a.backupPersonId, words))
        : ''
      const fallback = [a.fallback.trim(), backup].filter((s) => s !== '').join(' — ')
      if (fallback) fields.push(field(words.fallback, fallback))
      blocks.push({
        kind: 'group',
        space: 10,
        blocks: [
          { kind: 'text', text: words.agreement(i + 1), style: S.agreement, keepWithNext: true },
          ...fields,
        ],
      })
    })
  }

  if (approvals.length > 0) {
    blocks.push({
      kind: 'text',
      text: words.approvals,
      style: S.section,
      space: 22,
      keepWithNext: true,
    })
    for (const a of approvals) {
      const line =
        a.decision === 'approved'
          ? words.approved(who(a.by), words.date(a.at))
          : words.changesRequested(who(a.by), words.date(a.at))
      const group: Block[] = [{ kind: 'text', text: line, style: S.strong }]
      if (a.comment) group.push({ kind: 'text', text: `“${a.comment}”`, style: S.body })
      if (changedSince(a.planHash, currentHash)) {
        group.push({ kind: 'text', text: words.changedSince, style: S.small })
      }
      blocks.push({ kind: 'group', space: 8, blocks: group })
    }
  }
  return blocks
}
