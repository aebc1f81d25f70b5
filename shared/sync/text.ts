/**
 * Long free texts merge character by character: such a field is a Y.Text, and a write applies only
 * the change from what the Y.Text holds to the new value, so two people typing at different places
 * of one text both keep what they typed. Positions are UTF-16 code units, as in JavaScript strings
 * and Y.Text; a change never cuts a surrogate pair (an emoji) in two.
 */
import type * as Y from 'yjs'

/** One change of a text: `remove` code units at `start`, then `insert` there. */
export interface TextChange {
  start: number
  remove: number
  insert: string
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff

/**
 * The one change that turns `from` into `to`, keeping their common start and end. Never starts or
 * ends inside a surrogate pair: Yjs would store the halves as two broken characters.
 */
export function diffText(from: string, to: string): TextChange {
  const max = Math.min(from.length, to.length)
  let prefix = 0
  while (prefix < max && from.charCodeAt(prefix) === to.charCodeAt(prefix)) prefix++
  if (prefix > 0 && isHighSurrogate(from.charCodeAt(prefix - 1))) prefix--
  let suffix = 0
  while (
    suffix < max - prefix &&
    from.charCodeAt(from.length - 1 - suffix) === to.charCodeAt(to.length - 1 - suffix)
  ) {
    suffix++
  }
  if (suffix > 0 && isLowSurrogate(from.charCodeAt(from.length - suffix))) suffix--
  return {
    start: prefix,
    remove: from.length - prefix - suffix,
    insert: to.slice(prefix, to.length - suffix),
  }
}

/**
 * Makes `text` hold `next` by one deletion and one insertion where they differ (in one
 * transaction), so what others type elsewhere in it at the same time stays. `text` must be in a doc.
 */
export function setText(text: Y.Text, next: string): void {
  const { start, remove, insert } = diffText(text.toString(), next)
  if (remove === 0 && insert === '') return
  const apply = () => {
    if (remove > 0) text.delete(start, remove)
    if (insert !== '') text.insert(start, insert)
  }
  if (text.doc) text.doc.transact(apply)
  else apply()
}

/**
 * The text with both changes: `local` is `base` changed by this writer, `current` is `base` changed
 * by others meanwhile (what the doc holds now). The writer's change is put where its place went in
 * `current`; both texts stay. For a writer whose screen showed `base` while the doc moved on.
 */
export function mergeText(base: string, local: string, current: string): string {
  if (current === base || current === local) return local
  if (local === base) return current
  const mine = diffText(base, local)
  const at = locate(base, current, mine.start, mine.start + mine.remove)
  if (at) return current.slice(0, at[0]) + mine.insert + current.slice(at[1])
  return weave(base, mine, diffText(base, current))
}

/**
 * Where position `index` of `from` is in `to` (a caret after someone else changed the text): it
 * moves with the text before it. A position inside text that was replaced goes after the new text.
 */
export function mapIndex(from: string, to: string, index: number): number {
  const at = locate(from, to, index, index)
  if (at) return at[0]
  const theirs = diffText(from, to)
  return theirs.start + theirs.insert.length
}

/** Context lengths tried, longest first, to find a place in a text that others changed around it. */
const CONTEXTS = [16, 8, 4]

/**
 * Where the range [start, end) of `base` is in `current`, or undefined when others changed it.
 * Outside the one region where the two differ, a shift; inside it (several edits by others seen as
 * one region), the range found again by its neighbouring characters, nearest to where it was.
 */
function locate(
  base: string,
  current: string,
  start: number,
  end: number,
): [number, number] | undefined {
  const theirs = diffText(base, current)
  // At the very place where others inserted, this writer's text goes first (it was there first
  // on his screen, and his next keystroke follows it, not theirs).
  if (end <= theirs.start) return [start, end]
  if (start >= theirs.start + theirs.remove) {
    const shift = current.length - base.length
    return [start + shift, end + shift]
  }
  const middle = base.slice(start, end)
  for (const length of CONTEXTS) {
    const before = base.slice(Math.max(0, start - length), start)
    const after = base.slice(end, end + length)
    const pattern = before + middle + after
    if (pattern === '') break
    let best = -1
    for (let i = current.indexOf(pattern); i >= 0; i = current.indexOf(pattern, i + 1)) {
      const at = i + before.length
      if (best < 0 || Math.abs(at - start) < Math.abs(best - start)) best = at
    }
    if (best >= 0) return [best, best + middle.length]
  }
  return undefined
}

/**
 * Both changes applied to `base` as Yjs would merge them: what either removed is gone, what either
 * inserted stays at its place (this writer's first where both inserted at one place).
 */
function weave(base: string, mine: TextChange, theirs: TextChange): string {
  const removed = (i: number, c: TextChange) => i >= c.start && i < c.start + c.remove
  const parts: string[] = []
  for (let i = 0; i <= base.length; i++) {
    if (i === mine.start) parts.push(mine.insert)
    if (i === theirs.start) parts.push(theirs.insert)
    if (i < base.length && !removed(i, mine) && !removed(i, theirs)) parts.push(base.charAt(i))
  }
  return parts.join('')
}
