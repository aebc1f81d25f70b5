import { describe, expect, it } from 'vitest'
import { atLeast, type Figure, Results } from '../../bench/lib/results'

const ratio = (everyTrial: boolean): Figure => ({
  workload: 'S1',
  name: 'rooms, two ÷ one',
  unit: '×',
  target: '≥ 2×',
  judge: atLeast(2),
  everyTrial,
})

function verdict(figure: Figure, trials: number[]): string | undefined {
  const results = new Results()
  for (const value of trials) results.add(figure, 'ours', value)
  return results.summary()[0]?.verdict
}

describe('bench results', () => {
  it('judges the median unless every trial must pass', () => {
    // Trials of 6.5, 6.5 and 0.9: the median passes, one trial does not.
    expect(verdict(ratio(false), [6.5, 6.5, 0.9])).toBe('pass')
    expect(verdict(ratio(true), [6.5, 6.5, 0.9])).toBe('FAIL')
    expect(verdict(ratio(true), [2.4, 2.1, 2.8])).toBe('pass')
  })

  it('cannot judge each trial of a figure that has none', () => {
    expect(verdict(ratio(true), [Number.NaN])).toBe('n/a')
  })
})
