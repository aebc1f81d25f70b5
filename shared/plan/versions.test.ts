import { describe, expect, it } from 'vitest'
import type { Agreement, PlanQuestion } from './layout'
import { planHashInput } from './layout'
import { compareVersions, PlanVersionContent, versionContent, versionHashInput } from './versions'

const questions: PlanQuestion[] = [
  { id: 'question:buurt', text: 'Hoe leer ik meer mensen kennen in mijn buurt?' },
  { id: 'question:geld', text: 'Wie helpt mij met mijn post en mijn geld?' },
]

function agreement(id: string, fields: Partial<Agreement> = {}): Agreement {
  return {
    id,
    questionId: 'question:buurt',
    index: `a${id}`,
    what: `afspraak ${id}`,
    who: [],
    where: '',
    when: '',
    date: null,
    frequency: null,
    how: '',
    fallback: '',
    backupPersonId: null,
    status: null,
    note: '',
    createdAt: '2027-01-01T10:00:00.000Z',
    ...fields,
  }
}

const namesThen: Record<string, string> = { 'person:ria': 'Ria', 'person:ahmed': 'Ahmed' }
const namesNow: Record<string, string> = { 'person:ria': 'Ria (mam)', 'person:ahmed': 'Ahmed' }

describe('plan versions', () => {
  it('copies the names in as they are, and keeps them when the atlas renames someone', () => {
    const plan = [
      agreement('1', { who: ['person:ria', 'person:gone'], backupPersonId: 'person:ahmed' }),
    ]
    const v1 = versionContent('Sanne', questions, plan, (id) => namesThen[id] ?? null)
    const v2 = versionContent('Sanne', questions, plan, (id) => namesNow[id] ?? null)
    expect(v1.agreements[0].who).toEqual([
      { id: 'person:ria', name: 'Ria' },
      { id: 'person:gone', name: '' },
    ])
    expect(v1.agreements[0].backup).toEqual({ id: 'person:ahmed', name: 'Ahmed' })
    expect(v2.agreements[0].who[0].name).toBe('Ria (mam)')
    // A version is plain data that validates and survives JSON.
    expect(PlanVersionContent.parse(JSON.parse(JSON.stringify(v1)))).toEqual(v1)
    // A rename alone changes nothing that was agreed.
    const diff = compareVersions(v1, v2)
    expect(diff.changed).toEqual([])
    expect(diff.added).toEqual([])
  })

  it('names added, removed, changed and stopped agreements and status changes', () => {
    const name = (id: string) => namesThen[id] ?? null
    const v1 = versionContent(
      'Sanne',
      questions,
      [
        agreement('1', { status: 'on-track' }),
        agreement('2', { who: ['person:ria'] }),
        agreement('3', { status: 'attention' }),
        agreement('4'),
      ],
      name,
    )
    const v2 = versionContent(
      'Sanne',
      questions,
      [
        agreement('1', { status: 'on-track', note: 'gaat goed' }),
        agreement('2', { who: ['person:ahmed'], when: 'elke zondag', status: 'attention' }),
        agreement('3', { status: 'stopped' }),
        agreement('5', { questionId: 'question:geld' }),
      ],
      name,
    )
    const diff = compareVersions(v1, v2)
    expect(diff.added.map((a) => a.id)).toEqual(['5'])
    expect(diff.removed.map((a) => a.id)).toEqual(['4'])
    expect(diff.stopped.map((a) => a.id)).toEqual(['3'])
    expect(diff.changed.map((c) => [c.after.id, c.fields])).toEqual([['2', ['who', 'when']]])
    expect(diff.changed[0].before.who).toEqual([{ id: 'person:ria', name: 'Ria' }])
    expect(diff.statusChanged.map((s) => [s.agreement.id, s.from, s.to])).toEqual([
      ['2', null, 'attention'],
      ['3', 'attention', 'stopped'],
    ])
    // Nothing differs between a version and itself.
    expect(compareVersions(v2, v2)).toEqual({
      added: [],
      removed: [],
      stopped: [],
      changed: [],
      statusChanged: [],
    })
  })

  it('hashes a version as the plan it was taken from is hashed for an approval', () => {
    const plan = [
      agreement('1', { who: ['person:ria'], date: '2027-03-12', frequency: 'weekly' }),
      agreement('2', { questionId: 'question:gone' }),
    ]
    const version = versionContent('Sanne', questions, plan, (id) => namesThen[id] ?? null)
    expect(versionHashInput(version)).toBe(planHashInput(questions, plan))
    const edited = versionContent(
      'Sanne',
      questions,
      [agreement('1', { who: ['person:ria'], date: '2027-03-19', frequency: 'weekly' }), plan[1]],
      (id) => namesThen[id] ?? null,
    )
    expect(versionHashInput(edited)).not.toBe(versionHashInput(version))
  })
})
