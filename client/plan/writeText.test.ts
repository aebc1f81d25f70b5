import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addAgreement, setAgreementText } from '../../shared/plan/actions'
import { readAgreements } from '../../shared/plan/layout'
import { writeAgreementText } from './writeText'

describe('writing an agreement text from what the screen showed', () => {
  it("keeps another person's keys that reached the document after the screen was drawn", () => {
    const doc = new Y.Doc()
    const id = addAgreement(doc, 'question:q', { what: 'Boodschappen doen' })
    // The screen shows "Boodschappen doen"; meanwhile someone typed at the start.
    setAgreementText(doc, id, 'what', 'Samen boodschappen doen')
    writeAgreementText(doc, id, 'what', 'Boodschappen doen', 'Boodschappen doen op zaterdag')
    expect(readAgreements(doc)[0]?.what).toBe('Samen boodschappen doen op zaterdag')
  })

  it('writes the typed text as it is when the document still holds what the screen showed', () => {
    const doc = new Y.Doc()
    const id = addAgreement(doc, 'question:q', { what: 'Koken' })
    writeAgreementText(doc, id, 'what', 'Koken', 'Koken met Ria')
    writeAgreementText(doc, id, 'how', '', 'In de keuken')
    expect(readAgreements(doc)[0]).toMatchObject({ what: 'Koken met Ria', how: 'In de keuken' })
  })

  it('does nothing for an agreement that is gone', () => {
    const doc = new Y.Doc()
    writeAgreementText(doc, 'agreement:gone', 'what', '', 'Iets')
    expect(readAgreements(doc)).toEqual([])
  })
})
