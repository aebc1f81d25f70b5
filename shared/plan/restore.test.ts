import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addAgreement, addWho, removeAgreement, setAgreementText } from './actions'
import { readStatusLog, setStatus } from './basisteam'
import { readAgreements } from './layout'
import { restoreVersion } from './restore'
import { compareVersions, versionContent } from './versions'

const questions = [{ id: 'question:buurt', text: 'Hoe leer ik mensen kennen?' }]
const names: Record<string, string> = { 'person:ria': 'Ria', 'person:ahmed': 'Ahmed' }
const snapshot = (doc: Y.Doc) =>
  versionContent('Sanne', questions, readAgreements(doc), (id) => names[id] ?? null)

describe('restoring a version', () => {
  it('makes the plan say what the version said, as a new change with its status history', () => {
    const doc = new Y.Doc()
    const kept = addAgreement(doc, 'question:buurt', { what: 'Elke woensdag naar het buurthuis' })
    addWho(doc, kept, 'person:ria')
    const gone = addAgreement(doc, 'question:buurt', { what: 'De post samen openmaken' })
    setStatus(doc, kept, 'on-track', 'meeting:1')
    const v1 = snapshot(doc)

    setAgreementText(doc, kept, 'what', 'Elke donderdag naar het buurthuis')
    addWho(doc, kept, 'person:ahmed')
    setStatus(doc, kept, 'stopped', 'meeting:2')
    removeAgreement(doc, gone)
    const later = addAgreement(doc, 'question:buurt', { what: 'Met Tim naar het voetbal' })
    const historyBefore = readStatusLog(doc, kept).length

    restoreVersion(doc, v1, null)

    const after = snapshot(doc)
    const diff = compareVersions(v1, after)
    expect(diff).toEqual({ added: [], removed: [], stopped: [], changed: [], statusChanged: [] })
    expect(after.agreements.map((a) => a.id).sort()).toEqual([kept, gone].sort())
    expect(readAgreements(doc).some((a) => a.id === later)).toBe(false)
    // The status moved back as a change of its own: the history only grows.
    const history = readStatusLog(doc, kept)
    expect(history.length).toBe(historyBefore + 1)
    expect(history.at(-1)?.status).toBe('on-track')
  })
})
