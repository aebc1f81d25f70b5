/**
 * Self time per function of a `.cpuprofile` (from `bench/profile.ts --prof`), over the samples
 * between two marks, and per edit: `npx tsx bench/profile-summary.ts FILE [--edits N] [--top 30]
 * [--from-ms A --to-ms B]` (times from the profile's start).
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    edits: { type: 'string' },
    top: { type: 'string', default: '30' },
    'from-ms': { type: 'string', default: '0' },
    'to-ms': { type: 'string', default: 'Infinity' },
    /** Time in the function and everything it called, instead of in the function alone. */
    inclusive: { type: 'boolean', default: false },
    /** Only the samples with a function of this name on their stack. */
    under: { type: 'string' },
  },
})
const profile = JSON.parse(readFileSync(positionals[0] as string, 'utf8')) as Profile
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const parent = new Map<number, number>()
for (const node of profile.nodes)
  for (const child of node.children ?? []) parent.set(child, node.id)
const label = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame
  const file = url.replace(/^.*\/(node_modules\/)?/, '')
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`
}
const from = Number(values['from-ms']) * 1000
const to = Number(values['to-ms']) * 1000
const self = new Map<string, number>()
let t = 0
let total = 0
let busy = 0
for (let i = 0; i < profile.samples.length; i++) {
  // A sample's time is the delta to the next one.
  t += profile.timeDeltas[i] ?? 0
  const dt = profile.timeDeltas[i + 1] ?? 0
  if (t < from || t > to) continue
  const node = byId.get(profile.samples[i] as number) as ProfileNode
  const keys = new Set([label(node)])
  const stack: ProfileNode[] = []
  for (let id = parent.get(node.id); id !== undefined; id = parent.get(id)) {
    stack.push(byId.get(id) as ProfileNode)
  }
  if (values.under && ![node, ...stack].some((n) => n.callFrame.functionName === values.under)) {
    continue
  }
  if (values.inclusive) for (const n of stack) keys.add(label(n))
  for (const key of keys) self.set(key, (self.get(key) ?? 0) + dt)
  total += dt
  if (node.callFrame.functionName !== '(idle)') busy += dt
}
const edits = values.edits ? Number(values.edits) : undefined
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))
process.stdout.write(
  `window ${(total / 1e6).toFixed(2)} s of samples, ${(busy / 1000).toFixed(1)} ms busy${edits ? ` (${(busy / edits).toFixed(1)} µs/edit), ${edits} edits` : ''}\n`,
)
for (const [key, us] of rows) {
  const perEdit = edits ? `  ${(us / edits).toFixed(1).padStart(7)} µs/edit` : ''
  process.stdout.write(`${(us / 1000).toFixed(1).padStart(9)} ms${perEdit}  ${key}\n`)
}
