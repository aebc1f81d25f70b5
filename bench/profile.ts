/**
 * One W1 edit shape on one peer, optionally under a CPU profile of the server: how issue 23's
 * outside measurement is reproduced (10 clients, one key of a top-level map at 60 Hz, server on
 * core 0, clients on core 1) and where the server's time per edit goes.
 *
 * `npx tsx bench/profile.ts --peer ours --shape map --n 10 --seconds 5 --rounds 3 [--prof DIR]`
 * prints p50 and p99 per round; with `--prof` the server writes a `.cpuprofile` into DIR
 * (sampled every 100 µs), summarised by `bench/profile-summary.ts`. With `--alloc` the server's
 * allocations of the rounds (garbage included, V8's sampling heap profiler over the inspector)
 * are printed by site, self and inclusive, in bytes per second.
 */
import { parseArgs } from 'node:util'
import { WebSocket } from 'ws'
import { allocationSites, largest, type SamplingNode } from './lib/allocSites'
import { LOAD_CORE, type PeerKind, removeDataDir, startPeer } from './lib/peers'
import { pinProcess } from './lib/proc'
import { Results } from './lib/results'
import { type EditShape, runW1, runW1Edits } from './workloads/sync'

const { values } = parseArgs({
  options: {
    peer: { type: 'string', default: 'ours' },
    shape: { type: 'string', default: 'map' },
    n: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '1' },
    prof: { type: 'string' },
    'node-args': { type: 'string', default: '' },
    gc: { type: 'boolean', default: false },
    /** Print the server's `--trace-gc` lines of each round (with `--gc`). */
    'gc-lines': { type: 'boolean', default: false },
    /** Sample the server's allocations during the rounds and print the top sites. */
    alloc: { type: 'boolean', default: false },
    top: { type: 'string', default: '30' },
  },
})
pinProcess(process.pid, LOAD_CORE)
process.setMaxListeners(0)

const kind = values.peer as PeerKind
const n = Number(values.n)
// The window is 3× `seconds` (W1's factor); this takes the issue's seconds as given.
const options = { seconds: Number(values.seconds) / 3, shapes: 200 }
// The profile's clock starts with the process: offsets from here are close to the profile's own.
const spawned = performance.now()
const peer = await startPeer(kind, {
  nodeArgs: [
    ...(values.prof
      ? ['--cpu-prof', '--cpu-prof-dir', values.prof, '--cpu-prof-interval', '100']
      : []),
    ...(values.gc ? ['--trace-gc'] : []),
    ...(values.alloc ? ['--inspect=127.0.0.1:0'] : []),
    ...values['node-args'].split(' ').filter(Boolean),
  ],
})
const sampling = values.alloc ? await startAllocationSampling(peer.lines) : undefined
const roundsBegan = performance.now()
try {
  for (let round = 1; round <= Number(values.rounds); round++) {
    const results = new Results()
    const began = performance.now() - spawned
    const seen = peer.lines.length
    if (values.shape === 'move') await runW1(peer, results, [n], { ...options, w5N: 0 })
    else await runW1Edits(peer, results, [n], values.shape as EditShape, options)
    const rows = results.summary().filter((s) => /(^| )p(50|99) /.test(s.figure))
    process.stdout.write(
      `${kind} ${values.shape} N=${n} round ${round} (began ${began.toFixed(0)} ms after spawn): ${rows.map((r) => `${r.figure.replace(/ \(ms\)$/, '')} ${r.medians[kind]?.toFixed(2)}`).join(', ')}${values.gc ? `; ${collections(peer.lines.slice(seen).map((l) => l.text))}` : ''}\n`,
    )
    if (values['gc-lines']) {
      for (const { text } of peer.lines.slice(seen)) {
        if (/Scavenge|Mark-Compact|Mark-Sweep|pause=/.test(text))
          process.stdout.write(`  ${text}\n`)
      }
    }
  }
  if (sampling) await sampling.report((performance.now() - roundsBegan) / 1000, Number(values.top))
} finally {
  await peer.stop()
  await removeDataDir(peer)
}
process.exit(0)

/**
 * Starts V8's sampling heap profiler in the server through its inspector (`--inspect` prints the
 * address), keeping collected objects in the profile: where the garbage comes from, not only
 * what survives.
 */
async function startAllocationSampling(lines: { text: string }[]) {
  const address = lines
    .map((l) => /Debugger listening on (ws:\/\/\S+)/.exec(l.text)?.[1])
    .find(Boolean)
  if (!address) throw new Error('the server printed no inspector address')
  const socket = new WebSocket(address)
  await new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })
  let id = 0
  const post = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const mine = ++id
      const onMessage = (data: Buffer) => {
        const answer = JSON.parse(data.toString()) as {
          id?: number
          result?: unknown
          error?: unknown
        }
        if (answer.id !== mine) return
        socket.off('message', onMessage)
        if (answer.error) reject(new Error(JSON.stringify(answer.error)))
        else resolve(answer.result)
      }
      socket.on('message', onMessage)
      socket.send(JSON.stringify({ id: mine, method, params }))
    })
  await post('HeapProfiler.startSampling', {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  })
  return {
    async report(seconds: number, top: number) {
      const { profile } = (await post('HeapProfiler.stopSampling')) as {
        profile: { head: SamplingNode }
      }
      socket.close()
      const { total, self, inclusive } = allocationSites(profile.head)
      const kbs = (b: number) => (b / seconds / 1024).toFixed(1).padStart(7)
      process.stdout.write(`allocated: ${kbs(total)} KB/s over ${seconds.toFixed(1)} s (sampled)\n`)
      for (const [title, sites] of [
        ['self', self],
        ['inclusive', inclusive],
      ] as const) {
        process.stdout.write(`  by site, ${title} (KB/s):\n`)
        for (const [site, bytes] of largest(sites, top)) {
          process.stdout.write(`  ${kbs(bytes)}  ${site}\n`)
        }
      }
    },
  }
}

/** Collections in `--trace-gc` lines: how many of each kind and their total pause. */
function collections(lines: string[]): string {
  const kinds = new Map<string, { count: number; ms: number }>()
  for (const line of lines) {
    const m = /: (Scavenge|Mark-Compact|Minor Mark-Sweep)[^,]*, ([\d.]+) \/ [\d.]+ ms/.exec(line)
    if (!m) continue
    const k = kinds.get(m[1] as string) ?? { count: 0, ms: 0 }
    k.count++
    k.ms += Number(m[2])
    kinds.set(m[1] as string, k)
  }
  return (
    [...kinds].map(([k, v]) => `${k} ${v.count}× ${v.ms.toFixed(1)} ms`).join(', ') ||
    'no collections'
  )
}
