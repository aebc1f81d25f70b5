import { ArrowRight, Eye, GitCompareArrows, History, Printer, RotateCcw, X } from 'lucide-react'
import { useId, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import type { PlanVersion } from '../../shared/api/versions'
import { restoreVersion } from '../../shared/plan/restore'
import {
  type AgreementContentField,
  compareVersions,
  type VersionAgreement,
} from '../../shared/plan/versions'
import { isPartMissing } from '../lib/build'
import { AgreementCard } from '../plan/AgreementCard'
import { formatDate, type PlanView, type PlanWords, planSections } from '../plan/planView'
import { usePdfWords } from '../plan/usePlanWords'
import { StatusWord } from './StatusButtons'
import { versionPlanView } from './versionView'

/**
 * "Eerdere versies": every version the server keeps, to look at (names as they were then),
 * compare two, print one as the plan's PDF, or put back into the plan as a new change.
 */
export function Versions({
  versions,
  problem,
  live,
  doc,
  words,
  onPrinted,
}: {
  versions: PlanVersion[] | null
  problem: string | null
  /** The plan as it is now (for the approvals given on a version). */
  live: PlanView
  /** The plan document to restore into; null on a page that may not write. */
  doc: Y.Doc | null
  words: PlanWords
  /** Called when a version was printed (the access log notes it). */
  onPrinted?: () => void
}) {
  const { t, i18n } = useTranslation()
  const [open, setOpen] = useState<number | null>(null)
  const [restored, setRestored] = useState<number | null>(null)
  const list = versions ?? []
  const shown = list.find((v) => v.number === open) ?? null
  return (
    <section className="team-block" aria-labelledby="team-versions" data-testid="versions">
      <h2 id="team-versions">
        <History aria-hidden="true" /> {t('basisteam.versions.title')}
      </h2>
      {problem && (
        <p className="team-problem" role="alert">
          {t('basisteam.versions.loadFailed', { reason: problem })}
        </p>
      )}
      {versions && list.length === 0 && <p className="muted">{t('basisteam.versions.none')}</p>}
      {restored !== null && (
        <p className="team-done" role="status">
          {t('basisteam.versions.restored', { n: restored })}
        </p>
      )}
      <ul className="team-version-list">
        {[...list].reverse().map((v) => (
          <li key={v.id} className="team-version" data-testid="version" data-number={v.number}>
            <span className="team-version-name">
              {t('basisteam.versions.item', {
                n: v.number,
                date: formatDate(v.at, i18n.language),
              })}
              <span className="muted">
                {' · '}
                {v.meetingId
                  ? t('basisteam.versions.fromMeeting')
                  : t('basisteam.versions.fromFirst')}
              </span>
            </span>
            <span className="team-version-actions">
              <button
                type="button"
                className="button"
                aria-expanded={open === v.number}
                onClick={() => setOpen(open === v.number ? null : v.number)}
              >
                <Eye aria-hidden="true" /> {t('basisteam.versions.open')}
                <span className="visually-hidden"> {v.number}</span>
              </button>
              <PrintVersion version={v} live={live} onPrinted={onPrinted} />
            </span>
          </li>
        ))}
      </ul>
      {shown && (
        <VersionView
          version={shown}
          live={live}
          words={words}
          doc={doc}
          onClose={() => setOpen(null)}
          onRestored={() => {
            setRestored(shown.number)
            setOpen(null)
          }}
        />
      )}
      {list.length >= 2 && <Compare versions={list} words={words} />}
    </section>
  )
}

function VersionView({
  version,
  live,
  words,
  doc,
  onClose,
  onRestored,
}: {
  version: PlanVersion
  live: PlanView
  words: PlanWords
  doc: Y.Doc | null
  onClose: () => void
  onRestored: () => void
}) {
  const { t, i18n } = useTranslation()
  const [asking, setAsking] = useState(false)
  const view = useMemo(() => versionPlanView(version, live.server), [version, live.server])
  const headingId = useId()
  const sections = planSections(view.questions, view.agreements)
  return (
    <article className="team-version-view" aria-labelledby={headingId} data-testid="version-view">
      <div className="team-version-head">
        <h3 id={headingId}>
          {t('basisteam.versions.viewTitle', {
            n: version.number,
            date: formatDate(version.at, i18n.language),
          })}
        </h3>
        <button type="button" className="button" onClick={onClose}>
          <X aria-hidden="true" /> {t('basisteam.versions.close')}
        </button>
      </div>
      {sections.map((section) => (
        <section key={section.question?.id ?? 'other'} className="plan-question">
          <h4 className="question-title">
            {section.question ? `${section.n}. ${section.question.text || '…'}` : t('plan.other')}
          </h4>
          {section.agreements.length === 0 && <p className="muted">{t('plan.noAgreements')}</p>}
          {section.agreements.map((a, i) => (
            <div key={a.id}>
              <AgreementCard
                agreement={a}
                n={i + 1}
                persons={view.persons}
                words={words}
                doc={null}
                onNewPerson={() => null}
              />
            </div>
          ))}
        </section>
      ))}
      {doc &&
        (asking ? (
          <div className="confirm" role="alert">
            <p>{t('basisteam.versions.restoreAsk', { n: version.number })}</p>
            <button type="button" className="button" onClick={() => setAsking(false)}>
              {t('basisteam.versions.restoreNo')}
            </button>
            <button
              type="button"
              className="button primary"
              onClick={() => {
                restoreVersion(doc, version.content)
                onRestored()
              }}
            >
              <RotateCcw aria-hidden="true" /> {t('basisteam.versions.restoreYes')}
            </button>
          </div>
        ) : (
          <button type="button" className="button" onClick={() => setAsking(true)}>
            <RotateCcw aria-hidden="true" /> {t('basisteam.versions.restore')}
          </button>
        ))}
    </article>
  )
}

/** "Printen": the version as the plan's text PDF, with the names it kept. */
function PrintVersion({
  version,
  live,
  onPrinted,
}: {
  version: PlanVersion
  live: PlanView
  onPrinted?: () => void
}) {
  const { t, i18n } = useTranslation()
  const base = usePdfWords(version.content.client)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const print = async () => {
    setBusy(true)
    setProblem(null)
    try {
      const { printPlan } = await import('../plan/pdf/printPlan')
      const at = formatDate(version.at, i18n.language)
      const words = {
        ...base,
        madeOn: () => t('basisteam.versions.printSubtitle', { n: version.number, date: at }),
        fileName: t('basisteam.versions.fileName', {
          name: version.content.client,
          n: version.number,
        }),
      }
      await printPlan(versionPlanView(version, live.server), words, i18n.language, version.planHash)
      onPrinted?.()
    } catch (error) {
      // A print part gone after a deploy: the update notice says to load the page again.
      if (isPartMissing()) return
      setProblem(
        t('plan.printFailed', { reason: error instanceof Error ? error.message : String(error) }),
      )
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <button type="button" className="button" disabled={busy} onClick={() => void print()}>
        <Printer aria-hidden="true" /> {busy ? t('plan.printing') : t('basisteam.versions.print')}
        <span className="visually-hidden"> {version.number}</span>
      </button>
      {problem && (
        <p className="team-problem" role="alert">
          {problem}
        </p>
      )}
    </>
  )
}

/** Two versions side by side in words: added, changed (before and after), stopped, removed, statuses. */
function Compare({ versions, words }: { versions: PlanVersion[]; words: PlanWords }) {
  const { t } = useTranslation()
  const fromId = useId()
  const toId = useId()
  const [from, setFrom] = useState(versions.at(-2)?.number ?? 1)
  const [to, setTo] = useState(versions.at(-1)?.number ?? 1)
  const before = versions.find((v) => v.number === from)
  const after = versions.find((v) => v.number === to)
  const diff = before && after ? compareVersions(before.content, after.content) : null
  const value = (a: VersionAgreement, field: AgreementContentField): string => {
    const name = (p: { name: string }) => p.name || t('basisteam.versions.unknown')
    switch (field) {
      case 'who':
        return words.and(a.who.map(name))
      case 'backup':
        return a.backup ? name(a.backup) : ''
      case 'frequency':
        return a.frequency ? words.frequency[a.frequency] : ''
      case 'date':
        return a.date ? words.onDate(a.date) : ''
      case 'questionId': {
        const q = (before?.content.questions ?? [])
          .concat(after?.content.questions ?? [])
          .find((x) => x.id === a.questionId)
        return q?.text ?? ''
      }
      default:
        return a[field]
    }
  }
  const what = (a: VersionAgreement) => a.what.trim() || t('plan.whatEmpty')
  const empty =
    diff &&
    diff.added.length +
      diff.removed.length +
      diff.changed.length +
      diff.stopped.length +
      diff.statusChanged.length ===
      0
  return (
    <section className="team-compare" aria-labelledby="team-compare" data-testid="compare">
      <h3 id="team-compare">
        <GitCompareArrows aria-hidden="true" /> {t('basisteam.versions.compareTitle')}
      </h3>
      <div className="team-form-row">
        <div className="team-field">
          <label htmlFor={fromId}>{t('basisteam.versions.from')}</label>
          <select id={fromId} value={from} onChange={(e) => setFrom(Number(e.currentTarget.value))}>
            {versions.map((v) => (
              <option key={v.id} value={v.number}>
                {v.number}
              </option>
            ))}
          </select>
        </div>
        <ArrowRight aria-hidden="true" />
        <div className="team-field">
          <label htmlFor={toId}>{t('basisteam.versions.to')}</label>
          <select id={toId} value={to} onChange={(e) => setTo(Number(e.currentTarget.value))}>
            {versions.map((v) => (
              <option key={v.id} value={v.number}>
                {v.number}
              </option>
            ))}
          </select>
        </div>
      </div>
      {diff && (
        <div className="team-diff" data-testid="diff" aria-live="polite">
          {empty && <p className="muted">{t('basisteam.versions.nothing')}</p>}
          {diff.added.length > 0 && (
            <DiffList title={t('basisteam.versions.added')} kind="added">
              {diff.added.map((a) => (
                <li key={a.id}>{what(a)}</li>
              ))}
            </DiffList>
          )}
          {diff.changed.length > 0 && (
            <DiffList title={t('basisteam.versions.changed')} kind="changed">
              {diff.changed.map((c) => (
                <li key={c.after.id}>
                  <strong>{what(c.after)}</strong>
                  <dl>
                    {c.fields.map((field) => (
                      <div key={field}>
                        <dt>{t(`basisteam.fields.${field}`)}</dt>
                        <dd>
                          <span className="team-before">
                            {t('basisteam.versions.before')}: {value(c.before, field) || '—'}
                          </span>{' '}
                          <span className="team-after">
                            {t('basisteam.versions.after')}: {value(c.after, field) || '—'}
                          </span>
                        </dd>
                      </div>
                    ))}
                  </dl>
                </li>
              ))}
            </DiffList>
          )}
          {diff.stopped.length > 0 && (
            <DiffList title={t('basisteam.versions.stopped')} kind="stopped">
              {diff.stopped.map((a) => (
                <li key={a.id}>{what(a)}</li>
              ))}
            </DiffList>
          )}
          {diff.removed.length > 0 && (
            <DiffList title={t('basisteam.versions.removed')} kind="removed">
              {diff.removed.map((a) => (
                <li key={a.id}>{what(a)}</li>
              ))}
            </DiffList>
          )}
          {diff.statusChanged.length > 0 && (
            <DiffList title={t('basisteam.versions.statusChanged')} kind="status">
              {diff.statusChanged.map((s) => (
                <li key={s.agreement.id}>
                  {what(s.agreement)}: <StatusWord status={s.from} /> → <StatusWord status={s.to} />
                </li>
              ))}
            </DiffList>
          )}
        </div>
      )}
    </section>
  )
}

function DiffList({
  title,
  kind,
  children,
}: {
  title: string
  kind: string
  children: React.ReactNode
}) {
  return (
    <div className="team-diff-part" data-diff={kind}>
      <h4>{title}</h4>
      <ul>{children}</ul>
    </div>
  )
}
