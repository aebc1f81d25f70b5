/** How long ago something happened, in the words a list of links uses. */
export type Ago =
  | { unit: 'never' | 'today' | 'yesterday' }
  | { unit: 'days' | 'weeks' | 'months'; count: number }

const DAY_MS = 24 * 60 * 60 * 1000

/** Days between two moments by the calendar of this device: yesterday at 23:00 is 1 day ago. */
function calendarDays(then: Date, now: Date): number {
  const day = (d: Date) => Date.UTC(d.getFullYear(), d.getMonth(), d.getDate())
  return Math.round((day(now) - day(then)) / DAY_MS)
}

/**
 * A time (ISO 8601, or null for never) as plain words: today, yesterday, 3 days ago, 2 weeks
 * ago, 4 months ago. A time ahead of the device's clock counts as today.
 */
export function agoOf(iso: string | null, now: Date = new Date()): Ago {
  if (iso === null) return { unit: 'never' }
  const then = new Date(iso)
  if (Number.isNaN(then.getTime())) return { unit: 'never' }
  const days = calendarDays(then, now)
  if (days <= 0) return { unit: 'today' }
  if (days === 1) return { unit: 'yesterday' }
  if (days < 14) return { unit: 'days', count: days }
  if (days < 61) return { unit: 'weeks', count: Math.floor(days / 7) }
  return { unit: 'months', count: Math.round(days / 30.44) }
}
