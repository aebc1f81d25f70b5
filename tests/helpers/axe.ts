import axe from 'axe-core'
import type { Page } from 'playwright-core'

/** The axe rule sets the audit runs: WCAG 2.0, 2.1 and 2.2, levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']

/** A rule a canvas cannot meet, excepted only for elements inside `within`. */
export interface CanvasException {
  rule: string
  within: string
  reason: string
}

/**
 * The only exceptions of the audit, each for the drawing canvas alone (see README,
 * "Toegankelijkheid / Accessibility"). Every other element of every screen meets every rule.
 */
export const CANVAS_EXCEPTIONS: readonly CanvasException[] = []

/** One serious or critical finding: which rule, where, and what axe says about it. */
export interface AxeFinding {
  rule: string
  impact: string
  /** CSS selector of the element (inside frames: one per frame). */
  target: string
  summary: string
  html: string
}

/**
 * Runs axe (WCAG A and AA tags) on `page` as it is now and returns its serious and critical
 * findings, one per element, except the canvas exceptions above.
 *
 * axe-core runs in the page itself, put there once per document: the app has no frames. (The
 * playwright wrapper injected it anew for every audit and finished each run in a blank page of
 * its own: ~2 s an audit, against ~0.4 s this way.)
 */
export async function auditPage(page: Page): Promise<AxeFinding[]> {
  if (page.frames().length > 1) throw new Error('auditPage does not reach into frames')
  if (!(await page.evaluate('typeof window.axe?.run === "function"'))) {
    await page.evaluate(axe.source)
  }
  const results: axe.AxeResults = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: typeof axe }).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    WCAG_TAGS,
  )
  const findings: AxeFinding[] = []
  for (const violation of results.violations) {
    if (violation.impact !== 'serious' && violation.impact !== 'critical') continue
    const exceptions = CANVAS_EXCEPTIONS.filter((e) => e.rule === violation.id)
    for (const node of violation.nodes) {
      const target = node.target.map((t) => (Array.isArray(t) ? t.join(' ') : String(t)))
      const selector = target[target.length - 1] ?? ''
      if (exceptions.length > 0 && (await insideAny(page, selector, exceptions))) continue
      findings.push({
        rule: violation.id,
        impact: violation.impact,
        target: target.join(' >>> '),
        summary: (node.failureSummary ?? violation.help).replace(/\s+/g, ' ').trim(),
        html: node.html.slice(0, 160),
      })
    }
  }
  return findings
}

async function insideAny(
  page: Page,
  selector: string,
  exceptions: readonly CanvasException[],
): Promise<boolean> {
  return page.evaluate(
    ({ selector, within }) => {
      const element = document.querySelector(selector)
      return element !== null && within.some((w) => element.closest(w) !== null)
    },
    { selector, within: exceptions.map((e) => e.within) },
  )
}

/** The findings as lines for a failure message: rule, where, and what is wrong. */
export function describeFindings(findings: readonly AxeFinding[]): string {
  return findings
    .map((f) => `${f.impact} ${f.rule} at ${f.target}: ${f.summary}\n    ${f.html}`)
    .join('\n')
}
