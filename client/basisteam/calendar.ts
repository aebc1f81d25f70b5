/** A basisteam meeting as a calendar file the browser saves (made on this device, no request). */
import { meetingIcs } from '../../shared/calendar/ics'
import type { BasisteamMeeting } from '../../shared/plan/basisteam'

/** Lets the browser save the meeting's `.ics` file under `fileName`. */
export function downloadMeeting(
  meeting: BasisteamMeeting,
  summary: string,
  fileName: string,
): void {
  const text = meetingIcs(meeting, summary, new Date())
  const url = URL.createObjectURL(new Blob([text], { type: 'text/calendar;charset=utf-8' }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
