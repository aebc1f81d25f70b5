/** What an instrument looks like, drawn: an SVG (its own viewBox), or nothing to draw. */
export interface InstrumentDrawing {
  svg: string
  width: number
  height: number
}
