import { beforeAll, describe, expect, it } from 'vitest'
import { type AtlasContent, readAtlasContent } from '../../../shared/domain/content'
import { buildSampleAtlas } from '../../../shared/domain/sampleAtlas'
import {
  describeChosen,
  describeMap,
  generations,
  type MapText,
  mapTextToSpeech,
  spokenDate,
  type Words,
} from './describe'
import { testWords } from './testWords'

let dutch: Words
let english: Words
let sample: AtlasContent

beforeAll(async () => {
  dutch = await testWords('nl')
  english = await testWords('en')
  sample = readAtlasContent(buildSampleAtlas({ thisYear: 2026 }))
})

const section = (text: MapText, heading: string) => {
  const found = text.sections.find((s) => s.heading === heading)
  if (!found) throw new Error(`no section "${heading}" in ${JSON.stringify(text)}`)
  return found.lines
}

describe('the relationship map in words', () => {
  it('names everyone by ring, with family role, sector, tie and who helps whom (Dutch)', () => {
    const text = describeMap(sample, 'relatiekaart', dutch)
    expect(text.title).toBe('Relatiekaart van Sanne')
    expect(text.intro).toEqual(['Sanne staat in het midden.', 'Op de kaart staan 7 mensen.'])
    expect(section(text, 'In de binnenste ring: heel dichtbij')).toEqual([
      'Ria, moeder, mam, steunfiguur, familie, sterke band. Ria helpt Sanne.',
      'Fatima, beste vriendin, steunfiguur, vrienden en kennissen, sterke band. Sanne en Fatima helpen elkaar.',
    ])
    expect(section(text, 'In de tweede ring: vrienden')).toEqual([
      'Oma Truus, oma, familie, geen lijn met Sanne.',
      'Tim, broer, familie, gewone band.',
    ])
    expect(section(text, 'In de derde ring: kennissen')).toEqual([
      'Kees, vader, familie, moeilijk of ruzie.',
      'Ahmed, buren en buurt, zwakke band.',
    ])
    expect(section(text, 'In de buitenste ring: diensten')).toEqual([
      'Marleen, jobcoach, hulpverleners, gewone band. Marleen helpt Sanne.',
    ])
  })

  it('says the same in English', () => {
    const text = describeMap(sample, 'relatiekaart', english)
    expect(text.title).toBe('Relationship map of Sanne')
    expect(text.intro).toEqual(['Sanne is in the middle.', 'There are 7 people on the map.'])
    expect(section(text, 'In the inner ring: very close')[0]).toBe(
      'Ria, mother, mam, supporter, family, strong tie. Ria helps Sanne.',
    )
    expect(section(text, 'In the third ring: acquaintances')).toEqual([
      'Kees, father, family, difficult or quarrels.',
      'Ahmed, neighbours and community, weak tie.',
    ])
  })

  it('counts one person in the singular, and says when nobody is on the map', () => {
    const one: AtlasContent = {
      ...sample,
      persons: sample.persons.filter((p) => p.isClient || p.name === 'Ahmed'),
    }
    expect(describeMap(one, 'relatiekaart', dutch).intro).toContain('Op de kaart staat 1 persoon.')
    expect(describeMap(one, 'relatiekaart', english).intro).toContain(
      'There is 1 person on the map.',
    )
    const none: AtlasContent = { ...sample, persons: sample.persons.filter((p) => p.isClient) }
    expect(describeMap(none, 'relatiekaart', dutch).intro).toContain(
      'Er staat nog niemand op de kaart.',
    )
    expect(describeMap(none, 'relatiekaart', dutch).sections).toEqual([])
  })

  it('lists lines between two other people apart, and a person without a ring last', () => {
    const ria = sample.persons.find((p) => p.name === 'Ria')
    const tim = sample.persons.find((p) => p.name === 'Tim')
    if (!ria || !tim) throw new Error('sample changed')
    const content: AtlasContent = {
      ...sample,
      persons: sample.persons.map((p) => (p.id === tim.id ? { ...p, closeness: null } : p)),
      relations: [
        ...sample.relations,
        {
          ...(sample.relations.find(
            (r) => r.map === 'relatiekaart',
          ) as AtlasContent['relations'][0]),
          id: 'shape:ria-tim',
          kind: 'weak',
          direction: 'forward',
          label: '',
          from: { id: ria.id, name: 'Ria' },
          to: { id: tim.id, name: 'Tim' },
        },
      ],
    }
    const text = describeMap(content, 'relatiekaart', dutch)
    expect(section(text, 'Andere lijnen')).toEqual(['Ria en Tim: zwakke band. Ria helpt Tim.'])
    expect(text.sections.at(-2)?.heading).toBe('Nog zonder ring')
    expect(section(text, 'Nog zonder ring')).toEqual(['Tim, broer, familie, gewone band.'])
  })
})

describe('the family map in words', () => {
  it('goes by generation, oldest first, with birth years, deaths and ties', () => {
    const text = describeMap(sample, 'familiekaart', dutch)
    expect(text.title).toBe('Familiekaart van Sanne')
    expect(text.sections.map((s) => s.heading)).toEqual([
      'Generatie van de grootouders',
      'Generatie van de ouders',
      'Generatie van Sanne',
    ])
    expect(section(text, 'Generatie van de grootouders')).toEqual([
      'Opa Henk, opa, geboren in 1938, overleden. Getrouwd met Oma Truus.',
      'Oma Truus, oma, geboren in 1941. Getrouwd met Opa Henk.',
    ])
    expect(section(text, 'Generatie van de ouders')[1]).toBe(
      'Ria, moeder, geboren in 1968. Kind van Oma Truus en Opa Henk. Gescheiden van Kees.',
    )
    expect(section(text, 'Generatie van Sanne')).toEqual([
      'Sanne, de klant, geboren in 1996. Kind van Kees en Ria.',
      'Tim, broer, geboren in 1999. Kind van Kees en Ria.',
    ])
    const english_ = describeMap(sample, 'familiekaart', english)
    expect(section(english_, 'Generation of the parents')).toEqual([
      'Kees, father, born in 1965. Divorced from Ria.',
      'Ria, mother, born in 1968. Child of Oma Truus and Opa Henk. Divorced from Kees.',
    ])
  })

  it('counts generations from the client through parents, partners and siblings', () => {
    const gen = generations(sample)
    const of = (name: string) => gen.get(sample.persons.find((p) => p.name === name)?.id ?? '')
    expect([
      of('Sanne'),
      of('Tim'),
      of('Ria'),
      of('Kees'),
      of('Oma Truus'),
      of('Opa Henk'),
    ]).toEqual([0, 0, -1, -1, -2, -2])
    expect(of('Ahmed')).toBeUndefined()
  })
})

describe('the other instruments in words', () => {
  it('tells the events by date, each with what happened, who was there and what helped', () => {
    const text = describeMap(sample, 'gebeurteniskaart', dutch)
    expect(text.intro).toEqual(['Op de kaart staan 4 gebeurtenissen, van oud naar nieuw.'])
    const lines = section(text, 'Gebeurtenissen')
    expect(lines.map((l) => l.split(':')[0])).toEqual([
      'Juli 2019',
      'Maart 2021',
      '2022',
      'September 2023',
    ])
    expect(lines[2]).toBe(
      '2022: Een moeilijke tijd. Dieptepunt. Ik voelde me eenzaam en ging bijna niet meer naar buiten. Met Fatima en Marleen. Wat hielp: Elke week wandelen met Fatima. Praten met Marleen.',
    )
    expect(section(describeMap(sample, 'gebeurteniskaart', english), 'Events')[0]).toMatch(
      /^July 2019: Diploma mbo\. High point\. .* With Ria and Fatima\. What helped: /,
    )
  })

  it('says that the contact schedule is a table, and how many contacts it has', () => {
    expect(describeMap(sample, 'contactschema', dutch).intro[0]).toMatch(
      /^Het contactschema is een tabel op deze pagina\. Er staan 6 contacten in\./,
    )
    expect(describeMap(sample, 'contactschema', english).intro[0]).toMatch(
      /^The contact schedule is a table on this page\. It has 6 contacts\./,
    )
  })

  it('reads the poster: story, what goes well, wishes, and the questions in their order', () => {
    const text = describeMap(sample, 'basisposter', dutch)
    expect(text.sections.map((s) => s.heading)).toEqual([
      'Mijn verhaal',
      'Wat lukt al wel?',
      'Mijn wensen',
      'Mijn vragen voor het plan',
    ])
    expect(section(text, 'Mijn vragen voor het plan')).toEqual(sample.questions.map((q) => q.text))
    const empty: AtlasContent = {
      ...sample,
      poster: { story: '', goesWell: ' ', wishes: '' },
      questions: [],
    }
    expect(describeMap(empty, 'basisposter', english).sections.map((s) => s.lines)).toEqual([
      ['Nothing here yet.'],
      ['Nothing here yet.'],
      ['Nothing here yet.'],
      ['There are no questions yet.'],
    ])
  })

  it('joins a map into sentences to read aloud', () => {
    const speech = mapTextToSpeech(describeMap(sample, 'relatiekaart', dutch))
    expect(speech).toMatch(
      /^Relatiekaart van Sanne\. Sanne staat in het midden\. Op de kaart staan 7 mensen\. In de binnenste ring: heel dichtbij\. Ria, moeder,/,
    )
  })

  it('writes dates as people say them', () => {
    expect(spokenDate('2021', 'nl')).toBe('2021')
    expect(spokenDate('2021-06', 'nl')).toBe('juni 2021')
    expect(spokenDate('2021-06-14', 'nl')).toBe('14 juni 2021')
    expect(spokenDate('2021-06-14', 'en')).toBe('June 14, 2021')
  })
})

describe('what is chosen, in words', () => {
  it('says a person with his role, and on the relationship map his ring and sector', () => {
    const ria = sample.persons.find((p) => p.name === 'Ria')?.id as string
    const chosen = { type: 'person', personId: ria } as const
    expect(describeChosen(chosen, sample, 'relatiekaart', dutch)).toBe(
      'Ria, moeder, binnenste ring, familie',
    )
    expect(describeChosen(chosen, sample, 'familiekaart', english)).toBe('Ria, mother')
  })

  it('says a relation by its two people and kind, and an event by its title and date', () => {
    const relation = sample.relations.find((r) => r.kind === 'stressful')
    const event = sample.events[0]
    if (!relation || !event) throw new Error('sample changed')
    expect(describeChosen({ type: 'relation', id: relation.id }, sample, null, dutch)).toBe(
      'relatie tussen Sanne en Kees, moeilijk of ruzie',
    )
    expect(describeChosen({ type: 'event', id: event.id }, sample, null, english)).toBe(
      'event Diploma mbo, July 2019',
    )
    expect(describeChosen({ type: 'event', id: 'shape:gone' }, sample, null, dutch)).toBeNull()
  })
})
