import { describe, expect, it } from 'vitest'
import type { Agreement } from '../../shared/plan/layout'
import {
  concerns,
  needsWhen,
  needsWho,
  type PlanPerson,
  type PlanWords,
  personForName,
  personName,
  planSections,
  sectionsFor,
  whenWords,
  whoWords,
} from './planView'

const agreement = (fields: Partial<Agreement>): Agreement => ({
  id: 'agreement:a',
  questionId: 'question:q1',
  index: 'a1',
  what: '',
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
  createdAt: '2026-12-05T10:00:00.000Z',
  ...fields,
})

const persons: PlanPerson[] = [
  { id: 'person:ria', name: 'Ria', pictogram: 'heart', photo: null, isClient: false },
  { id: 'person:kees', name: 'Kees', pictogram: null, photo: null, isClient: false },
  { id: 'person:leeg', name: '  ', pictogram: null, photo: null, isClient: false },
]

const words: PlanWords = {
  unknown: 'onbekend',
  unnamed: 'Zonder naam',
  and: (names) => names.join(' en '),
  frequency: {
    once: 'één keer',
    daily: 'elke dag',
    weekly: 'elke week',
    monthly: 'elke maand',
    yearly: 'elk jaar',
  },
  onDate: (date) => `op ${date}`,
}

describe('the plan grouped by question', () => {
  const questions = [
    { id: 'question:q1', text: 'Een', index: 'a1' },
    { id: 'question:q2', text: 'Twee', index: 'a2' },
  ]

  it('follows the questions, and puts agreements whose question is gone last', () => {
    const list = [
      agreement({ id: 'agreement:1', questionId: 'question:q2' }),
      agreement({ id: 'agreement:2', questionId: 'question:weg' }),
      agreement({ id: 'agreement:3', questionId: 'question:q1' }),
    ]
    const sections = planSections(questions, list)
    expect(
      sections.map((s) => [s.question?.id ?? null, s.n, s.agreements.map((a) => a.id)]),
    ).toEqual([
      ['question:q1', 1, ['agreement:3']],
      ['question:q2', 2, ['agreement:1']],
      [null, 0, ['agreement:2']],
    ])
    expect(planSections(questions, []).map((s) => s.question?.id)).toEqual([
      'question:q1',
      'question:q2',
    ])
  })

  it("keeps only a person's own agreements: where he does it or is the backup", () => {
    const list = [
      agreement({ id: 'agreement:1', who: ['person:ria'] }),
      agreement({ id: 'agreement:2', who: ['person:kees'], backupPersonId: 'person:ria' }),
      agreement({ id: 'agreement:3', who: ['person:kees'], questionId: 'question:q2' }),
    ]
    expect(concerns(list[1] as Agreement, 'person:ria')).toBe(true)
    const mine = sectionsFor(planSections(questions, list), 'person:ria')
    expect(mine.map((s) => s.agreements.map((a) => a.id))).toEqual([
      ['agreement:1', 'agreement:2'],
      [],
    ])
  })
})

describe('an agreement in plain words', () => {
  it('asks for who and when only where they are missing', () => {
    expect(needsWho(agreement({}))).toBe(true)
    expect(needsWho(agreement({ who: ['person:gone'] }))).toBe(false)
    expect(needsWhen(agreement({ when: '  ' }))).toBe(true)
    expect(needsWhen(agreement({ when: 'zondag' }))).toBe(false)
    expect(needsWhen(agreement({ date: '2027-01-02' }))).toBe(false)
    expect(needsWhen(agreement({ frequency: 'weekly' }))).toBe(false)
  })

  it('names a person the atlas lacks "onbekend", and one without a name "zonder naam"', () => {
    expect(personName(persons, 'person:ria', words)).toBe('Ria')
    expect(personName(persons, 'person:leeg', words)).toBe('Zonder naam')
    expect(personName(persons, 'person:bestaat-niet', words)).toBe('onbekend')
    expect(
      whoWords(agreement({ who: ['person:ria', 'person:weg', 'person:kees'] }), persons, words),
    ).toBe('Ria en onbekend en Kees')
  })

  it('says when in one phrase: the words, how often and the date', () => {
    expect(
      whenWords(agreement({ when: 'na het eten', frequency: 'weekly', date: '2027-01-02' }), words),
    ).toBe('na het eten · elke week · op 2027-01-02')
    expect(whenWords(agreement({}), words)).toBe('')
  })

  it("finds the person a device's user says he is, only when exactly one has that name", () => {
    const p = (id: string, name: string): PlanPerson => ({
      id,
      name,
      pictogram: null,
      photo: null,
      isClient: false,
    })
    const persons = [
      p('person:a', 'Ahmed'),
      p('person:r', 'Ria'),
      p('person:t1', 'Tim'),
      p('person:t2', 'tim'),
    ]
    expect(personForName(persons, ' ahmed ')?.id).toBe('person:a')
    expect(personForName(persons, 'Tim')).toBeNull()
    expect(personForName(persons, '')).toBeNull()
    expect(personForName(persons, 'Marleen')).toBeNull()
  })
})
