import type { TLShape } from 'tldraw'

/**
 * A relation shape: a line between two person shapes, both ends bound. Its own file, so the
 * binding and the tool name it without importing the shape util (which imports the binding).
 */
export type RelationShape = TLShape<'relation'>
