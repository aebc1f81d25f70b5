import ICAL from 'ical.js'
import { describe, expect, it } from 'vitest'
import { type CalendarMeeting, meetingIcs, meetingUid, rescheduled } from './ics'
import { dutchLocalToUtc, utcToDutchLocal } from './time'

const stamp = new Date('2027-01-10T09:00:00Z')

function meetingAt(date: string, time: string): CalendarMeeting {
  const startsAt = dutchLocalToUtc({ date, time })
  if (!startsAt) throw new Error(`not a time: ${date} ${time}`)
  return { id: 'mtg-7f3a', startsAt, minutes: 90, sequence: 0 }
}

/** The one VEVENT of a file, parsed by an independent iCalendar parser. */
function parsedEvent(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text))
  const events = calendar.getAllSubcomponents('vevent')
  expect(events).toHaveLength(1)
  return new ICAL.Event(events[0])
}

describe('meeting times', () => {
  it('keeps the local hour on both sides of the change to summer time', () => {
    // The Netherlands moves to summer time on 28 March 2027 and back on 31 October.
    const before = dutchLocalToUtc({ date: '2027-03-25', time: '19:30' })
    const after = dutchLocalToUtc({ date: '2027-04-01', time: '19:30' })
    expect(before).toBe('2027-03-25T18:30:00.000Z')
    expect(after).toBe('2027-04-01T17:30:00.000Z')
    expect(utcToDutchLocal(before as string)).toEqual({ date: '2027-03-25', time: '19:30' })
    expect(utcToDutchLocal(after as string)).toEqual({ date: '2027-04-01', time: '19:30' })
  })

  it('refuses dates and times that do not exist', () => {
    expect(dutchLocalToUtc({ date: '2027-04-31', time: '19:30' })).toBeNull()
    expect(dutchLocalToUtc({ date: '2027-03-12', time: '24:00' })).toBeNull()
    expect(dutchLocalToUtc({ date: '12-03-2027', time: '19:30' })).toBeNull()
    expect(utcToDutchLocal('not a date')).toBeNull()
  })
})

describe('the .ics of a basisteam meeting', () => {
  it('writes the start in UTC and keeps the local hour across the daylight-saving change', () => {
    for (const [date, utc] of [
      ['2027-03-25', '20270325T183000Z'],
      ['2027-04-01', '20270401T173000Z'],
      ['2027-11-04', '20271104T183000Z'],
    ]) {
      const text = meetingIcs(meetingAt(date, '19:30'), 'Basisteam van Sanne', stamp)
      expect(text).toContain(`DTSTART:${utc}`)
      const event = parsedEvent(text)
      const local = utcToDutchLocal(event.startDate.toJSDate().toISOString())
      expect(local).toEqual({ date, time: '19:30' })
      expect(event.endDate.toJSDate().getTime() - event.startDate.toJSDate().getTime()).toBe(
        90 * 60_000,
      )
    }
  })

  it('uses CRLF and folds a line longer than 75 octets, counting octets, not characters', () => {
    const summary = `Basisteam van ${'Ëlif-Ünal '.repeat(8)}`
    const text = meetingIcs(meetingAt('2027-03-12', '19:30'), summary, stamp)
    expect(text.endsWith('\r\n') || text.endsWith('END:VCALENDAR')).toBe(true)
    expect(text.replace(/\r\n/g, '')).not.toContain('\n')
    const lines = text.split('\r\n')
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75)
    expect(lines.some((line) => line.startsWith(' '))).toBe(true)
    // Unfolded, the summary is whole again.
    expect(parsedEvent(text).summary).toBe(summary)
  })

  it('keeps the UID of a moved meeting and raises its SEQUENCE', () => {
    const first = meetingAt('2027-03-12', '19:30')
    const moved = rescheduled(
      first,
      dutchLocalToUtc({ date: '2027-03-19', time: '20:00' }) as string,
    )
    expect(moved.sequence).toBe(1)
    expect(rescheduled(moved, moved.startsAt)).toBe(moved)
    const a = parsedEvent(meetingIcs(first, 'Basisteam van Sanne', stamp))
    const b = parsedEvent(meetingIcs(moved, 'Basisteam van Sanne', stamp))
    expect(a.uid).toBe(meetingUid('mtg-7f3a'))
    expect(b.uid).toBe(a.uid)
    expect(a.sequence).toBe(0)
    expect(b.sequence).toBe(1)
    expect(utcToDutchLocal(b.startDate.toJSDate().toISOString())).toEqual({
      date: '2027-03-19',
      time: '20:00',
    })
  })

  it('holds the time and the summary only: no link, no place, no one else', () => {
    const text = meetingIcs(meetingAt('2027-03-12', '19:30'), 'Basisteam van Sanne', stamp)
    const event = parsedEvent(text)
    expect(event.location).toBeNull()
    expect(event.description).toBeNull()
    expect(event.attendees).toHaveLength(0)
    expect(text).not.toMatch(/https?:|URL[:;]|ORGANIZER|ATTENDEE/)
  })

  it('refuses a meeting without a valid start', () => {
    expect(() =>
      meetingIcs({ id: 'x', startsAt: 'soon', minutes: 60, sequence: 0 }, 'Basisteam', stamp),
    ).toThrow(RangeError)
  })
})
