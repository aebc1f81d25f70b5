import type { TLRecord } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { placementAt, ringRadii } from '../../shared/domain/relationMap'
import {
  type Box,
  boxAt,
  boxesOverlap,
  exitPoint,
  type MapPersonView,
  type MapRelationView,
  PRINT_WORDS,
  planRelationMapForPrint,
  type RelationMapPrintData,
  segmentPush,
} from '../../shared/domain/relationMapPrint'
import { buildSampleAtlas } from '../../shared/domain/sampleAtlas'
import { instrumentPageId } from '../../shared/schema/pages'
import { relationHalfWidth, relationMinLength } from '../canvas/shapes/relation/style'

/** A bold word's width without a browser: a little wider than the sheet's font sets it. */
const measure = (text: string, size: number) => text.length * size * 0.62

type Shape = Extract<TLRecord, { typeName: 'shape' }>

/** The relationship map of an atlas's records, as the sheet's layout reads it. */
function relationMapOf(records: TLRecord[]): RelationMapPrintData {
  const page = instrumentPageId('relatiekaart')
  const shapes = records.filter((r): r is Shape => r.typeName === 'shape' && r.parentId === page)
  const map = shapes.find((s) => s.type === 'ring-map') as Shape & { props: { w: number } }
  const persons: MapPersonView[] = shapes
    .filter((s) => s.type === 'person')
    .map((s) => {
      const props = s.props as { personId: string; w: number; h: number }
      const person = records.find((r) => r.id === props.personId) as unknown as {
        name: string
        isClient: boolean
      }
      return {
        id: s.id,
        centre: { x: s.x + props.w / 2, y: s.y + props.h / 2 },
        name: person.name,
        isClient: person.isClient,
      }
    })
  const bindings = records.filter(
    (r): r is Extract<TLRecord, { typeName: 'binding' }> => r.typeName === 'binding',
  )
  const relations: MapRelationView[] = shapes
    .filter((s) => s.type === 'relation')
    .map((s) => {
      const props = s.props as unknown as { label: string; kind: 'normal'; direction: 'none' }
      const end = (terminal: string) =>
        bindings.find(
          (b) => b.fromId === s.id && (b.props as { terminal: string }).terminal === terminal,
        )?.toId as string
      return {
        id: s.id,
        from: end('start'),
        to: end('end'),
        label: props.label,
        halfWidth: relationHalfWidth(props),
        minLength: relationMinLength(props),
      }
    })
  return {
    centre: { x: map.x + map.props.w / 2, y: map.y + map.props.w / 2 },
    diameter: map.props.w,
    persons,
    relations,
    sectorNames: [
      'Familie',
      'Vrienden en kennissen',
      'Buren en buurt',
      'Werk, school of dagbesteding',
      'Hulpverleners',
    ],
    ringNames: ['Heel dichtbij', 'Vrienden', 'Kennissen', 'Diensten'],
  }
}

describe('the relationship map laid out for paper', () => {
  const data = relationMapOf(buildSampleAtlas())
  const plan = planRelationMapForPrint(data, measure)
  const cards = [...plan.persons.entries()].map(([id, card]) => ({
    id,
    box: boxAt(card.centre, card.size),
  }))
  const pieces = data.relations.map((r) => {
    const a = cards.find((c) => c.id === r.from)?.box as Box
    const b = cards.find((c) => c.id === r.to)?.box as Box
    const centre = (x: Box) => ({ x: x.x + x.w / 2, y: x.y + x.h / 2 })
    return {
      relation: r,
      segment: { a: exitPoint(a, centre(b)), b: exitPoint(b, centre(a)), half: r.halfWidth },
    }
  })

  it('keeps every person in his own ring and sector, and the client in the middle', () => {
    for (const person of data.persons) {
      const card = plan.persons.get(person.id)
      expect(card, person.name).toBeDefined()
      if (person.isClient) expect(card?.centre).toEqual(person.centre)
      else
        expect(placementAt(card?.centre as never, data.centre, data.diameter), person.name).toEqual(
          placementAt(person.centre, data.centre, data.diameter),
        )
    }
  })

  it('lets no card lie on another, and no line run through a card it does not join', () => {
    for (let i = 0; i < cards.length; i++)
      for (let j = i + 1; j < cards.length; j++)
        expect(
          boxesOverlap(cards[i]?.box as Box, cards[j]?.box as Box),
          `${cards[i]?.id} × ${cards[j]?.id}`,
        ).toBe(false)
    for (const { relation, segment } of pieces)
      for (const card of cards) {
        if (card.id === relation.from || card.id === relation.to) continue
        expect(segmentPush(segment, card.box, 0), `${relation.id} through ${card.id}`).toBe(0)
      }
  })

  it('writes the word of a line from the client under the other name, not on the line', () => {
    const mam = data.relations.find((r) => r.label === 'mam') as MapRelationView
    expect(plan.labels.get(mam.id)).toBeNull()
    const ria = data.persons.find((p) => p.name === 'Ria') as MapPersonView
    expect(plan.persons.get(ria.id)?.lines).toEqual([{ text: 'mam', tone: 'relation' }])
  })

  it('places a word between two other persons beside its line, clear of everything', () => {
    const base = relationMapOf(buildSampleAtlas())
    const named = (name: string) => base.persons.find((p) => p.name === name) as MapPersonView
    const extra: MapRelationView = {
      id: 'shape:extra',
      from: named('Kees').id,
      to: named('Tim').id,
      label: 'vader',
      halfWidth: 2,
      minLength: 40,
    }
    const withWord = { ...base, relations: [...base.relations, extra] }
    const result = planRelationMapForPrint(withWord, measure)
    const at = result.labels.get(extra.id)
    expect(at).toBeTruthy()
    const size = {
      w: measure('vader', PRINT_WORDS.relation) + 2 * PRINT_WORDS.halo,
      h: PRINT_WORDS.relation * 1.3,
    }
    const word = boxAt(at as never, size)
    const cards = [...result.persons.values()].map((c) => boxAt(c.centre, c.size))
    for (const card of cards) expect(boxesOverlap(word, card)).toBe(false)
    // Nor on any line, its own included.
    const byId = new Map([...result.persons].map(([id, c]) => [id, boxAt(c.centre, c.size)]))
    for (const r of withWord.relations) {
      const a = byId.get(r.from) as Box
      const b = byId.get(r.to) as Box
      const mid = (x: Box) => ({ x: x.x + x.w / 2, y: x.y + x.h / 2 })
      const piece = { a: exitPoint(a, mid(b)), b: exitPoint(b, mid(a)), half: r.halfWidth }
      expect(segmentPush(piece, word, 0), r.id).toBe(0)
    }
  })

  it('writes the ring names level, each inside its own ring', () => {
    const radii = ringRadii(data.diameter)
    plan.ringLabels.forEach((at, ring) => {
      const w = measure(data.ringNames[ring] as string, PRINT_WORDS.ring)
      const h = PRINT_WORDS.ring * 1.3
      const corners = [
        [at.x - w / 2, at.y - h / 2],
        [at.x + w / 2, at.y - h / 2],
        [at.x - w / 2, at.y + h / 2],
        [at.x + w / 2, at.y + h / 2],
      ].map(([x, y]) => Math.hypot((x as number) - data.centre.x, (y as number) - data.centre.y))
      expect(Math.min(...corners)).toBeGreaterThan(radii[ring] as number)
      expect(Math.max(...corners)).toBeLessThan(radii[ring + 1] as number)
    })
  })
})
