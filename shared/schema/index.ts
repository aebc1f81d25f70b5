import { createTLSchema, defaultBindingSchemas, defaultShapeSchemas } from '@tldraw/tlschema'
import { eventShapeMigrations, eventShapeProps } from './event'
import {
  defaultPersonProperties,
  personRecordMigrations,
  personRecordValidator,
  personShapeMigrations,
  personShapeProps,
} from './person'
import {
  backgroundShapeMigrations,
  posterAreaShapeProps,
  posterRecordMigrations,
  posterRecordValidator,
  questionRecordMigrations,
  questionRecordValidator,
  ringMapShapeProps,
  timelineShapeProps,
} from './poster'
import {
  relationEndBindingMigrations,
  relationEndBindingProps,
  relationShapeMigrations,
  relationShapeProps,
} from './relation'
import './types'

/** The custom shapes of an atlas: props validators and migrations (rendering lives in client/). */
export const atlasShapeSchemas = {
  person: { props: personShapeProps, migrations: personShapeMigrations },
  relation: { props: relationShapeProps, migrations: relationShapeMigrations },
  event: { props: eventShapeProps, migrations: eventShapeMigrations },
  'poster-area': { props: posterAreaShapeProps, migrations: backgroundShapeMigrations.posterArea },
  'ring-map': { props: ringMapShapeProps, migrations: backgroundShapeMigrations.ringMap },
  timeline: { props: timelineShapeProps, migrations: backgroundShapeMigrations.timeline },
}

/** The custom bindings of an atlas. */
export const atlasBindingSchemas = {
  'relation-end': { props: relationEndBindingProps, migrations: relationEndBindingMigrations },
}

/** The custom (non-shape) document records of an atlas. */
export const atlasRecords = {
  person: {
    scope: 'document' as const,
    validator: personRecordValidator,
    migrations: personRecordMigrations,
    createDefaultProperties: defaultPersonProperties,
  },
  question: {
    scope: 'document' as const,
    validator: questionRecordValidator,
    migrations: questionRecordMigrations,
  },
  poster: {
    scope: 'document' as const,
    validator: posterRecordValidator,
    migrations: posterRecordMigrations,
    createDefaultProperties: () => ({ story: '', goesWell: '', wishes: '' }),
  },
}

/**
 * The one tldraw record schema of an atlas, imported by the client (store) and the server
 * (validation): tldraw's default shapes plus the atlas's shapes, bindings and records.
 */
export const atlasSchema = createTLSchema({
  shapes: { ...defaultShapeSchemas, ...atlasShapeSchemas },
  bindings: { ...defaultBindingSchemas, ...atlasBindingSchemas },
  records: atlasRecords,
})
