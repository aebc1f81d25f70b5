import type { BaseRecord, RecordId } from '@tldraw/store'
import {
  createCustomRecordMigrationIds,
  createCustomRecordMigrationSequence,
  createShapePropsMigrationIds,
  createShapePropsMigrationSequence,
  idValidator,
} from '@tldraw/tlschema'
import { T } from '@tldraw/validate'

/** Genogram symbol: square = male, circle = female, diamond = other or unknown. */
export const GENDERS = ['male', 'female', 'other', 'unknown'] as const
export type Gender = (typeof GENDERS)[number]

/** The five sectors of the relationship map, clockwise from the top. */
export const SECTORS = ['family', 'friends', 'neighbours', 'work', 'professionals'] as const
export type Sector = (typeof SECTORS)[number]

/** The four rings of the relationship map, innermost first. */
export const CLOSENESS = ['very-close', 'friends', 'acquaintances', 'services'] as const
export type Closeness = (typeof CLOSENESS)[number]

/** Pictograms a person can have instead of a photo (drawn by the client, bundled). */
export const PICTOGRAMS = [
  'person',
  'child',
  'elder',
  'heart',
  'home',
  'work',
  'school',
  'sport',
  'music',
  'pet',
  'care',
  'star',
] as const
export type Pictogram = (typeof PICTOGRAMS)[number]

/** One person of the atlas. Person shapes on the maps are views of this record. */
export interface AtlasPerson extends BaseRecord<'person', RecordId<AtlasPerson>> {
  name: string
  gender: Gender
  /** Year of birth, shown above the genogram symbol. */
  birthYear: number | null
  deceased: boolean
  /** The client himself: exactly one person in an atlas. */
  isClient: boolean
  /** A supporter (steunfiguur) of the client. */
  isSupporter: boolean
  pictogram: Pictogram | null
  /** A small photo (JPEG or PNG data URL); shown instead of the pictogram when set. */
  photo: string | null
  /** Sector on the relationship map; null until he is placed there. */
  sector: Sector | null
  /** Ring on the relationship map; null until he is placed there. */
  closeness: Closeness | null
  note: string
}
export type AtlasPersonId = AtlasPerson['id']

/** Named versions of the person record. */
export const PersonRecordVersions = createCustomRecordMigrationIds('person', {
  AddPictogram: 1,
  AddPhoto: 2,
})

/** Migrations of the person record, oldest first. */
export const personRecordMigrations = createCustomRecordMigrationSequence({
  sequence: [
    {
      id: PersonRecordVersions.AddPictogram,
      up: (record: { pictogram?: unknown }) => {
        record.pictogram = null
      },
      down: (record: { pictogram?: unknown }) => {
        delete record.pictogram
      },
    },
    {
      id: PersonRecordVersions.AddPhoto,
      up: (record: { photo?: unknown }) => {
        record.photo = null
      },
      down: (record: { photo?: unknown }) => {
        delete record.photo
      },
    },
  ],
})

const year = T.nullable(
  T.integer.check((n) => {
    if (n < 1800 || n > 2200) throw new Error('birth year must be between 1800 and 2200')
  }),
)

/** Longest photo data URL a person can have (about 200 KB). */
export const MAX_PHOTO_LENGTH = 200_000

/** Data URL prefixes a photo can start with. */
export const PHOTO_PREFIXES = ['data:image/jpeg;base64,', 'data:image/png;base64,'] as const

/** Whether `value` is a photo a person can have: a small JPEG or PNG data URL. */
export function isPhotoDataUrl(value: string): boolean {
  const prefix = PHOTO_PREFIXES.find((p) => value.startsWith(p))
  if (!prefix || value.length > MAX_PHOTO_LENGTH) return false
  return /^[A-Za-z0-9+/]+={0,2}$/.test(value.slice(prefix.length))
}

const photo = T.nullable(
  T.string.check((value) => {
    if (!isPhotoDataUrl(value))
      throw new Error('photo must be a JPEG or PNG data URL of at most 200 KB')
  }),
)

/** Validator of the whole person record. */
export const personRecordValidator: T.Validator<AtlasPerson> = T.object({
  id: idValidator<AtlasPersonId>('person'),
  typeName: T.literal('person'),
  name: T.string,
  gender: T.literalEnum(...GENDERS),
  birthYear: year,
  deceased: T.boolean,
  isClient: T.boolean,
  isSupporter: T.boolean,
  pictogram: T.nullable(T.literalEnum(...PICTOGRAMS)),
  photo,
  sector: T.nullable(T.literalEnum(...SECTORS)),
  closeness: T.nullable(T.literalEnum(...CLOSENESS)),
  note: T.string,
})

/** Defaults for a new person record. */
export function defaultPersonProperties(): Omit<AtlasPerson, 'id' | 'typeName'> {
  return {
    name: '',
    gender: 'unknown',
    birthYear: null,
    deceased: false,
    isClient: false,
    isSupporter: false,
    pictogram: null,
    photo: null,
    sector: null,
    closeness: null,
    note: '',
  }
}

/** The id of a person record from its suffix. */
export function personId(suffix: string): AtlasPersonId {
  return `person:${suffix}` as AtlasPersonId
}

// ----- the person shape: one view of a person on one map -----

/** Props of a person shape. */
export interface PersonShapeProps {
  /** The person this shape shows. */
  personId: string
  w: number
  h: number
}

/** Named versions of the person shape's props. */
export const PersonShapeVersions = createShapePropsMigrationIds('person', {})

/** Migrations of the person shape's props (none yet: this is its first version). */
export const personShapeMigrations = createShapePropsMigrationSequence({ sequence: [] })

/** Validators of the person shape's props. */
export const personShapeProps = {
  personId: T.string,
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
}
