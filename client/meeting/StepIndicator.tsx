import {
  Hand,
  HeartHandshake,
  Info,
  Lock,
  type LucideIcon,
  MessageCircleQuestion,
  Presentation,
  UsersRound,
} from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { MEETING_STEPS, type MeetingStep } from '../../shared/plan/layout'

/** The pictogram of each step of the meeting. */
export const STEP_ICONS: Record<MeetingStep, LucideIcon> = {
  welcome: HeartHandshake,
  introductions: Hand,
  questions: MessageCircleQuestion,
  information: Info,
  'private-time': Lock,
  presentation: Presentation,
  basisteam: UsersRound,
}

/** "Stap 3 van 7" with the names of all steps, the current one marked. */
export function StepIndicator({ step }: { step: MeetingStep }) {
  const { t } = useTranslation()
  const at = MEETING_STEPS.indexOf(step)
  return (
    <section className="meeting-steps" aria-label={t('meeting.stepsLabel')}>
      <p className="meeting-steps-count" data-testid="meeting-step-count">
        {t('meeting.stepOf', { n: at + 1, total: MEETING_STEPS.length })}
      </p>
      <ol>
        {MEETING_STEPS.map((s, i) => {
          const Icon = STEP_ICONS[s]
          const state = i < at ? 'done' : i === at ? 'now' : 'later'
          return (
            <li key={s} data-state={state} aria-current={i === at ? 'step' : undefined}>
              <span className="meeting-steps-number" aria-hidden="true">
                {i + 1}
              </span>
              <Icon aria-hidden="true" className="meeting-steps-icon" />
              <span className="meeting-steps-name">{t(`meeting.steps.${s}.name`)}</span>
            </li>
          )
        })}
      </ol>
    </section>
  )
}
