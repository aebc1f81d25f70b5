/**
 * Meeting times: stored in UTC, entered and shown as Dutch local time. The Netherlands moves its
 * clocks twice a year, so the offset is looked up for the day itself, never assumed.
 */
import { TZDate } from '@date-fns/tz'

/** The time zone the app shows and takes meeting times in. */
export const DUTCH_TIME_ZONE = 'Europe/Amsterdam'

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/

/** A local date and time as a form holds them. */
export interface LocalDateTime {
  /** YYYY-MM-DD */
  date: string
  /** HH:mm */
  time: string
}

/**
 * The UTC instant (ISO 8601, `Z`) of a Dutch local date and time, or null when either is not a
 * real date or time. A time that does not exist locally (the hour skipped in spring) moves
 * forward, as a wall clock does.
 */
export function dutchLocalToUtc({ date, time }: LocalDateTime): string | null {
  const d = DATE.exec(date)
  const t = TIME.exec(time)
  if (!d || !t) return null
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])]
  const local = new TZDate(year, month - 1, day, Number(t[1]), Number(t[2]), DUTCH_TIME_ZONE)
  // A day that does not exist (31 April) rolls over in Date; refuse it instead.
  if (local.getFullYear() !== year || local.getMonth() !== month - 1 || local.getDate() !== day) {
    return null
  }
  return new Date(local.getTime()).toISOString()
}

/** The Dutch local date and time of a UTC instant. */
export function utcToDutchLocal(iso: string): LocalDateTime | null {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return null
  const local = new TZDate(ms, DUTCH_TIME_ZONE)
  const two = (n: number) => String(n).padStart(2, '0')
  return {
    date: `${local.getFullYear()}-${two(local.getMonth() + 1)}-${two(local.getDate())}`,
    time: `${two(local.getHours())}:${two(local.getMinutes())}`,
  }
}
