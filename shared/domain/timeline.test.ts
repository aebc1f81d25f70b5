import { describe, expect, it } from 'vitest'
import {
  compareEventDates,
  dateForX,
  datePrecision,
  eventTopY,
  freeLane,
  moodForY,
  withYear,
  xForDate,
  xForYearStart,
} from './timeline'

const axis = { fromYear: 2000, toYear: 2024, w: 2500 } // 100 per year

const x = (date: string) => xForDate(date, axis.fromYear, axis.toYear, axis.w)

describe('the time axis', () => {
  it('places an event dated 2021 between 2019 and 2023', () => {
    expect(x('2021')).toBeGreaterThan(x('2019'))
    expect(x('2021')).toBeLessThan(x('2023'))
  })

  it('puts a year in the middle of its span and months and days inside it, in order', () => {
    expect(x('2021')).toBeCloseTo(2150)
    expect(xForYearStart(2021, axis.fromYear, axis.toYear, axis.w)).toBe(2100)
    expect(x('2021-01')).toBeGreaterThan(2100)
    expect(x('2021-01')).toBeLessThan(x('2021-02'))
    expect(x('2021-02-28')).toBeLessThan(x('2021-03-01'))
    expect(x('2021-12-31')).toBeLessThan(2200)
    expect(x('2000-01-01')).toBeGreaterThan(0)
  })

  it('clamps dates outside the axis to its ends and rejects what is not a date', () => {
    expect(x('1990')).toBe(0)
    expect(x('2030-05')).toBe(axis.w)
    expect(x('21-3')).toBeNaN()
    expect(datePrecision('2021-13')).toBeNull()
  })

  it('reads the date back from x with the asked precision', () => {
    expect(dateForX(2150, axis.fromYear, axis.toYear, axis.w)).toBe('2021')
    expect(dateForX(x('2021-06'), axis.fromYear, axis.toYear, axis.w, 'month')).toBe('2021-06')
    expect(dateForX(x('2021-06-14'), axis.fromYear, axis.toYear, axis.w, 'day')).toBe('2021-06-14')
    expect(dateForX(-50, axis.fromYear, axis.toYear, axis.w)).toBe('2000')
    expect(dateForX(99999, axis.fromYear, axis.toYear, axis.w, 'day')).toBe('2024-12-31')
  })

  it('round-trips every day of a leap year', () => {
    const start = Date.UTC(2020, 0, 1)
    for (let d = 0; d < 366; d++) {
      const date = new Date(start + d * 86_400_000).toISOString().slice(0, 10)
      expect(dateForX(x(date), axis.fromYear, axis.toYear, axis.w, 'day')).toBe(date)
    }
  })

  it('moves a date to another year and keeps its month and day', () => {
    expect(withYear('2021', 2019)).toBe('2019')
    expect(withYear('2021-06', 2019)).toBe('2019-06')
    expect(withYear('2020-02-29', 2021)).toBe('2021-02-28')
  })

  it('sorts events by date, a year before its months, then by title', () => {
    const events = [
      { date: '2022', title: 'b' },
      { date: '2021-03-05', title: 'x' },
      { date: '2021', title: 'a' },
      { date: '2021-03', title: 'y' },
      { date: '2022', title: 'a' },
    ]
    expect([...events].sort(compareEventDates).map((e) => `${e.date} ${e.title}`)).toEqual([
      '2021 a',
      '2021-03 y',
      '2021-03-05 x',
      '2022 a',
      '2022 b',
    ])
  })

  it('puts high points above the axis and low points below, stacking in lanes', () => {
    const axisY = 400
    expect(eventTopY('high', axisY, 100) + 100).toBeLessThan(axisY)
    expect(eventTopY('low', axisY, 100)).toBeGreaterThan(axisY)
    expect(eventTopY('high', axisY, 100, 1)).toBeLessThan(eventTopY('high', axisY, 100, 0) - 100)
    expect(moodForY(399, axisY)).toBe('high')
    expect(moodForY(401, axisY)).toBe('low')
  })

  it('finds the first free lane for a card', () => {
    const taken = [
      { left: 0, right: 200, lane: 0 },
      { left: 150, right: 350, lane: 1 },
    ]
    expect(freeLane(100, 300, taken)).toBe(2)
    expect(freeLane(400, 600, taken)).toBe(0)
  })
})
