/**
 * A basisteam meeting as an iCalendar file (RFC 5545), for each member to put in his own
 * calendar. It carries the time and a summary with the client's first name only: no link, no
 * place, no other names, because calendars are shared and synced to services we do not know.
 * The same meeting always has the same UID; a moved meeting raises SEQUENCE, so importing the
 * new file moves the event instead of adding a second one.
 */
import ical, { ICalCalendarMethod } from 'ical-generator'

/** A basisteam meeting as far as a calendar needs it. */
export interface CalendarMeeting {
  /** The meeting's id in the plan: the stable part of the UID. */
  id: string
  /** Start, UTC ISO 8601. */
  startsAt: string
  /** Minutes the meeting is planned to take. */
  minutes: number
  /** Raised each time the start moves. */
  sequence: number
}

/** The product identifier the file names as its maker. */
const PRODUCT_ID = { company: 'Netwerkatlas', product: 'Netwerkatlas', language: 'NL' }

/** The UID of a meeting: stable for its whole life, unique across atlases (ids are random). */
export function meetingUid(meetingId: string): string {
  return `${meetingId}@netwerkatlas`
}

/**
 * The meeting after its start moved to `startsAt`: same id (so same UID), SEQUENCE one higher.
 * An unchanged start keeps the meeting as it is.
 */
export function rescheduled<M extends CalendarMeeting>(meeting: M, startsAt: string): M {
  if (Date.parse(startsAt) === Date.parse(meeting.startsAt)) return meeting
  return { ...meeting, startsAt, sequence: meeting.sequence + 1 }
}

/**
 * The `.ics` text of one meeting: CRLF line ends, lines folded at 75 octets, DTSTART and DTEND
 * in UTC. `summary` is written by the caller from the catalogue ("Basisteam van Sanne");
 * `stamp` is when the file is made (DTSTAMP).
 */
export function meetingIcs(meeting: CalendarMeeting, summary: string, stamp: Date): string {
  const start = new Date(meeting.startsAt)
  if (Number.isNaN(start.getTime())) throw new RangeError('The meeting has no valid start.')
  const calendar = ical({ prodId: PRODUCT_ID, method: ICalCalendarMethod.PUBLISH })
  calendar.createEvent({
    id: meetingUid(meeting.id),
    sequence: meeting.sequence,
    stamp,
    start,
    end: new Date(start.getTime() + meeting.minutes * 60_000),
    summary,
  })
  return calendar.toString()
}
