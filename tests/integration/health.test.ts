/**
 * The health check a load balancer asks every few seconds (deploy/haproxy.cfg): a plain answer
 * from a real server, kept out of the request log it would otherwise fill.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { removeDir, startTestServer, type TestServer } from '../helpers/server'

const started: TestServer[] = []
afterEach(async () => {
  for (const s of started.splice(0)) {
    await s.close()
    await removeDir(s.dataDir)
  }
})

describe('GET /api/health', () => {
  it('answers 200 "ok", not cached, and is not logged as a request', async () => {
    const server = await startTestServer()
    started.push(server)
    const answer = await fetch(`${server.url}/api/health`)
    expect(answer.status).toBe(200)
    expect(await answer.text()).toBe('ok')
    expect(answer.headers.get('cache-control')).toBe('no-store')
    // Another request is logged, so the log would show this one if it were.
    expect((await fetch(`${server.url}/api/nothing-here`)).status).toBe(404)
    expect(server.logs.some((l) => l.includes('path=/api/nothing-here'))).toBe(true)
    expect(server.logs.filter((l) => l.includes('/api/health'))).toEqual([])
  })
})
