import { createShapePropsMigrationIds, createShapePropsMigrationSequence } from '@tldraw/tlschema'
import { T } from '@tldraw/validate'

/** A life event is a high point (above the time axis) or a low point (below it). */
export const EVENT_MOODS = ['high', 'low'] as const
export type EventMood = (typeof EVENT_MOODS)[number]

/** A date as people give it: a year, a month or a day (`2021`, `2021-06`, `2021-06-14`). */
export const EVENT_DATE_PATTERN = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/

/** Props of an event shape on the life-events map. */
export interface EventShapeProps {
  date: string
  title: string
  /** What happened. */
  description: string
  mood: EventMood
  /** What helped. */
  helped: string
  /** Persons involved (person record ids). */
  personIds: string[]
  w: number
  h: number
}

/** Named versions of the event shape's props. */
export const EventShapeVersions = createShapePropsMigrationIds('event', {})

/** Migrations of the event shape's props (none yet: this is its first version). */
export const eventShapeMigrations = createShapePropsMigrationSequence({ sequence: [] })

/** Validators of the event shape's props. */
export const eventShapeProps = {
  date: T.string.check((d) => {
    if (!EVENT_DATE_PATTERN.test(d)) throw new Error('date must be YYYY, YYYY-MM or YYYY-MM-DD')
  }),
  title: T.string,
  description: T.string,
  mood: T.literalEnum(...EVENT_MOODS),
  helped: T.string,
  personIds: T.arrayOf(T.string),
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
}
