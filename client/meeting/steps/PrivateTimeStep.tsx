import { ClipboardList, Lock, LockOpen, Plus, Trash2 } from 'lucide-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { addAgreement, removeAgreement, setAgreementText } from '../../../shared/plan/actions'
import { ScreenLink } from '../../components/ScreenLink'
import { SharedTextArea } from '../../components/SharedTextArea'
import { ApiFailure, setPrivateTime } from '../../lib/api'
import { useMeeting } from '../context'

/** The one button that starts or stops privétijd (edit links). */
function PrivateTimeSwitch({ on }: { on: boolean }) {
  const { t } = useTranslation()
  const { access } = useMeeting()
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  async function press() {
    setBusy(true)
    setProblem(null)
    try {
      await setPrivateTime(access.id, access.token, { on: !on })
    } catch (err) {
      setProblem(t('meeting.failed', { reason: err instanceof ApiFailure ? err.message : '' }))
    } finally {
      setBusy(false)
    }
  }
  const Icon = on ? LockOpen : Lock
  return (
    <div className="meeting-switch">
      <button
        type="button"
        className={`button meeting-big-button${on ? '' : ' primary'}`}
        onClick={press}
        disabled={busy}
        data-testid="private-time-switch"
      >
        <Icon aria-hidden="true" />
        {busy
          ? t('meeting.privateTime.busy')
          : on
            ? t('meeting.privateTime.stop')
            : t('meeting.privateTime.start')}
      </button>
      {problem && (
        <p className="error-text" role="alert">
          {problem}
        </p>
      )}
    </div>
  )
}

/**
 * The agreements under each of the client's questions, written right here: what is agreed, in
 * words that merge character by character. The plan screen holds every other field.
 */
function AgreementsByQuestion() {
  const { t } = useTranslation()
  const { writer, plan, planDoc, content } = useMeeting()
  const questions = content.questions.filter((q) => q.text.trim())
  if (questions.length === 0) return <p className="muted">{t('meeting.privateTime.noQuestions')}</p>
  return (
    <div className="meeting-agreements" data-testid="meeting-agreements">
      {questions.map((q) => {
        const agreements = plan.agreements.filter((a) => a.questionId === q.id)
        return (
          <section key={q.id} className="meeting-card" data-question={q.id}>
            <h3>{q.text}</h3>
            {agreements.length === 0 && (
              <p className="muted">{t('meeting.privateTime.noAgreements')}</p>
            )}
            <ul className="meeting-agreement-list">
              {agreements.map((a) => (
                <li key={a.id} data-testid="meeting-agreement" data-agreement={a.id}>
                  {writer ? (
                    <div className="meeting-agreement-edit">
                      <SharedTextArea
                        rows={2}
                        aria-label={t('meeting.privateTime.agreementLabel', { question: q.text })}
                        value={a.what}
                        onChange={(next) => setAgreementText(planDoc, a.id, 'what', next)}
                      />
                      {/* Only an empty one goes with one tap: a written agreement is emptied first. */}
                      {!a.what.trim() && (
                        <button
                          type="button"
                          className="icon-button"
                          aria-label={t('meeting.privateTime.removeAgreement')}
                          title={t('meeting.privateTime.removeAgreement')}
                          onClick={() => removeAgreement(planDoc, a.id)}
                        >
                          <Trash2 aria-hidden="true" />
                        </button>
                      )}
                    </div>
                  ) : (
                    <p>{a.what || '…'}</p>
                  )}
                </li>
              ))}
            </ul>
            {writer && (
              <button
                type="button"
                className="button"
                onClick={() => {
                  const id = addAgreement(planDoc, q.id)
                  // The new agreement's text area gets the keys at once.
                  requestAnimationFrame(() =>
                    document
                      .querySelector<HTMLTextAreaElement>(`[data-agreement="${id}"] textarea`)
                      ?.focus(),
                  )
                }}
              >
                <Plus aria-hidden="true" /> {t('meeting.privateTime.addAgreement')}
              </button>
            )}
          </section>
        )
      })}
    </div>
  )
}

/**
 * Privétijd: the client starts it with one button; then professionals' devices get nothing
 * (the server closes them) and the network writes the plan; the client stops it again.
 */
export function PrivateTimeStep() {
  const { t } = useTranslation()
  const { access, writer, plan } = useMeeting()
  const { on, since } = plan.server.privateTime
  return (
    <div className="meeting-private-time" data-private-time={on ? 'on' : 'off'}>
      <output
        className={`meeting-banner${on ? ' meeting-banner-on' : ''}`}
        data-testid="private-time-state"
      >
        {on ? <Lock aria-hidden="true" /> : <LockOpen aria-hidden="true" />}
        <span>
          {on
            ? t('meeting.privateTime.on')
            : since
              ? t('meeting.privateTime.ended')
              : t('meeting.privateTime.off')}
        </span>
      </output>
      {!on && writer && <p>{t('meeting.privateTime.explain')}</p>}
      {!on && access.role !== 'edit' && access.role !== 'view' && (
        <p>{t('meeting.privateTime.soon')}</p>
      )}
      {writer && <PrivateTimeSwitch on={on} />}
      {/* The network writes the plan in privétijd: its agreements show once it has begun. */}
      {(on || since) && (
        <section aria-labelledby="meeting-agreements-title">
          <div className="meeting-section-head">
            <h2 id="meeting-agreements-title">{t('meeting.privateTime.agreements')}</h2>
            <ScreenLink atlasId={access.id} screen="plan" className="button">
              <ClipboardList aria-hidden="true" /> {t('meeting.privateTime.toPlan')}
            </ScreenLink>
          </div>
          <AgreementsByQuestion />
        </section>
      )}
    </div>
  )
}
