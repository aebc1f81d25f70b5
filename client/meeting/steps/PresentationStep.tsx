import {
  CircleCheck,
  MessageCircleQuestion,
  MessageSquareWarning,
  TriangleAlert,
} from 'lucide-react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type Agreement, planHashInput } from '../../../shared/plan/layout'
import { useMeeting, usePersonName } from '../context'
import { PiketpaaltjeList } from './InformationStep'

/** A date (YYYY-MM-DD) in words of the reader's language. */
export function formatDate(date: string, language: string): string {
  // Noon, so no time zone moves the day.
  const day = new Date(`${date}T12:00:00`)
  if (Number.isNaN(day.getTime())) return date
  return new Intl.DateTimeFormat(language, { dateStyle: 'full' }).format(day)
}

/** The hex SHA-256 of the plan as it is now (null where the browser has no crypto.subtle). */
function usePlanHash(): string | null {
  const { plan, content } = useMeeting()
  const input = planHashInput(
    content.questions.map((q) => ({ id: q.id, text: q.text })),
    plan.agreements,
  )
  const [hash, setHash] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    const subtle = globalThis.crypto?.subtle
    if (!subtle) return
    void subtle.digest('SHA-256', new TextEncoder().encode(input)).then((digest) => {
      if (!live) return
      setHash([...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join(''))
    })
    return () => {
      live = false
    }
  }, [input])
  return hash
}

/** One agreement, large and clean: what, and the details that are filled in. */
function AgreementView({ agreement }: { agreement: Agreement }) {
  const { t, i18n } = useTranslation()
  const nameOf = usePersonName()
  const details: Array<[string, string]> = []
  if (agreement.who.length > 0)
    details.push([t('meeting.presentation.who'), agreement.who.map(nameOf).join(', ')])
  if (agreement.where) details.push([t('meeting.presentation.where'), agreement.where])
  const date = agreement.date ? formatDate(agreement.date, i18n.language) : ''
  const when = [agreement.when, date].filter(Boolean).join(' · ')
  if (when) details.push([t('meeting.presentation.when'), when])
  if (agreement.how) details.push([t('meeting.presentation.how'), agreement.how])
  const backup = agreement.backupPersonId
    ? t('meeting.presentation.backup', { name: nameOf(agreement.backupPersonId) })
    : ''
  const fallback = [agreement.fallback, backup].filter(Boolean).join(' · ')
  if (fallback) details.push([t('meeting.presentation.fallback'), fallback])
  return (
    <li className="meeting-agreement" data-testid="meeting-agreement">
      <p className="meeting-agreement-what">{agreement.what || '…'}</p>
      {details.length > 0 && (
        <dl>
          {details.map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </li>
  )
}

/** The professionals' decisions on the plan, and whether the plan changed since. */
function Approvals() {
  const { t } = useTranslation()
  const { plan } = useMeeting()
  const hash = usePlanHash()
  const approvals = plan.server.approvals
  if (plan.server.piketpaaltjes.length === 0) return null
  return (
    <section aria-labelledby="meeting-approvals">
      <h2 id="meeting-approvals">{t('meeting.presentation.approvals')}</h2>
      {approvals.length === 0 && <p className="muted">{t('meeting.presentation.noApprovals')}</p>}
      <ul className="meeting-cards">
        {approvals.map((a) => {
          const Icon = a.decision === 'approved' ? CircleCheck : MessageSquareWarning
          return (
            <li key={a.id} className="meeting-card meeting-approval" data-decision={a.decision}>
              <Icon aria-hidden="true" className="meeting-card-icon" />
              <div>
                <p>
                  {a.decision === 'approved'
                    ? t('meeting.presentation.approved', { by: a.by })
                    : t('meeting.presentation.changesRequested', { by: a.by })}
                </p>
                {a.comment && <p className="meeting-hope">{a.comment}</p>}
                {hash && hash !== a.planHash && (
                  <p className="meeting-warning">
                    <TriangleAlert aria-hidden="true" /> {t('meeting.presentation.changedSince')}
                  </p>
                )}
              </div>
            </li>
          )
        })}
      </ul>
    </section>
  )
}

/** The plan, large and clean for the room: piketpaaltjes, then each question with its agreements. */
export function PresentationStep() {
  const { t } = useTranslation()
  const { plan, content } = useMeeting()
  const questions = content.questions.filter(
    (q) => q.text.trim() || plan.agreements.some((a) => a.questionId === q.id),
  )
  const known = new Set(content.questions.map((q) => q.id))
  const other = plan.agreements.filter((a) => !known.has(a.questionId))
  return (
    <div className="meeting-plan" data-testid="meeting-plan">
      {plan.server.piketpaaltjes.length > 0 && (
        <section aria-labelledby="meeting-plan-piket">
          <h2 id="meeting-plan-piket">{t('meeting.presentation.piketpaaltjes')}</h2>
          <PiketpaaltjeList />
        </section>
      )}
      {questions.map((q) => {
        const agreements = plan.agreements.filter((a) => a.questionId === q.id)
        return (
          <section key={q.id} className="meeting-plan-question" data-question={q.id}>
            <h2>
              <MessageCircleQuestion aria-hidden="true" /> {q.text}
            </h2>
            {agreements.length === 0 ? (
              <p className="muted">{t('meeting.presentation.noAgreements')}</p>
            ) : (
              <ul className="meeting-agreement-list">
                {agreements.map((a) => (
                  <AgreementView key={a.id} agreement={a} />
                ))}
              </ul>
            )}
          </section>
        )
      })}
      {other.length > 0 && (
        <section className="meeting-plan-question">
          <h2>{t('meeting.presentation.other')}</h2>
          <ul className="meeting-agreement-list">
            {other.map((a) => (
              <AgreementView key={a.id} agreement={a} />
            ))}
          </ul>
        </section>
      )}
      <Approvals />
    </div>
  )
}
