import { Milestone } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { PiketpaaltjeForm } from '../../plan'
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

/** The information round: what piketpaaltjes are, those set so far, and a professional's form. */
export function InformationStep() {
  const { t } = useTranslation()
  const { access, plan } = useMeeting()
  return (
    <div className="meeting-columns">
      <section aria-labelledby="meeting-piketpaaltjes">
        <h2 id="meeting-piketpaaltjes">{t('meeting.information.title')}</h2>
        <p className="meeting-hint">{t('meeting.information.explain')}</p>
        <PiketpaaltjeList />
      </section>
      {access.role === 'professional' && (
        <PiketpaaltjeForm access={access} piketpaaltjes={plan.server.piketpaaltjes} />
      )}
    </div>
  )
}
