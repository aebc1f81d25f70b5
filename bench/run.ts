/**
 * `npm run bench`: our server beside the y-websocket reference server and Hocuspocus, in one
 * run. Each server runs as its own process on core 0; this process (the load generator) runs on
 * core 1. Peers alternate their order between trials; the table gives medians over the trials
 * and the ratios ours/peer. Exits non-zero when a correctness check fails.
 *
 * Options: `--trials N` (default 5), `--only W1,W4,A1,E1,O1,S1` (workloads to run), `--quick` (short windows).
 */
import { parseArgs } from 'node:util'
import { ensureChromium } from './lib/chromium'
import { LOAD_CORE, PEERS, type PeerKind, removeDataDir, startPeer } from './lib/peers'
import { pinProcess } from './lib/proc'
import { Results } from './lib/results'
import { A1_SERVER_ENV, runA1 } from './workloads/attack'
import { runW6, setupW6 } from './workloads/browser'
import { restart, runW4, type StoredAtlas, storeAtlas } from './workloads/cold-load'
import { runExport } from './workloads/export'
import { runO1, setupO1 } from './workloads/offline'
import { runW7, runW8 } from './workloads/plan'
import { runW3 } from './workloads/rooms'
import { ensureServices, runS1Rooms, runS1Sync, startScaledServices } from './workloads/scaled'
import { runW1, runW1Edits, runW2 } from './workloads/sync'

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '5' },
    only: { type: 'string', default: 'W1,W2,W3,W4,W5,W6,W7,W8,A1,S1,E1,O1' },
    quick: { type: 'boolean', default: false },
  },
})
const trials = Number(values.trials)
const only = new Set(values.only.toUpperCase().split(','))
const quick = values.quick

pinProcess(process.pid, LOAD_CORE)
// Every y-websocket provider adds a process 'exit' listener.
process.setMaxListeners(0)

const results = new Results()
const started = performance.now()
const log = (line: string) =>
  process.stderr.write(
    `[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`,
  )

if (only.has('W6') || only.has('E1') || only.has('O1')) ensureChromium(log)
if (only.has('S1')) ensureServices(log)

/** Peers in trial order: forwards on odd trials, backwards on even ones. */
const order = (trial: number): PeerKind[] => (trial % 2 ? [...PEERS] : [...PEERS].reverse())

/** Measured seconds per room (W1 and W2 take 3×, 5× at W1 N=2; see `SyncOptions`). */
const SYNC = { seconds: quick ? 0.5 : 1, shapes: 200 }

const sync = only.has('W1') || only.has('W2') || only.has('W5')
if (sync || only.has('S1')) {
  // This process compiles Yjs and the provider during its first rooms; untimed, so that the first
  // peer measured does not pay for it.
  log('warm-up of the load generator')
  const peer = await startPeer('reference')
  try {
    await runW1(peer, new Results(), [2, 10], { seconds: 0.5, shapes: SYNC.shapes, w5N: 0 })
  } finally {
    await peer.stop()
    await removeDataDir(peer)
  }
}

/**
 * W1 also runs on the floor (`bench/peers/floor.ts`: edits passed on as they came, nothing else),
 * in the same alternating order: how much of each figure is the clients' and the machine's.
 */
const syncOrder = (trial: number): PeerKind[] => {
  if (!only.has('W1')) return order(trial)
  return trial % 2 ? [...PEERS, 'floor'] : ['floor', ...[...PEERS].reverse()]
}

for (let trial = 1; trial <= trials; trial++) {
  for (const kind of syncOrder(trial)) {
    if (!sync) break
    const peer = await startPeer(kind)
    try {
      if (kind === 'floor') {
        log(`trial ${trial}/${trials} floor: W1`)
        await runW1(peer, results, [2, 10, 25, 50], { ...SYNC, w5N: 0 })
        for (const shape of ['map', 'text'] as const) {
          log(`trial ${trial}/${trials} floor: W1 ${shape}`)
          await runW1Edits(peer, results, [2, 10, 25, 50], shape, SYNC)
        }
        continue
      }
      if (only.has('W1') || only.has('W5')) {
        log(`trial ${trial}/${trials} ${kind}: W1`)
        await runW1(peer, results, [2, 10, 25, 50], { ...SYNC, w5N: 10 })
      }
      if (only.has('W1')) {
        for (const shape of ['map', 'text'] as const) {
          log(`trial ${trial}/${trials} ${kind}: W1 ${shape}`)
          await runW1Edits(peer, results, [2, 10, 25, 50], shape, SYNC)
        }
      }
      if (only.has('W2') || only.has('W5')) {
        log(`trial ${trial}/${trials} ${kind}: W2`)
        await runW2(peer, results, [10, 25, 50], { ...SYNC, w5N: 25 })
      }
    } finally {
      await peer.stop()
      await removeDataDir(peer)
    }
  }
}

if (only.has('W3')) {
  for (let trial = 1; trial <= trials; trial++) {
    for (const kind of order(trial)) {
      // A fresh server: W3's memory figures start from its own baseline.
      const peer = await startPeer(kind)
      try {
        log(`trial ${trial}/${trials} ${kind}: W3`)
        await runW3(peer, results, {
          steps: [100, 500],
          shapes: 10,
          idleSeconds: quick ? 1 : 3,
          leaveWaitSeconds: 30,
          peerLeaveWaitSeconds: 5,
        })
      } finally {
        await peer.stop()
        await removeDataDir(peer)
      }
    }
  }
}

if (only.has('W4')) {
  const stored = new Map<PeerKind, StoredAtlas>()
  for (const kind of PEERS) stored.set(kind, await storeAtlas(kind, 5000))
  for (let trial = 1; trial <= trials; trial++) {
    for (const kind of order(trial)) {
      const atlas = stored.get(kind) as StoredAtlas
      const peer = await restart(atlas)
      try {
        log(`trial ${trial}/${trials} ${kind}: W4`)
        await runW4(peer, atlas, results)
      } finally {
        await peer.stop()
      }
    }
  }
  for (const atlas of stored.values()) await atlas.cleanup()
}

if (only.has('W7') || only.has('W8')) {
  for (let trial = 1; trial <= trials; trial++) {
    for (const kind of order(trial)) {
      const peer = await startPeer(kind)
      try {
        if (only.has('W7')) {
          log(`trial ${trial}/${trials} ${kind}: W7`)
          await runW7(peer, results, { sockets: 20, rounds: quick ? 2 : 5 })
        }
        if (only.has('W8')) {
          log(`trial ${trial}/${trials} ${kind}: W8`)
          await runW8(peer, results, { agreements: 200, joins: quick ? 10 : 30 })
        }
      } finally {
        await peer.stop()
        await removeDataDir(peer)
      }
    }
  }
}

if (only.has('A1')) {
  // Our server only, with its default limits (see bench/workloads/attack.ts): a fresh one per trial.
  for (let trial = 1; trial <= trials; trial++) {
    const peer = await startPeer('ours', { env: A1_SERVER_ENV })
    try {
      log(`trial ${trial}/${trials} ours: A1`)
      await runA1(peer, results, { seconds: quick ? 2 : 4 })
    } finally {
      await peer.stop()
      await removeDataDir(peer)
    }
  }
}

if (only.has('S1')) {
  // Our server in the scaled mode: one throw-away PostgreSQL and Redis for every trial.
  log('S1: PostgreSQL and Redis')
  const services = await startScaledServices()
  try {
    for (let trial = 1; trial <= trials; trial++) {
      log(`trial ${trial}/${trials} ours: S1 across instances`)
      await runS1Sync(services, results, [2, 10, 25, 50], { ...SYNC, trial })
      log(`trial ${trial}/${trials} ours: S1 rooms`)
      await runS1Rooms(services, results, { ...SYNC, trial, log })
    }
  } finally {
    await services.stop()
  }
}

if (only.has('W6')) {
  log('W6: client build (if stale), atlas, Chromium')
  const setup = await setupW6(5000)
  if (setup.built) log('W6: client built')
  try {
    for (let trial = 1; trial <= trials; trial++) {
      log(`trial ${trial}/${trials} ours: W6`)
      await runW6(setup, results, { dragSeconds: quick ? 1 : 3, log })
    }
  } finally {
    await setup.close()
  }
}

if (only.has('O1')) {
  // The app on the device: first load, reload online, reload offline (ours only).
  log('O1: client build (if stale), atlas, Chromium')
  const setup = await setupO1()
  if (setup.built) log('O1: client built')
  try {
    for (let trial = 1; trial <= trials; trial++) {
      log(`trial ${trial}/${trials} ours: O1`)
      await runO1(setup, results)
    }
  } finally {
    await setup.close()
  }
}

if (only.has('E1')) {
  // Export of the sample atlas in Chromium (target: the PDF in less than 5 s).
  await runExport(results, trials, log)
}

const machine = `${process.version}, ${(await import('node:os')).cpus().length} cores`
process.stdout.write(
  `\nNetwerkatlas benchmarks — ${trials} trials, medians; ${machine}; ${((performance.now() - started) / 1000).toFixed(0)} s\n\n`,
)
process.stdout.write(`${results.markdown()}\n`)
const wrong = results.wrong
if (wrong.length) {
  process.stdout.write(`\nCorrectness checks failed:\n${wrong.map((w) => `  ${w}`).join('\n')}\n`)
  process.exitCode = 1
} else {
  process.stdout.write('\nCorrectness: every run ended with all replicas and the server equal.\n')
}
// tldraw (used to build valid records) keeps timers alive; the figures are printed.
process.exit(process.exitCode ?? 0)
