import { EVENT_DATE_PATTERN, type EventMood } from '../schema/event'

/**
 * The time axis of the life-events map (gebeurteniskaart). The axis runs from the start of
 * `fromYear` to the end of `toYear`: every year gets an equal span, labelled in its middle.
 * A year-only date sits in the middle of its year, a month in the middle of its month.
 * Pure: numbers and strings, no tldraw.
 */

/** How precise a date is. */
export type DatePrecision = 'year' | 'month' | 'day'

/** Vertical layout of a timeline shape, in its own space: the axis is the horizontal middle. */
export const TIMELINE_GEOMETRY = {
  /** Height above (and below) the axis: room for the high (and low) points. */
  halfHeight: 380,
  /** Space between the axis and the nearest event card. */
  axisGap: 36,
  /** Space between two stacked event cards. */
  laneGap: 16,
} as const

/** The y of the axis in the timeline shape's own space. */
export const TIMELINE_AXIS_Y = TIMELINE_GEOMETRY.halfHeight

/** The precision of a valid date string, or null if it is not one. */
export function datePrecision(date: string): DatePrecision | null {
  if (!EVENT_DATE_PATTERN.test(date)) return null
  return date.length === 4 ? 'year' : date.length === 7 ? 'month' : 'day'
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** A date as a fractional year (2021 → 2021.5, 2021-01 → 2021.04…). NaN when invalid. */
export function dateToYears(date: string): number {
  const precision = datePrecision(date)
  if (!precision) return Number.NaN
  const [y, m, d] = date.split('-').map(Number) as [number, number?, number?]
  if (precision === 'year') return y + 0.5
  const month = (m as number) - 1
  if (precision === 'month') return y + (month + 0.5) / 12
  const days = daysInMonth(y, month + 1)
  return y + (month + (Math.min(d as number, days) - 0.5) / days) / 12
}

/** Number of years the axis spans. */
export function yearSpan(fromYear: number, toYear: number): number {
  return Math.max(1, toYear - fromYear + 1)
}

/** The x (in the timeline's own space, 0..w) of the start of a year. */
export function xForYearStart(year: number, fromYear: number, toYear: number, w: number): number {
  return ((year - fromYear) / yearSpan(fromYear, toYear)) * w
}

/** The x of a date on an axis of width `w` (clamped to the axis). NaN for an invalid date. */
export function xForDate(date: string, fromYear: number, toYear: number, w: number): number {
  const years = dateToYears(date)
  if (Number.isNaN(years)) return Number.NaN
  const x = ((years - fromYear) / yearSpan(fromYear, toYear)) * w
  return Math.min(w, Math.max(0, x))
}

/**
 * The date at x on the axis, with the given precision (a year, a month or a day), clamped to
 * the axis's years.
 */
export function dateForX(
  x: number,
  fromYear: number,
  toYear: number,
  w: number,
  precision: DatePrecision = 'year',
): string {
  const span = yearSpan(fromYear, toYear)
  const years = fromYear + (Math.min(w, Math.max(0, x)) / w) * span
  const year = Math.min(toYear, Math.max(fromYear, Math.floor(years)))
  const within = Math.min(0.999999, Math.max(0, years - year))
  const month = Math.floor(within * 12)
  const yyyy = String(year).padStart(4, '0')
  if (precision === 'year') return yyyy
  const mm = String(month + 1).padStart(2, '0')
  if (precision === 'month') return `${yyyy}-${mm}`
  const days = daysInMonth(year, month + 1)
  const day = Math.min(days, Math.floor((within * 12 - month) * days) + 1)
  return `${yyyy}-${mm}-${String(day).padStart(2, '0')}`
}

/** Keeps the month and day of a date but puts it in another year (29 February → 28). */
export function withYear(date: string, year: number): string {
  const precision = datePrecision(date)
  const yyyy = String(year).padStart(4, '0')
  if (!precision || precision === 'year') return yyyy
  const [, m, d] = date.split('-')
  if (precision === 'month') return `${yyyy}-${m}`
  const day = Math.min(Number(d), daysInMonth(year, Number(m)))
  return `${yyyy}-${m}-${String(day).padStart(2, '0')}`
}

/** The year of a date string (NaN when invalid). */
export function yearOf(date: string): number {
  return datePrecision(date) ? Number(date.slice(0, 4)) : Number.NaN
}

/**
 * Sort order of events: by date (a year before the months of that year, a month before its
 * days), then by title. Use with `Array.prototype.sort`.
 */
export function compareEventDates(
  a: { date: string; title?: string },
  b: { date: string; title?: string },
): number {
  if (a.date !== b.date) {
    // "2021" < "2021-03" < "2021-03-05" < "2022": plain string order does exactly this.
    return a.date < b.date ? -1 : 1
  }
  return (a.title ?? '').localeCompare(b.title ?? '')
}

/** The mood that belongs to a y in the timeline's space: above the axis high, below low. */
export function moodForY(y: number, axisY: number): EventMood {
  return y < axisY ? 'high' : 'low'
}

/**
 * The top y of an event card of height `h` in lane `lane` (0 = next to the axis): high points
 * stack upwards from the axis, low points downwards.
 */
export function eventTopY(mood: EventMood, axisY: number, h: number, lane = 0): number {
  const { axisGap, laneGap } = TIMELINE_GEOMETRY
  const offset = axisGap + lane * (h + laneGap)
  return mood === 'high' ? axisY - offset - h : axisY + offset
}

/** A horizontal stretch taken by an event card (left and right x). */
export interface Span {
  left: number
  right: number
  lane: number
}

/** The first lane in which a card from `left` to `right` does not overlap the taken spans. */
export function freeLane(left: number, right: number, taken: readonly Span[], gap = 8): number {
  for (let lane = 0; lane < 100; lane++) {
    const clash = taken.some((s) => s.lane === lane && left < s.right + gap && s.left < right + gap)
    if (!clash) return lane
  }
  return 0
}
