import { Check, Milestone } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { MAX_FRAMEWORK_LENGTH, MAX_PIKETPAALTJE_LENGTH } from '../../../shared/api/plan'
import { ApiFailure } from '../../lib/api'
import { setPiketpaaltje } from '../api'
import { useMeeting } from '../context'

/** The piketpaaltjes set so far, as every device sees them (live, from the plan's server part). */
export function PiketpaaltjeList() {
  const { t } = useTranslation()
  const { plan } = useMeeting()
  const list = plan.server.piketpaaltjes
  if (list.length === 0) return <p className="muted">{t('meeting.information.none')}</p>
  return (
    <ul className="meeting-cards" data-testid="meeting-piketpaaltjes">
      {list.map((p) => (
        <li key={p.id} className="meeting-card meeting-piketpaaltje" data-testid="piketpaaltje">
          <Milestone aria-hidden="true" className="meeting-card-icon" />
          <div>
            <p className="meeting-piketpaaltje-text">{p.text}</p>
            <p className="muted">
              {p.setBy
                ? t('meeting.information.setBy', { who: p.setBy })
                : t('meeting.information.setByProfessional')}
              {p.framework && ` · ${p.framework}`}
            </p>
          </div>
        </li>
      ))}
    </ul>
  )
}

/** A professional states a piketpaaltje; the server stamps it with his link's label. */
function PiketpaaltjeForm() {
  const { t } = useTranslation()
  const { access } = useMeeting()
  const [text, setText] = useState('')
  const [framework, setFramework] = useState('')
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const [sent, setSent] = useState(false)
  async function submit(e: FormEvent) {
    e.preventDefault()
    if (!text.trim()) {
      setProblem(t('meeting.information.textRequired'))
      return
    }
    setBusy(true)
    setProblem(null)
    setSent(false)
    try {
      await setPiketpaaltje(access.id, access.token, { text, framework })
      setText('')
      setFramework('')
      setSent(true)
    } catch (err) {
      const reason = err instanceof ApiFailure ? err.message : String(err)
      setProblem(t('meeting.failed', { reason }))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form className="meeting-form" onSubmit={submit} noValidate aria-labelledby="piket-form">
      <h2 id="piket-form">
        <Milestone aria-hidden="true" /> {t('meeting.information.formTitle')}
      </h2>
      <label htmlFor="piket-text">{t('meeting.information.text')}</label>
      <textarea
        id="piket-text"
        rows={3}
        value={text}
        maxLength={MAX_PIKETPAALTJE_LENGTH}
        aria-invalid={problem && !text.trim() ? true : undefined}
        onChange={(e) => {
          setText(e.target.value)
          setSent(false)
        }}
      />
      <label htmlFor="piket-framework">{t('meeting.information.framework')}</label>
      <p id="piket-framework-hint" className="meeting-hint">
        {t('meeting.information.frameworkHint')}
      </p>
      <input
        id="piket-framework"
        value={framework}
        maxLength={MAX_FRAMEWORK_LENGTH}
        aria-describedby="piket-framework-hint"
        onChange={(e) => setFramework(e.target.value)}
      />
      <button type="submit" className="button primary" disabled={busy}>
        <Milestone aria-hidden="true" />{' '}
        {busy ? t('meeting.information.busy') : t('meeting.information.submit')}
      </button>
      {problem && (
        <p className="error-text" role="alert">
          {problem}
        </p>
      )}
      <output className="meeting-done" aria-live="polite">
        {sent && (
          <>
            <Check aria-hidden="true" /> {t('meeting.information.sent')}
          </>
        )}
      </output>
    </form>
  )
}

/** The information round: what piketpaaltjes are, those set so far, and a professional's form. */
export function InformationStep() {
  const { t } = useTranslation()
  const { access } = useMeeting()
  return (
    <div className="meeting-columns">
      <section aria-labelledby="meeting-piketpaaltjes">
        <h2 id="meeting-piketpaaltjes">{t('meeting.information.title')}</h2>
        <p className="meeting-hint">{t('meeting.information.explain')}</p>
        <PiketpaaltjeList />
      </section>
      {access.role === 'professional' && <PiketpaaltjeForm />}
    </div>
  )
}
