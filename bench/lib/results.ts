/** Figures per peer and trial, summarised as medians with ratios and a verdict per target. */
import { ALL_PEERS, type PeerKind } from './peers'
import { median } from './stats'

export type Medians = Partial<Record<PeerKind, number>>

/** One measured quantity of a workload. */
export interface Figure {
  workload: string
  name: string
  unit: string
  digits?: number
  /** The target in words, as the table prints it. */
  target?: string
  /** Decides the target from the medians; undefined when it cannot be decided. */
  judge?: (m: Medians) => boolean | undefined
  /**
   * The judge decides on each trial's figures instead of the medians, and passes only if every
   * trial does: for a ratio whose trials may disagree (S1's rooms), a median would hide that.
   */
  everyTrial?: boolean
}

interface Row {
  figure: Figure
  values: Record<PeerKind, number[]>
}

/** "ours ≤ limit", "never worse than the reference by more than 20 %" and "better than Hocuspocus". */
export const atMost = (limit: number) => (m: Medians) =>
  m.ours === undefined ? undefined : m.ours <= limit

/** "ours ≥ floor" (a capacity, or a ratio that should be large). */
export const atLeast = (floor: number) => (m: Medians) =>
  m.ours === undefined ? undefined : m.ours >= floor

export const vsPeers = (m: Medians): boolean | undefined => {
  if (m.ours === undefined || m.reference === undefined || m.hocuspocus === undefined) {
    return undefined
  }
  return m.ours <= m.reference * 1.2 && m.ours < m.hocuspocus
}

/** Issue 23's edit-latency target: at most 0.9× the reference and below Hocuspocus. */
export const fasterThanPeers = (m: Medians): boolean | undefined => {
  if (m.ours === undefined || m.reference === undefined || m.hocuspocus === undefined) {
    return undefined
  }
  return m.ours <= m.reference * 0.9 && m.ours < m.hocuspocus
}

/** False if any verdict is false, else undefined if any cannot be decided, else true. */
function allOf(verdicts: Array<boolean | undefined>): boolean | undefined {
  if (verdicts.includes(false)) return false
  return verdicts.includes(undefined) ? undefined : true
}

export const both =
  (...judges: Array<(m: Medians) => boolean | undefined>) =>
  (m: Medians) =>
    allOf(judges.map((j) => j(m)))

/** `figure.judge` on each trial's figures (trial i of every peer): false if any trial fails. */
function judgeEach(figure: Figure, values: Record<PeerKind, number[]>): boolean | undefined {
  const trials = Math.max(...ALL_PEERS.map((p) => values[p].length))
  if (!figure.judge || trials === 0) return undefined
  const verdicts = Array.from({ length: trials }, (_, i) => {
    const m: Medians = {}
    for (const peer of ALL_PEERS) if (values[peer][i] !== undefined) m[peer] = values[peer][i]
    return figure.judge?.(m)
  })
  return allOf(verdicts)
}

export class Results {
  readonly #rows = new Map<string, Row>()
  readonly #wrong: string[] = []
  readonly trials = new Map<string, number>()

  add(figure: Figure, peer: PeerKind, value: number): void {
    const key = `${figure.workload}\u0000${figure.name}`
    let row = this.#rows.get(key)
    if (!row) {
      row = { figure, values: { ours: [], reference: [], hocuspocus: [], floor: [] } }
      this.#rows.set(key, row)
    }
    if (!Number.isNaN(value)) row.values[peer].push(value)
  }

  /** Notes the outcome of a correctness check; a failed one fails the whole run. */
  checked(workload: string, peer: PeerKind, ok: boolean, what = 'replicas and server agree'): void {
    if (!ok) this.#wrong.push(`${workload} ${peer}: ${what} — NOT so`)
  }

  get wrong(): string[] {
    return [...this.#wrong]
  }

  /** One summary line per figure. */
  summary() {
    return [...this.#rows.values()].map(({ figure, values }) => {
      const m: Medians = {}
      for (const peer of ALL_PEERS) if (values[peer].length) m[peer] = median(values[peer])
      const verdict = figure.everyTrial ? judgeEach(figure, values) : figure.judge?.(m)
      return {
        workload: figure.workload,
        figure: `${figure.name} (${figure.unit})`,
        digits: figure.digits ?? 2,
        medians: m,
        trials: Math.max(...ALL_PEERS.map((p) => values[p].length)),
        target: figure.target ?? '',
        verdict: verdict === undefined ? (figure.target ? 'n/a' : '') : verdict ? 'pass' : 'FAIL',
      }
    })
  }

  /** The table as Markdown (also readable in a terminal). */
  markdown(): string {
    const fmt = (v: number | undefined, digits: number) =>
      v === undefined ? '—' : v === Number.POSITIVE_INFINITY ? 'not back' : v.toFixed(digits)
    const ratio = (a?: number, b?: number) =>
      a === undefined ||
      b === undefined ||
      b === 0 ||
      !Number.isFinite(a) ||
      !Number.isFinite(b) ||
      !Number.isFinite(a / b)
        ? '—'
        : (a / b).toFixed(2)
    const rows = this.summary()
    // The floor's columns only when it ran (W1).
    const floor = rows.some((r) => r.medians.floor !== undefined)
    const lines = [
      `| workload | figure | ours | reference | hocuspocus | ours/ref | ours/hp | target | result |${floor ? ' floor | floor/ref |' : ''}`,
      `|---|---|--:|--:|--:|--:|--:|---|---|${floor ? '--:|--:|' : ''}`,
    ]
    for (const s of rows) {
      const { ours, reference, hocuspocus } = s.medians
      const floorCells = floor
        ? ` ${fmt(s.medians.floor, s.digits)} | ${ratio(s.medians.floor, reference)} |`
        : ''
      lines.push(
        `| ${s.workload} | ${s.figure} | ${fmt(ours, s.digits)} | ${fmt(reference, s.digits)} | ${fmt(hocuspocus, s.digits)} | ${ratio(ours, reference)} | ${ratio(ours, hocuspocus)} | ${s.target} | ${s.verdict} |${floorCells}`,
      )
    }
    return lines.join('\n')
  }
}
