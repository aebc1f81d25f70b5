/**
 * A fixed CPU budget for a server process (Linux CPU bandwidth control: a cgroup's quota per
 * period), so that "two instances" can be two equal machines on a host with fewer cores than
 * that: each instance gets the same share of a core, as one instance alone gets. cgroup v2
 * (`cpu.max`) or v1 (`cpu.cfs_quota_us`); needs root, which a bench run on these machines has.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The period of the budget. With a short one (10 ms at 30 %: 3 ms a period) a single young
 * collection or save outlasts its period's budget and the instance waits out the rest, a delay
 * a slower machine would not have. With a second, a burst (a collection, a batch of joins) is
 * paid from the second's budget, as a slower machine would stretch it; the unused budget of the
 * period before is carried over (burst). Only an instance that wants more than its share on
 * average is held back, then for the rest of the second.
 */
export const QUOTA_PERIOD_US = 1_000_000

interface Hierarchy {
  version: 1 | 2
  /** The folder new groups go in. */
  dir: string
}

/** Where the `cpu` controller is mounted (v1), or the unified tree when it offers `cpu` (v2). */
function cpuHierarchy(): Hierarchy | string {
  let mounts: string
  try {
    mounts = readFileSync('/proc/mounts', 'utf8')
  } catch {
    return 'no /proc/mounts (not Linux)'
  }
  for (const line of mounts.split('\n')) {
    const [, dir, type, options] = line.split(' ')
    if (!dir) continue
    if (type === 'cgroup' && options?.split(',').includes('cpu')) return { version: 1, dir }
  }
  for (const line of mounts.split('\n')) {
    const [, dir, type] = line.split(' ')
    if (type !== 'cgroup2' || !dir) continue
    const controllers = join(dir, 'cgroup.controllers')
    if (existsSync(controllers) && readFileSync(controllers, 'utf8').split(' ').includes('cpu')) {
      return { version: 2, dir }
    }
  }
  return 'no cgroup with the cpu controller is mounted'
}

/** A group of processes that together get `share` of one core. */
export interface CpuQuota {
  /** Moves a running process (every thread of it) into the group. */
  add(pid: number): void
  /** Periods so far, and how many of them ran out of budget. */
  throttling(): { periods: number; throttled: number }
  /** Takes the budget away (no limit) and keeps the group, e.g. for checks after a run. */
  lift(): void
  /** Sets the budget again after `lift`. */
  apply(): void
  /** Removes the group; its processes must have exited. */
  remove(): void
}

let groups = 0
let staleRemoved = false

/** Groups of runs that were stopped before they removed them (their process is gone), if empty. */
function removeStaleGroups(dir: string): void {
  staleRemoved = true
  for (const name of readdirSync(dir)) {
    const pid = /^netwerkatlas-bench-(\d+)-\d+$/.exec(name)?.[1]
    if (!pid || Number(pid) === process.pid || existsSync(`/proc/${pid}`)) continue
    try {
      rmdirSync(join(dir, name))
    } catch {
      // A server of that run still in it: left for whoever stops it.
    }
  }
}

/**
 * Makes a group with `share` (0–1) of one core per `QUOTA_PERIOD_US`, or says why it cannot
 * (no cgroup with the cpu controller, not root): the caller then leaves that measurement out.
 */
export function cpuQuota(share: number): CpuQuota | string {
  const hierarchy = cpuHierarchy()
  if (typeof hierarchy === 'string') return hierarchy
  if (!staleRemoved) removeStaleGroups(hierarchy.dir)
  const dir = join(hierarchy.dir, `netwerkatlas-bench-${process.pid}-${++groups}`)
  const quota = Math.round(share * QUOTA_PERIOD_US)
  const setBudget = () => {
    if (hierarchy.version === 2) {
      writeFileSync(join(dir, 'cpu.max'), `${quota} ${QUOTA_PERIOD_US}`)
      const burst = join(dir, 'cpu.max.burst')
      if (existsSync(burst)) writeFileSync(burst, String(quota))
    } else {
      writeFileSync(join(dir, 'cpu.cfs_period_us'), String(QUOTA_PERIOD_US))
      writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(quota))
      const burst = join(dir, 'cpu.cfs_burst_us')
      if (existsSync(burst)) writeFileSync(burst, String(quota))
    }
  }
  try {
    if (hierarchy.version === 2) {
      // A v2 group gets the controller only when its parent hands it down.
      writeFileSync(join(hierarchy.dir, 'cgroup.subtree_control'), '+cpu')
    }
    mkdirSync(dir)
    setBudget()
  } catch (error) {
    if (existsSync(dir)) rmdirSync(dir)
    return `cannot set a CPU quota in ${hierarchy.dir}: ${(error as Error).message}`
  }
  return {
    add(pid) {
      writeFileSync(join(dir, 'cgroup.procs'), String(pid))
    },
    throttling() {
      const stat = readFileSync(join(dir, 'cpu.stat'), 'utf8')
      const field = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(stat)?.[1])
      return { periods: field('nr_periods'), throttled: field('nr_throttled') }
    },
    lift() {
      if (hierarchy.version === 2) writeFileSync(join(dir, 'cpu.max'), `max ${QUOTA_PERIOD_US}`)
      else writeFileSync(join(dir, 'cpu.cfs_quota_us'), '-1')
    },
    apply: setBudget,
    remove() {
      // A process that has just exited can stay in the group for a moment.
      for (let tries = 0; ; tries++) {
        try {
          rmdirSync(dir)
          return
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EBUSY' || tries >= 40) throw error
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50)
        }
      }
    },
  }
}
