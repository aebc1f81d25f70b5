/**
 * The life-events map laid out for paper: the whole time axis across the sheet, and the event
 * cards in rows above it (high points) and below it (low points), each as near to its date as
 * the others leave room for, joined to its date by a thin line. Pure: numbers, no tldraw.
 */

/** A card to place: where its date is on the axis, and how wide it is. */
export interface CardToPack {
  id: string
  anchor: number
  w: number
}

/** A placed card: its left edge and its row (0 = next to the axis). */
export interface PackedCard {
  id: string
  x: number
  row: number
}

/**
 * Puts cards in as few rows as they fit in between `from` and `to`, in date order within a
 * row (every `rows`-th card in the same row, so neighbours in time alternate), each row's cards
 * `gap` apart and as near to their dates as that allows.
 */
export function packCards(
  cards: readonly CardToPack[],
  from: number,
  to: number,
  gap: number,
): PackedCard[] {
  const sorted = [...cards].sort((a, b) => a.anchor - b.anchor || (a.id < b.id ? -1 : 1))
  if (sorted.length === 0) return []
  const room = to - from
  let rows = 1
  for (; rows < sorted.length; rows++) {
    const fits = Array.from({ length: rows }, (_, r) =>
      sorted.filter((_, i) => i % rows === r),
    ).every((row) => row.reduce((sum, c) => sum + c.w, 0) + gap * (row.length - 1) <= room)
    if (fits) break
  }
  const placed: PackedCard[] = []
  for (let r = 0; r < rows; r++) {
    const row = sorted.filter((_, i) => i % rows === r)
    const x = row.map((c) => Math.min(to - c.w, Math.max(from, c.anchor - c.w / 2)))
    // Push right where a card would cover the one before it, then back left where the row
    // ran past the end, then right again where it ran past the start.
    for (let i = 1; i < row.length; i++)
      x[i] = Math.max(x[i] as number, (x[i - 1] as number) + (row[i - 1] as CardToPack).w + gap)
    for (let i = row.length - 1; i >= 0; i--) {
      const limit =
        i === row.length - 1
          ? to - (row[i] as CardToPack).w
          : (x[i + 1] as number) - gap - (row[i] as CardToPack).w
      x[i] = Math.min(x[i] as number, limit)
    }
    for (let i = 0; i < row.length; i++) {
      const limit = i === 0 ? from : (x[i - 1] as number) + (row[i - 1] as CardToPack).w + gap
      x[i] = Math.max(x[i] as number, limit)
    }
    for (const [i, c] of row.entries()) placed.push({ id: c.id, x: x[i] as number, row: r })
  }
  return placed
}

/**
 * The years that get a label on an axis of `yearWidth` per year: every n-th year from the
 * first so that labels `labelWidth` wide keep apart, and always the last year (in place of the
 * one before it when they would touch).
 */
export function labelledYears(
  fromYear: number,
  toYear: number,
  yearWidth: number,
  labelWidth: number,
): number[] {
  let every = 1
  for (const n of [1, 2, 5, 10, 25, 50, 100]) {
    every = n
    if (yearWidth * n >= labelWidth * 1.25) break
  }
  const years: number[] = []
  for (let y = fromYear; y <= toYear; y += every) years.push(y)
  const last = years[years.length - 1] as number
  if (last !== toYear) {
    if ((toYear - last) * yearWidth < labelWidth * 1.25 && years.length > 1) years.pop()
    years.push(toYear)
  }
  return years
}
