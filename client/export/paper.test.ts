import { describe, expect, it } from 'vitest'
import { paperPixels, paperPoints } from './paper'

describe('paper sizes', () => {
  it('gives the landscape pixel size of A4 and A3 at 150 and 300 dpi', () => {
    expect(paperPixels('A4', 150)).toEqual({ w: 1754, h: 1240 })
    expect(paperPixels('A4', 300)).toEqual({ w: 3508, h: 2480 })
    expect(paperPixels('A3', 150)).toEqual({ w: 2480, h: 1754 })
    expect(paperPixels('A3', 300)).toEqual({ w: 4961, h: 3508 })
  })
  it('gives the PDF page size in points', () => {
    const a4 = paperPoints('A4')
    expect(a4.w).toBeCloseTo(841.89, 1)
    expect(a4.h).toBeCloseTo(595.28, 1)
    const a3 = paperPoints('A3')
    expect(a3.w).toBeCloseTo(1190.55, 1)
    expect(a3.h).toBeCloseTo(841.89, 1)
  })
})
