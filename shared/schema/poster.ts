import type { BaseRecord, RecordId } from '@tldraw/store'
import {
  createCustomRecordMigrationSequence,
  createShapePropsMigrationSequence,
  idValidator,
} from '@tldraw/tlschema'
import { T } from '@tldraw/validate'

/** A question of the client for the plan: ordered, editable; the plan is built from them. */
export interface AtlasQuestion extends BaseRecord<'question', RecordId<AtlasQuestion>> {
  text: string
  /** Sort key (fractional index), so two people can insert questions at once. */
  index: string
}

/** Validator of the question record. */
export const questionRecordValidator: T.Validator<AtlasQuestion> = T.object({
  id: idValidator<RecordId<AtlasQuestion>>('question'),
  typeName: T.literal('question'),
  text: T.string,
  index: T.string,
})

/** Migrations of the question record (none yet). */
export const questionRecordMigrations = createCustomRecordMigrationSequence({ sequence: [] })

/** The text areas of the basisposter. */
export const POSTER_FIELDS = ['story', 'goesWell', 'wishes'] as const
export type PosterField = (typeof POSTER_FIELDS)[number]

/** The basisposter's texts; one record per atlas, id `poster:poster`. */
export interface AtlasPoster extends BaseRecord<'poster', RecordId<AtlasPoster>> {
  story: string
  goesWell: string
  wishes: string
}

/** The one poster record's id. */
export const POSTER_ID = 'poster:poster' as RecordId<AtlasPoster>

/** Validator of the poster record. */
export const posterRecordValidator: T.Validator<AtlasPoster> = T.object({
  id: idValidator<RecordId<AtlasPoster>>('poster'),
  typeName: T.literal('poster'),
  story: T.string,
  goesWell: T.string,
  wishes: T.string,
})

/** Migrations of the poster record (none yet). */
export const posterRecordMigrations = createCustomRecordMigrationSequence({ sequence: [] })

// ----- background shapes: drawn once per page, locked -----

/** An area of the basisposter: story, what goes well, wishes, or the questions for the plan. */
export const POSTER_AREAS = [...POSTER_FIELDS, 'questions'] as const
export type PosterArea = (typeof POSTER_AREAS)[number]

/** Props of a poster-area shape. */
export interface PosterAreaShapeProps {
  area: PosterArea
  w: number
  h: number
}

/** Validators of the poster-area shape's props. */
export const posterAreaShapeProps = {
  area: T.literalEnum(...POSTER_AREAS),
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
}

/** Props of the relationship map's rings and sectors (its centre is at w/2, w/2). */
export interface RingMapShapeProps {
  /** Diameter of the outer ring. */
  w: number
}

/** Validators of the ring-map shape's props. */
export const ringMapShapeProps = { w: T.nonZeroNumber }

/** Props of the life-events map's time axis. */
export interface TimelineShapeProps {
  w: number
  fromYear: number
  toYear: number
}

/** Validators of the timeline shape's props. */
export const timelineShapeProps = {
  w: T.nonZeroNumber,
  fromYear: T.integer,
  toYear: T.integer,
}

/** Migrations of the background shapes (none yet: first versions). */
export const backgroundShapeMigrations = {
  posterArea: createShapePropsMigrationSequence({ sequence: [] }),
  ringMap: createShapePropsMigrationSequence({ sequence: [] }),
  timeline: createShapePropsMigrationSequence({ sequence: [] }),
}
