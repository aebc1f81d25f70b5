import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { diffText, mapIndex, mergeText, setText } from './text'

/** Two docs, each with the Y.Text `story` holding `initial`, and a function that syncs them. */
function twoTexts(initial: string) {
  const a = new Y.Doc()
  const b = new Y.Doc()
  a.getText('story').insert(0, initial)
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  const sync = () => {
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  }
  return { a: a.getText('story'), b: b.getText('story'), sync }
}

/** True when every surrogate in `s` is half of a pair. */
function wellFormed(s: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s)
}

describe('diffText', () => {
  it('finds the one changed region between a common start and end', () => {
    expect(diffText('Ik fiets.', 'Ik fiets graag.')).toEqual({
      start: 8,
      remove: 0,
      insert: ' graag',
    })
    expect(diffText('Ik fiets graag.', 'Ik fiets.')).toEqual({ start: 8, remove: 6, insert: '' })
    expect(diffText('abc', 'aXc')).toEqual({ start: 1, remove: 1, insert: 'X' })
    expect(diffText('same', 'same')).toEqual({ start: 4, remove: 0, insert: '' })
    expect(diffText('', 'new')).toEqual({ start: 0, remove: 0, insert: 'new' })
  })

  it('never cuts a surrogate pair: two emoji that share their first half', () => {
    // 😀 is \ud83d\ude00 and 😁 is \ud83d\ude01: a naive prefix ends inside the pair.
    expect(diffText('x😀y', 'x😁y')).toEqual({ start: 1, remove: 2, insert: '😁' })
    // 𠀀 and 𠀁 (U+20000, U+20001) share their first half too; here the suffix would cut.
    expect(diffText('a𠀁b', 'a𠀀𠀁b')).toEqual({ start: 1, remove: 0, insert: '𠀀' })
    expect(diffText('😀😀', '😀')).toEqual({ start: 2, remove: 2, insert: '' })
  })
})

describe('setText', () => {
  it('writes one deletion and one insertion, not the whole text', () => {
    const doc = new Y.Doc()
    const text = doc.getText('t')
    text.insert(0, 'Ik woon in Utrecht.')
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    setText(text, 'Ik woon graag in Utrecht.')
    expect(text.toString()).toBe('Ik woon graag in Utrecht.')
    expect(updates).toHaveLength(1)
    expect(text.toDelta()).toEqual([{ insert: 'Ik woon graag in Utrecht.' }])
    setText(text, 'Ik woon graag in Utrecht.')
    expect(updates).toHaveLength(1)
  })

  it.each([
    [
      'start and end',
      'Ik heet Sanne.',
      'Hallo. Ik heet Sanne.',
      'Ik heet Sanne. Doei.',
      'Hallo. Ik heet Sanne. Doei.',
    ],
    [
      'start and middle',
      'Ik ben blij.',
      'Eerst: Ik ben blij.',
      'Ik ben echt blij.',
      'Eerst: Ik ben echt blij.',
    ],
    [
      'middle and end',
      'Ik ben blij.',
      'Ik ben heel blij.',
      'Ik ben blij. Echt.',
      'Ik ben heel blij. Echt.',
    ],
  ])(
    'keeps both texts typed at once at the %s of one text',
    (_, initial, aNext, bNext, expected) => {
      const { a, b, sync } = twoTexts(initial)
      setText(a, aNext)
      setText(b, bNext)
      sync()
      expect(a.toString()).toBe(expected)
      expect(b.toString()).toBe(expected)
    },
  )

  it('keeps emoji and accents whole when two people type around them', () => {
    const { a, b, sync } = twoTexts('Café 😀 crème')
    setText(a, 'Café 😀😁 crème')
    setText(b, 'Café 😀 crème brûlée 🎉')
    sync()
    expect(a.toString()).toBe('Café 😀😁 crème brûlée 🎉')
    expect(b.toString()).toBe(a.toString())
    // Replacing one emoji by another that shares its first half keeps the text well-formed.
    setText(a, 'Café 😁😁 crème brûlée 🎉')
    setText(b, 'Café 😀😁 crème brûlée 🎉🎉')
    sync()
    expect(a.toString()).toBe('Café 😁😁 crème brûlée 🎉🎉')
    expect(wellFormed(a.toString())).toBe(true)
  })

  it('keeps both when one types at the end while the other deletes a word at the start', () => {
    const { a, b, sync } = twoTexts('Soms ben ik moe.')
    setText(a, 'Ik ben moe.')
    setText(b, 'Soms ben ik moe. Dan rust ik.')
    sync()
    expect(a.toString()).toBe('Ik ben moe. Dan rust ik.')
    expect(b.toString()).toBe(a.toString())
  })
})

describe('mergeText', () => {
  it("puts the writer's change where its place went in the text as it is now", () => {
    // Someone added a sentence at the start; this writer typed at the end of what he saw.
    expect(mergeText('Ik fiets.', 'Ik fiets graag.', 'Hoi! Ik fiets.')).toBe('Hoi! Ik fiets graag.')
    // Someone added at the end; this writer deleted a word at the start.
    expect(mergeText('Soms ben ik moe.', 'Ik ben moe.', 'Soms ben ik moe. Echt.')).toBe(
      'Ik ben moe. Echt.',
    )
    // Nothing happened meanwhile, or the writer changed nothing.
    expect(mergeText('a', 'ab', 'a')).toBe('ab')
    expect(mergeText('a', 'a', 'ca')).toBe('ca')
  })

  it('finds the place again when others changed the text on both sides of it', () => {
    const base = 'Ik woon in Utrecht met mijn kat.'
    const local = 'Ik woon graag in Utrecht met mijn kat.'
    const current = `Nu: ${base.replace('kat.', 'kat en hond.')}`
    expect(mergeText(base, local, current)).toBe(
      'Nu: Ik woon graag in Utrecht met mijn kat en hond.',
    )
  })

  it('keeps text typed where others deleted the words around it', () => {
    expect(mergeText('aaa bbb ccc', 'aaa bbXb ccc', 'aaa ccc')).toBe('aaa Xccc')
  })

  it('keeps both inserts, whole and in place, for random edits (with emoji and accents)', () => {
    let seed = 7
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed / 2147483648
    }
    const int = (n: number) => Math.floor(rand() * n)
    const word = (alphabet: string[], n: number) =>
      Array.from({ length: n }, () => alphabet[int(alphabet.length)]).join('')
    const baseChars = ['a', 'b', 'é', ' ', '😀', 'ü']
    /** A random change of `s` at code-point boundaries. */
    const edit = (s: string, alphabet: string[]) => {
      const points = [...s]
      const from = int(points.length + 1)
      const to = Math.min(points.length, from + (rand() < 0.5 ? 0 : int(4)))
      const insert = rand() < 0.2 && to > from ? '' : word(alphabet, 1 + int(3))
      return [...points.slice(0, from), insert, ...points.slice(to)].join('')
    }
    for (let run = 0; run < 2000; run++) {
      const base = word(baseChars, int(20))
      const local = edit(base, ['X', 'Y', '😁'])
      const current = edit(base, ['1', '2', '🎉'])
      const merged = mergeText(base, local, current)
      const mine = diffText(base, local)
      const theirs = diffText(base, current)
      expect(wellFormed(merged), JSON.stringify({ base, local, current })).toBe(true)
      expect(merged, JSON.stringify({ base, local, current })).toContain(theirs.insert)
      expect(merged, JSON.stringify({ base, local, current })).toContain(mine.insert)
      // Apart from each other, the result is exact.
      const apart =
        mine.start + mine.remove < theirs.start || theirs.start + theirs.remove < mine.start
      if (apart) {
        const [first, second] = mine.start < theirs.start ? [mine, theirs] : [theirs, mine]
        const expected =
          base.slice(0, first.start) +
          first.insert +
          base.slice(first.start + first.remove, second.start) +
          second.insert +
          base.slice(second.start + second.remove)
        expect(merged, JSON.stringify({ base, local, current })).toBe(expected)
      }
    }
  })
})

describe('mapIndex', () => {
  it('keeps a caret with the text before it', () => {
    const mine = 'Ik fiets.'
    // Text inserted before the caret shifts it; after it, not.
    expect(mapIndex(mine, `Hoi! ${mine}`, 3)).toBe(8)
    expect(mapIndex(mine, `${mine} Echt.`, 3)).toBe(3)
    // Someone typing exactly at the caret: the caret stays before their text, so the next key
    // goes on after this person's own text.
    expect(mapIndex('ab', 'aXb', 1)).toBe(1)
    // Deleted before the caret: it moves back by as much.
    expect(mapIndex('Soms ben ik moe.', 'ben ik moe.', 12)).toBe(7)
    // Inside text someone replaced: after their text.
    expect(mapIndex('aaa bbb ccc', 'aaa XY ccc', 5)).toBe(6)
    // Emoji before it count as two code units each.
    expect(mapIndex('abc', '😀😀abc', 2)).toBe(6)
  })

  it('finds the caret again when others typed on both sides of it', () => {
    const mine = 'Ik woon in Utrecht met mijn kat.'
    const theirs = `Nu: ${mine.replace('kat.', 'kat en hond.')}`
    expect(mapIndex(mine, theirs, mine.indexOf('in'))).toBe(theirs.indexOf('in'))
  })
})
