import { CalendarDays, HeartHandshake, Users } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { CalendarButton, MeetingForm, MeetingWhen } from '../../basisteam/MeetingPlanner'
import { MembersEditor } from '../../basisteam/MembersEditor'
import { FinishFirstMeeting } from '../../basisteam/parts'
import { useBasisteam } from '../../basisteam/useBasisteam'
import { addPerson } from '../../plan/atlasWrites'
import { useMeeting, usePersonName } from '../context'
import { formatDate } from './PresentationStep'

/**
 * Forming the basisteam: its members (persons of the atlas, or new ones) with their role and how
 * to reach them, the first meeting (date, time, place), its calendar file, and finishing the
 * meeting, which keeps the plan as version 1.
 */
export function BasisteamStep() {
  const { t, i18n } = useTranslation()
  const { writer, planDoc, content, store, access, clientName } = useMeeting()
  const nameOf = usePersonName()
  const team = useBasisteam(planDoc)
  // The first meeting is the earliest one planned; until one is, a date written before meetings
  // had a time is shown and offered as the start.
  const first = team.meetings[0] ?? null
  const persons = content.persons.map((p) => ({ id: p.id, name: p.name }))
  return (
    <div className="meeting-columns">
      <section aria-labelledby="meeting-members" data-testid="meeting-members">
        <h2 id="meeting-members">
          <Users aria-hidden="true" /> {t('basisteam.members.title')}
        </h2>
        <MembersEditor
          persons={persons}
          members={team.members}
          doc={writer ? planDoc : null}
          onNewPerson={store ? (name) => addPerson(store, name) : null}
          nameOf={nameOf}
        />
      </section>
      <section aria-labelledby="meeting-first-date" data-testid="meeting-first-meeting">
        <h2 id="meeting-first-date">
          <CalendarDays aria-hidden="true" /> {t('basisteam.meeting.firstTitle')}
        </h2>
        {first ? (
          <>
            <MeetingWhen meeting={first} />
            <CalendarButton meeting={first} clientName={clientName} />
          </>
        ) : (
          <p className="muted" data-testid="meeting-date-text">
            {team.oldFirstMeeting
              ? formatDate(team.oldFirstMeeting, i18n.language)
              : t('meeting.basisteam.noDate')}
          </p>
        )}
        {writer && (
          <MeetingForm
            key={first?.id ?? 'new'}
            doc={planDoc}
            meeting={first}
            suggestedDate={team.oldFirstMeeting}
          />
        )}
        <FinishFirstMeeting access={access} writer={writer} />
        <p className="meeting-thanks">
          <HeartHandshake aria-hidden="true" /> {t('meeting.basisteam.thanks')}
        </p>
      </section>
    </div>
  )
}
