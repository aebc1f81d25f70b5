import {
  createBindingPropsMigrationSequence,
  createShapePropsMigrationIds,
  createShapePropsMigrationSequence,
  vecModelValidator,
} from '@tldraw/tlschema'
import { T } from '@tldraw/validate'

/** Family ties, drawn on the family map with genogram notation. */
export const FAMILY_KINDS = [
  'married',
  'living-together',
  'separated',
  'divorced',
  'parent-child',
  'siblings',
] as const

/** Relational ties, drawn on the relationship map. */
export const TIE_KINDS = ['strong', 'normal', 'weak', 'tenuous', 'stressful'] as const

/** Every kind of relation. */
export const RELATION_KINDS = [...FAMILY_KINDS, ...TIE_KINDS] as const
export type RelationKind = (typeof RELATION_KINDS)[number]

/** Which way support flows: from the start person to the end person, back, both, or not shown. */
export const SUPPORT_DIRECTIONS = ['none', 'forward', 'backward', 'both'] as const
export type SupportDirection = (typeof SUPPORT_DIRECTIONS)[number]

/** How two people have contact (contact schedule). */
export const CONTACT_MEANS = ['visit', 'phone', 'message', 'video'] as const
export type ContactMeans = (typeof CONTACT_MEANS)[number]

/** How often two people have contact (contact schedule). */
export const CONTACT_FREQUENCIES = ['daily', 'weekly', 'monthly', 'yearly', 'rarely'] as const
export type ContactFrequency = (typeof CONTACT_FREQUENCIES)[number]

/** Props of a relation shape: a line between two person shapes, both ends bound. */
export interface RelationShapeProps {
  kind: RelationKind
  direction: SupportDirection
  label: string
  /** The persons at both ends (kept equal to the bound shapes' persons). */
  fromPersonId: string
  toPersonId: string
  /** Line ends in shape space, recomputed when a bound person moves. */
  start: { x: number; y: number }
  end: { x: number; y: number }
  contactMeans: ContactMeans | null
  contactFrequency: ContactFrequency | null
  /** What the contact brings (contact schedule). */
  contactBrings: string
}

/** Named versions of the relation shape's props. */
export const RelationShapeVersions = createShapePropsMigrationIds('relation', {})

/** Migrations of the relation shape's props (none yet: this is its first version). */
export const relationShapeMigrations = createShapePropsMigrationSequence({ sequence: [] })

/** Validators of the relation shape's props. */
export const relationShapeProps = {
  kind: T.literalEnum(...RELATION_KINDS),
  direction: T.literalEnum(...SUPPORT_DIRECTIONS),
  label: T.string,
  fromPersonId: T.string,
  toPersonId: T.string,
  start: vecModelValidator,
  end: vecModelValidator,
  contactMeans: T.nullable(T.literalEnum(...CONTACT_MEANS)),
  contactFrequency: T.nullable(T.literalEnum(...CONTACT_FREQUENCIES)),
  contactBrings: T.string,
}

/** Props of the binding from a relation shape (fromId) to a person shape (toId). */
export interface RelationEndBindingProps {
  terminal: 'start' | 'end'
}

/** Validators of the relation-end binding's props. */
export const relationEndBindingProps = {
  terminal: T.literalEnum('start', 'end'),
}

/** Migrations of the relation-end binding (none yet). */
export const relationEndBindingMigrations = createBindingPropsMigrationSequence({ sequence: [] })

/** True for ties drawn with genogram notation on the family map. */
export function isFamilyKind(kind: RelationKind): boolean {
  return (FAMILY_KINDS as readonly string[]).includes(kind)
}
