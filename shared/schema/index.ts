import { createTLSchema } from '@tldraw/tlschema'

/**
 * The one tldraw record schema of an atlas, imported by the client (store) and the server
 * (validation). Custom shapes are registered here as they are added.
 */
export const atlasSchema = createTLSchema()
