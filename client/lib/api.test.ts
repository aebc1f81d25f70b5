import { describe, expect, it } from 'vitest'
import { readAccessLog } from './api'

const device = { kind: 'computer', browser: 'Firefox', system: 'Linux' }
const opened = {
  at: '2026-12-06T10:00:00.000Z',
  event: 'opened',
  by: { linkId: 'a1', label: 'Ria', role: 'edit' },
  device,
}

describe('readAccessLog', () => {
  it('shows the lines it knows and counts those of a newer server', () => {
    const log = readAccessLog({
      entries: [opened, { ...opened, event: 'something-new' }, { ...opened, at: 42 }],
      retentionDays: 365,
    })
    expect(log.entries).toEqual([opened])
    expect(log.unknown).toBe(2)
    expect(log.retentionDays).toBe(365)
  })

  it('still refuses an answer that is no access log at all', () => {
    expect(() => readAccessLog({ entries: 'none' })).toThrow()
  })
})
