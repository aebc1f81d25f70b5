/** What the kernel knows about a process: CPU time, memory, disk writes (Linux /proc). */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name, which may itself hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
}

/** Resident memory of the process in bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]
  return Number(kb) * 1024
}

/** Bytes the process caused to be written to the storage layer (page-granular, after fsync). */
export function diskWriteBytes(pid: number): number {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8')
  return Number(/^write_bytes: (\d+)$/m.exec(io)?.[1])
}

/** Pins every thread of a running process to the given cores. */
export function pinProcess(pid: number, cores: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', cores, String(pid)], { stdio: 'ignore' })
}

/** A CPU-time stopwatch for one process: the share of one core used since the last `start`. */
export function cpuMeter(pid: number) {
  let cpu0 = 0
  let t0 = 0
  return {
    start() {
      cpu0 = cpuSeconds(pid)
      t0 = performance.now()
    },
    /** Percent of one core used since `start`. */
    percent(): number {
      return ((cpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000)) * 100
    },
  }
}
