import { ShapeUtil, type TLShape } from 'tldraw'

/**
 * What the page backgrounds (ring map, time axis, poster areas) share: they are laid out once,
 * locked, and must not look selectable. No outline on hover, no handles, no snapping to them,
 * nothing binds to them.
 */
export abstract class BackgroundShapeUtil<S extends TLShape> extends ShapeUtil<S> {
  override getIndicatorPath() {
    return undefined
  }
  override canBind() {
    return false
  }
  override canSnap() {
    return false
  }
  override canResize() {
    return false
  }
  override canEdit() {
    return false
  }
  override canTabTo() {
    return false
  }
  override hideResizeHandles() {
    return true
  }
  override hideRotateHandle() {
    return true
  }
  override hideSelectionBoundsBg() {
    return true
  }
  override hideSelectionBoundsFg() {
    return true
  }
  override isAspectRatioLocked() {
    return true
  }
}
