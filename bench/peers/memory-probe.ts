/**
 * Preloaded into every server under test (`--expose-gc --import …/memory-probe.mjs`, built with
 * the servers by `bench/lib/peers.ts`):
 * on SIGUSR2 it runs a full garbage collection and prints the live memory, so the benchmark can
 * tell memory still held from garbage not yet collected. Does nothing until signalled.
 */
process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const m = process.memoryUsage()
  process.stdout.write(`memory-probe heapUsed=${m.heapUsed} external=${m.external} rss=${m.rss}\n`)
})
