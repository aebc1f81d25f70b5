import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { setViewersMayExport, viewersMayExport } from './settings'

describe('atlas settings in the meta map', () => {
  it('lets viewers export until an editor switches it off, and syncs the choice', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    expect(viewersMayExport(a)).toBe(true)
    setViewersMayExport(a, false)
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    expect(viewersMayExport(b)).toBe(false)
    setViewersMayExport(b, true)
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    expect(viewersMayExport(a)).toBe(true)
  })
})
