/**
 * W6 and E1 run in Debian's Chromium. A machine without it gets it installed as CI installs it
 * (`.ci/install-chromium`, apt-get), before any workload runs, so a missing browser is known at
 * the start of a run and not after the ten minutes of W1–W4.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { CHROMIUM_PATH } from '../../tests/helpers/browser'
import { repoRoot } from './peers'

export function ensureChromium(log: (line: string) => void): void {
  if (existsSync(CHROMIUM_PATH)) return
  log(`no Chromium at ${CHROMIUM_PATH}: installing Debian's chromium`)
  const install = spawnSync('bash', [join(repoRoot, '.ci/install-chromium')], { stdio: 'inherit' })
  if (install.status !== 0 || !existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `W6 and E1 need Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH, or install Debian's ` +
        'chromium as root), or leave them out: --only W1,W2,W3,W4,W5',
    )
  }
}
