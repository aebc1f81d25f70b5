import type { DeviceInfo } from '../shared/api/accessLog'

/** The browser families named in the access log, most specific first (Edge says "Chrome" too). */
const BROWSERS: ReadonlyArray<[RegExp, string]> = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(OPR|Opera)\//, 'Opera'],
  [/\b(Firefox|FxiOS)\//, 'Firefox'],
  [/\b(Chrome|Chromium|CriOS)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
]

const SYSTEMS: ReadonlyArray<[RegExp, string]> = [
  [/\bAndroid\b/, 'Android'],
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'Mac'],
  [/\bLinux\b/, 'Linux'],
]

/**
 * A coarse device name from a User-Agent header: kind, browser family and system family, no
 * versions (see `DeviceInfo`). Anything it does not recognise is null.
 */
export function deviceOf(userAgent: string | undefined | null): DeviceInfo {
  const ua = (userAgent ?? '').slice(0, 512)
  const browser = BROWSERS.find(([pattern]) => pattern.test(ua))?.[1] ?? null
  const system = SYSTEMS.find(([pattern]) => pattern.test(ua))?.[1] ?? null
  let kind: DeviceInfo['kind'] = null
  if (system === 'iPad' || (system === 'Android' && !/\bMobile\b/.test(ua))) kind = 'tablet'
  else if (system === 'iPhone' || system === 'Android' || /\bMobile\b/.test(ua)) kind = 'phone'
  else if (system) kind = 'computer'
  return { kind, browser, system }
}
