/**
 * The server's record check takes a short way for a shape's move (the seven fields every shape
 * has). tldraw's own shape types are in the atlas schema too; their defaults come from tldraw's
 * shape utils, which the server's code and its tests never import, so they are held here.
 */
import { defaultShapeSchemas } from '@tldraw/tlschema'
import { defaultShapeUtils, GroupShapeUtil, getIndices } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { atlasSchema } from '../../shared/schema'
import { RecordsMap } from '../../shared/sync/records'
import { holdsShapeFields, pair } from '../helpers/recordCheck'

describe("checkRecords on tldraw's own shape types", () => {
  it("gives a move of each type (geo, arrow, note, …) the answer of that type's whole check", () => {
    const { server } = pair()
    const someShapeRecord = [...new RecordsMap(server).values()].find(
      (r) => r.typeName === 'shape',
    ) as { parentId: string } | undefined
    const page = someShapeRecord?.parentId as string
    // Each type's own defaults, from its shape util, as tldraw makes a new shape of that type.
    const utils = [...defaultShapeUtils, GroupShapeUtil] as unknown as (new (
      editor: never,
    ) => { getDefaultProps(): object })[]
    const defaultsOf = new Map(
      utils.map((Util) => [(Util as unknown as { type: string }).type, new Util({} as never)]),
    )
    const types = Object.keys(defaultShapeSchemas)
    expect(types.length).toBeGreaterThan(10)
    const records = new RecordsMap(server)
    const indices = getIndices(types.length)
    for (const [i, type] of types.entries()) {
      const util = defaultsOf.get(type)
      expect(util, `a shape util for ${type}`).toBeDefined()
      const shape = atlasSchema.types.shape.create({
        id: `shape:builtin-${type}` as never,
        type,
        parentId: page as never,
        index: indices[i] as never,
        props: util?.getDefaultProps() as never,
      })
      server.transact(() => records.set(atlasSchema.types.shape.validate(shape) as never))
    }
    for (const type of types) holdsShapeFields(server, type, `shape:builtin-${type}`, page)
  })
})
