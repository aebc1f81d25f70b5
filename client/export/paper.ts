/** Paper sizes an export can be made for, landscape (width > height), in millimetres. */
export const PAPER = {
  A4: { w: 297, h: 210 },
  A3: { w: 420, h: 297 },
} as const
export type Paper = keyof typeof PAPER

/** Print resolutions offered: 150 dpi (good on paper, smaller file) and 300 dpi (sharp). */
export const DPI = [150, 300] as const
export type Dpi = (typeof DPI)[number]

const MM_PER_INCH = 25.4
/** PDF user space units (points) per millimetre. */
export const PT_PER_MM = 72 / MM_PER_INCH

/** The size in pixels of a landscape sheet of `paper` at `dpi`. */
export function paperPixels(paper: Paper, dpi: number): { w: number; h: number } {
  const { w, h } = PAPER[paper]
  return { w: Math.round((w / MM_PER_INCH) * dpi), h: Math.round((h / MM_PER_INCH) * dpi) }
}

/** The size in PDF points of a landscape sheet of `paper`. */
export function paperPoints(paper: Paper): { w: number; h: number } {
  const { w, h } = PAPER[paper]
  return { w: w * PT_PER_MM, h: h * PT_PER_MM }
}
