/** Bytes by allocation site in a profile of V8's sampling heap profiler. */

/** A node of `HeapProfiler.stopSampling`'s profile. */
export interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number }
  selfSize: number
  children: SamplingNode[]
}

/**
 * The sampled bytes of a profile, by site (function, file, line): `self` what the site allocated
 * itself, `inclusive` what it and everything it called allocated (once per stack).
 */
export function allocationSites(head: SamplingNode): {
  total: number
  self: Map<string, number>
  inclusive: Map<string, number>
} {
  const self = new Map<string, number>()
  const inclusive = new Map<string, number>()
  const walk = (node: SamplingNode, onStack: Set<string>): number => {
    const { functionName, url, lineNumber } = node.callFrame
    const site = `${functionName || '(anonymous)'} ${url.replace(/^.*(node_modules|dist)\//, '')}:${lineNumber + 1}`
    self.set(site, (self.get(site) ?? 0) + node.selfSize)
    const inner = new Set(onStack).add(site)
    let bytes = node.selfSize
    for (const child of node.children) bytes += walk(child, inner)
    if (!onStack.has(site)) inclusive.set(site, (inclusive.get(site) ?? 0) + bytes)
    return bytes
  }
  return { total: walk(head, new Set()), self, inclusive }
}

/** The `top` largest sites of a map, largest first. */
export function largest(sites: Map<string, number>, top: number): [string, number][] {
  return [...sites].sort((a, b) => b[1] - a[1]).slice(0, top)
}
