import {
  CalendarClock,
  ClipboardList,
  Flag,
  LifeBuoy,
  Lightbulb,
  MapPin,
  UsersRound,
  X,
} from 'lucide-react'
import { type ReactNode, useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { Agreement } from '../../shared/plan/layout'
import { PersonBadge } from './PersonBadge'
import { type PlanView, personById, planSections, shortDate, whenWords } from './planView'
import { usePlanWords } from './usePlanWords'

function Line({ icon, label, children }: { icon: ReactNode; label: string; children: ReactNode }) {
  return (
    <div className="presentation-line">
      <dt>
        {icon}
        <span>{label}</span>
      </dt>
      <dd>{children}</dd>
    </div>
  )
}

function PresentedAgreement({ agreement, view }: { agreement: Agreement; view: PlanView }) {
  const { t } = useTranslation()
  const words = usePlanWords()
  const when = whenWords(agreement, words)
  const backup = agreement.backupPersonId
  return (
    <li className="presented-agreement" data-testid="presented-agreement">
      <p className={agreement.what ? 'presented-what' : 'presented-what empty'}>
        {agreement.what || t('plan.whatEmpty')}
      </p>
      <dl>
        {agreement.who.length > 0 && (
          <Line icon={<UsersRound aria-hidden="true" />} label={t('plan.who')}>
            <span className="who-list">
              {agreement.who.map((id) => (
                <PersonBadge key={id} person={personById(view.persons, id)} size={48} />
              ))}
            </span>
          </Line>
        )}
        {when && (
          <Line icon={<CalendarClock aria-hidden="true" />} label={t('plan.when')}>
            {when}
          </Line>
        )}
        {agreement.where.trim() && (
          <Line icon={<MapPin aria-hidden="true" />} label={t('plan.where')}>
            {agreement.where}
          </Line>
        )}
        {agreement.how.trim() && (
          <Line icon={<Lightbulb aria-hidden="true" />} label={t('plan.how')}>
            {agreement.how}
          </Line>
        )}
        {(agreement.fallback.trim() || backup) && (
          <Line icon={<LifeBuoy aria-hidden="true" />} label={t('plan.fallback')}>
            {agreement.fallback}
            {backup && (
              <span className="backup">
                <PersonBadge person={personById(view.persons, backup)} size={40} />
                <span>{t('plan.helps')}</span>
              </span>
            )}
          </Line>
        )}
      </dl>
    </li>
  )
}

/**
 * The plan large and clean, for a room (a beamer, a big screen): whose plan, the piketpaaltjes,
 * then each question with its agreements, who and when in plain words with names and pictures.
 * No controls and no hints. The meeting's presentation step shows it too; `onClose`, when given,
 * adds a button back.
 */
export function PlanPresentation({ view, onClose }: { view: PlanView; onClose?: () => void }) {
  const { t, i18n } = useTranslation()
  const sections = planSections(view.questions, view.agreements)
  const { piketpaaltjes } = view.server
  const close = useRef<HTMLButtonElement>(null)
  // The keyboard goes on where the screen changed: at the way back.
  useEffect(() => close.current?.focus(), [])
  return (
    <article className="plan-presentation" data-testid="plan-presentation">
      <header className="presentation-head">
        <h1>
          <ClipboardList aria-hidden="true" size={44} /> {t('plan.title', { name: view.name })}
        </h1>
        {onClose && (
          <button type="button" className="button" onClick={onClose} ref={close}>
            <X aria-hidden="true" size={24} /> {t('plan.presentClose')}
          </button>
        )}
      </header>
      {piketpaaltjes.length > 0 && (
        <section className="presentation-piketpaaltjes">
          <h2>
            <Flag aria-hidden="true" size={36} /> {t('plan.piketpaaltjes')}
          </h2>
          <ul>
            {piketpaaltjes.map((p) => (
              <li key={p.id}>
                <strong>{p.text}</strong>
                <span className="muted">
                  {t('plan.setBy', {
                    who: p.setBy.trim() || t('plan.someone'),
                    date: shortDate(p.setAt, i18n.language),
                  })}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {sections.length === 0 && <p className="muted">{t('plan.noQuestions')}</p>}
      {sections.map((section) => (
        <section
          key={section.question?.id ?? 'other'}
          className="presentation-question"
          data-testid="presented-question"
        >
          <h2>
            {section.question ? (
              <>
                <span className="question-number" aria-hidden="true">
                  {section.n}
                </span>
                {section.question.text || '…'}
              </>
            ) : (
              t('plan.other')
            )}
          </h2>
          {section.agreements.length === 0 ? (
            <p className="muted">{t('plan.noAgreements')}</p>
          ) : (
            <ol className="presented-agreements">
              {section.agreements.map((a) => (
                <PresentedAgreement key={a.id} agreement={a} view={view} />
              ))}
            </ol>
          )}
        </section>
      ))}
    </article>
  )
}
