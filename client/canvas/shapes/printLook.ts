import type { JsonObject, TLShape } from 'tldraw'
import type { PrintCardLine } from '../../../shared/domain/relationMapPrint'

/**
 * How a shape is drawn for paper. The export draws its sheets with a second editor on a copy of
 * the atlas and lays the relationship map out for the sheet there, writing this into the copied
 * shapes' `meta.print`; the atlas itself never holds it, so the screen never draws it.
 */
export interface PrintLook {
  /** A person's card: its lines under the name. */
  person?: { lines: PrintCardLine[] }
  /** A relation: where its word goes (page space; null: written under a person instead) and its size. */
  relation?: { label: { x: number; y: number } | null; size: number }
  /** The ring map: the sizes of its words and where the ring names go (in its own space). */
  ringMap?: { sectorSize: number; ringSize: number; ringLabels: { x: number; y: number }[] }
}

/** The print look a shape carries, if the export gave it one. */
export function printLookOf(shape: TLShape): PrintLook | undefined {
  const look = (shape.meta as { print?: unknown }).print
  return look && typeof look === 'object' ? (look as PrintLook) : undefined
}

/** The meta of a shape with a print look added. */
export function withPrintLook(shape: TLShape, look: PrintLook): JsonObject {
  return { ...shape.meta, print: look as unknown as JsonObject }
}
