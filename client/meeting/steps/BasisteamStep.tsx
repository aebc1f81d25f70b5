import { CalendarDays, HeartHandshake, X } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { setBasisteamMember, setFirstMeeting } from '../../../shared/plan/actions'
import { useMeeting } from '../context'
import { PersonToggles } from '../PersonToggles'
import { formatDate } from './PresentationStep'

/** Forming the basisteam: its members (persons of the atlas) and the date of its first meeting. */
export function BasisteamStep() {
  const { t, i18n } = useTranslation()
  const { writer, plan, planDoc } = useMeeting()
  const { members, firstMeeting } = plan.basisteam
  return (
    <div className="meeting-columns">
      <section aria-labelledby="meeting-members" data-testid="meeting-members">
        <h2 id="meeting-members">{t('meeting.basisteam.membersTitle')}</h2>
        {writer && <p className="meeting-hint">{t('meeting.basisteam.membersHint')}</p>}
        <PersonToggles
          chosen={members}
          onChange={(id, on) => setBasisteamMember(planDoc, id, on)}
          emptyText={t('meeting.basisteam.noMembers')}
        />
      </section>
      <section aria-labelledby="meeting-first-date" data-testid="meeting-first-meeting">
        <h2 id="meeting-first-date">
          <CalendarDays aria-hidden="true" /> {t('meeting.basisteam.dateTitle')}
        </h2>
        {writer ? (
          <div className="meeting-inline-form">
            <label htmlFor="meeting-date">{t('meeting.basisteam.dateLabel')}</label>
            <input
              id="meeting-date"
              type="date"
              value={firstMeeting ?? ''}
              onChange={(e) => setFirstMeeting(planDoc, e.target.value || null)}
            />
            {firstMeeting && (
              <button
                type="button"
                className="button"
                onClick={() => setFirstMeeting(planDoc, null)}
              >
                <X aria-hidden="true" /> {t('meeting.basisteam.clearDate')}
              </button>
            )}
          </div>
        ) : null}
        <p className={firstMeeting ? 'meeting-date' : 'muted'} data-testid="meeting-date-text">
          {firstMeeting ? formatDate(firstMeeting, i18n.language) : t('meeting.basisteam.noDate')}
        </p>
        <p className="meeting-thanks">
          <HeartHandshake aria-hidden="true" /> {t('meeting.basisteam.thanks')}
        </p>
      </section>
    </div>
  )
}
