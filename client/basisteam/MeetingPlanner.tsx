import { CalendarDays, CalendarPlus, Clock, MapPin, Video } from 'lucide-react'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import { dutchLocalToUtc, utcToDutchLocal } from '../../shared/calendar/time'
import {
  addMeeting,
  type BasisteamMeeting,
  moveMeeting,
  setMeetingPlace,
} from '../../shared/plan/basisteam'
import { downloadMeeting } from './calendar'
import { useMeetingWords } from './useBasisteam'

/** The client's first name: all a calendar file says about whose team it is. */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? ''
}

/** "In mijn agenda zetten": the meeting's `.ics` file, for every link. */
export function CalendarButton({
  meeting,
  clientName,
}: {
  meeting: BasisteamMeeting
  clientName: string
}) {
  const { t } = useTranslation()
  const hintId = useId()
  const local = utcToDutchLocal(meeting.startsAt)
  return (
    <div className="team-calendar">
      <button
        type="button"
        className="button"
        aria-describedby={hintId}
        data-testid="meeting-calendar"
        onClick={() =>
          downloadMeeting(
            meeting,
            t('basisteam.calendarSummary', { name: firstName(clientName) }),
            t('basisteam.meeting.fileName', { date: local?.date ?? '' }),
          )
        }
      >
        <CalendarPlus aria-hidden="true" /> {t('basisteam.meeting.calendar')}
      </button>
      <p id={hintId} className="team-hint">
        {t('basisteam.meeting.calendarHint')}
      </p>
    </div>
  )
}

/** When and where a meeting is, in words. */
export function MeetingWhen({ meeting }: { meeting: BasisteamMeeting }) {
  const { t } = useTranslation()
  const words = useMeetingWords()
  return (
    <div className="team-when" data-testid="meeting-when">
      <p className="team-when-date">
        <CalendarDays aria-hidden="true" /> {words.when(meeting.startsAt)}
      </p>
      {meeting.online ? (
        <p>
          <Video aria-hidden="true" /> {t('basisteam.meeting.onlineShort')}
        </p>
      ) : (
        meeting.place && (
          <p>
            <MapPin aria-hidden="true" /> {meeting.place}
          </p>
        )
      )}
    </div>
  )
}

/**
 * A meeting's date, time and place: planned anew (`meeting` null) or moved. The time is typed in
 * Dutch local time and kept in UTC; a move raises the calendar's SEQUENCE.
 */
export function MeetingForm({
  doc,
  meeting,
  suggestedDate,
  onPlanned,
}: {
  doc: Y.Doc
  meeting: BasisteamMeeting | null
  /** A date to start from (YYYY-MM-DD), e.g. the date written before meetings had a time. */
  suggestedDate?: string | null
  onPlanned?: (meetingId: string) => void
}) {
  const { t } = useTranslation()
  const local = meeting ? utcToDutchLocal(meeting.startsAt) : null
  const [date, setDate] = useState(local?.date ?? suggestedDate ?? '')
  const [time, setTime] = useState(local?.time ?? '19:30')
  const [place, setPlace] = useState(meeting?.place ?? '')
  const [online, setOnline] = useState(meeting?.online ?? false)
  const [problem, setProblem] = useState(false)
  const ids = { date: useId(), time: useId(), place: useId(), online: useId(), problem: useId() }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const startsAt = dutchLocalToUtc({ date, time })
    if (!startsAt) {
      setProblem(true)
      return
    }
    setProblem(false)
    const where = online ? '' : place.trim()
    if (meeting) {
      doc.transact(() => {
        moveMeeting(doc, meeting.id, startsAt)
        setMeetingPlace(doc, meeting.id, where, online)
      })
      onPlanned?.(meeting.id)
    } else {
      // Not inside `onPlanned?.(…)`: an optional call skips its arguments when there is no callback.
      const id = addMeeting(doc, { startsAt, place: where, online })
      onPlanned?.(id)
    }
  }
  return (
    <form className="team-meeting-form" onSubmit={submit} data-testid="meeting-form">
      <div className="team-form-row">
        <div className="team-field">
          <label htmlFor={ids.date}>
            <CalendarDays aria-hidden="true" /> {t('basisteam.meeting.date')}
          </label>
          <input
            id={ids.date}
            type="date"
            value={date}
            required
            aria-describedby={problem ? ids.problem : undefined}
            onChange={(e) => setDate(e.currentTarget.value)}
          />
        </div>
        <div className="team-field">
          <label htmlFor={ids.time}>
            <Clock aria-hidden="true" /> {t('basisteam.meeting.time')}
          </label>
          <input
            id={ids.time}
            type="time"
            value={time}
            required
            onChange={(e) => setTime(e.currentTarget.value)}
          />
        </div>
      </div>
      <div className="team-field">
        <label htmlFor={ids.place}>
          <MapPin aria-hidden="true" /> {t('basisteam.meeting.place')}
        </label>
        <input
          id={ids.place}
          value={place}
          maxLength={300}
          disabled={online}
          placeholder={t('basisteam.meeting.placePlaceholder')}
          onChange={(e) => setPlace(e.currentTarget.value)}
        />
      </div>
      <div className="team-check">
        <input
          id={ids.online}
          type="checkbox"
          checked={online}
          onChange={(e) => setOnline(e.currentTarget.checked)}
        />
        <label htmlFor={ids.online}>
          <Video aria-hidden="true" /> {t('basisteam.meeting.online')}
        </label>
      </div>
      {problem && (
        <p id={ids.problem} role="alert" className="team-problem">
          {t('basisteam.meeting.invalid')}
        </p>
      )}
      <button type="submit" className="button primary">
        <CalendarDays aria-hidden="true" />{' '}
        {meeting ? t('basisteam.meeting.move') : t('basisteam.meeting.plan')}
      </button>
    </form>
  )
}
