import type { TLRecord } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { atlasSchema } from '.'
import { isPhotoDataUrl, MAX_PHOTO_LENGTH, personId, personRecordValidator } from './person'

const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='

/** A person as version 1 of the record wrote him: with a pictogram, without a photo. */
function personV1() {
  return {
    id: personId('old'),
    typeName: 'person',
    name: 'Oma',
    gender: 'female',
    birthYear: 1940,
    deceased: false,
    isClient: false,
    isSupporter: true,
    pictogram: 'elder',
    sector: 'family',
    closeness: 'very-close',
    note: '',
  }
}

describe('person photo', () => {
  it('migrates a version 1 person to one without a photo that validates', () => {
    const old = atlasSchema.serialize()
    old.sequences['com.tldraw.person'] = 1
    const result = atlasSchema.migratePersistedRecord(personV1() as unknown as TLRecord, old, 'up')
    expect(result.type).toBe('success')
    if (result.type !== 'success') return
    expect(result.value).toMatchObject({ pictogram: 'elder', photo: null })
    expect(() => personRecordValidator.validate(result.value)).not.toThrow()
  })

  it('takes the photo away again when migrating down to version 1', () => {
    const old = atlasSchema.serialize()
    old.sequences['com.tldraw.person'] = 1
    const current = { ...personV1(), photo: PNG } as unknown as TLRecord
    const result = atlasSchema.migratePersistedRecord(current, old, 'down')
    expect(result.type).toBe('success')
    if (result.type !== 'success') return
    expect('photo' in result.value).toBe(false)
  })

  it('accepts a small JPEG or PNG data URL', () => {
    expect(() => personRecordValidator.validate({ ...personV1(), photo: PNG })).not.toThrow()
    const jpeg = `data:image/jpeg;base64,${'A'.repeat(100)}`
    expect(() => personRecordValidator.validate({ ...personV1(), photo: jpeg })).not.toThrow()
  })

  it('refuses a photo that is not a small image data URL', () => {
    for (const photo of [
      'hello',
      'https://example.org/face.jpg',
      'data:text/html;base64,PGI+aGk8L2I+',
      'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=',
      'data:image/png;base64,not base64!',
      `data:image/png;base64,${'A'.repeat(MAX_PHOTO_LENGTH)}`,
    ]) {
      expect(isPhotoDataUrl(photo)).toBe(false)
      expect(() => personRecordValidator.validate({ ...personV1(), photo })).toThrow()
    }
  })
})
