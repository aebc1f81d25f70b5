/** Where a sheet goes, in px from the canvas's edges (inline style of the sheet). */
export interface SheetPlace {
  top: number
  left: number
  right: number
  bottom: number
}
