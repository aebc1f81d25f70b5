import { useTranslation } from 'react-i18next'
import { MEETING_STEPS } from '../../../shared/plan/layout'
import { STEP_ICONS } from '../StepIndicator'

/** Opening and welcome: today's date and how the meeting goes. */
export function WelcomeStep() {
  const { t, i18n } = useTranslation()
  const today = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'full' }).format(new Date())
  return (
    <div className="meeting-welcome">
      <p className="meeting-today">{t('meeting.welcome.today', { date: today })}</p>
      <section aria-labelledby="meeting-agenda">
        <h2 id="meeting-agenda">{t('meeting.welcome.agenda')}</h2>
        <ol className="meeting-agenda">
          {MEETING_STEPS.map((step) => {
            const Icon = STEP_ICONS[step]
            return (
              <li key={step}>
                <Icon aria-hidden="true" />
                <span>{t(`meeting.steps.${step}.name`)}</span>
              </li>
            )
          })}
        </ol>
      </section>
    </div>
  )
}
