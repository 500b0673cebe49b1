/**
 * axe-core in the real browser: injects the npm package's own build into the page and lists the
 * violations of serious or critical impact, each with the elements it found them on.
 *
 * The hub's CSP allows only its own scripts (a script tag with axe would be refused, rightly), so
 * axe is evaluated through the DevTools protocol, which a page's CSP does not govern: the pages
 * are checked with the CSP they really run under.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, ImpactValue } from 'axe-core';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const BLOCKING: ImpactValue[] = ['serious', 'critical'];

export interface AxeReport {
  /** Serious and critical violations, one line each: "color-contrast (serious): … — .door-why-not". */
  blocking: string[];
  /** Moderate and minor ones, for the log. */
  advisory: string[];
}

export async function checkAccessibility(page: Page): Promise<AxeReport> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResults> } }).axe.run(
      document,
      {
        resultTypes: ['violations'],
      },
    ),
  );
  const report: AxeReport = { blocking: [], advisory: [] };
  for (const violation of results.violations) {
    const targets = violation.nodes
      .map((node) => node.target.join(' '))
      .slice(0, 5)
      .join(' | ');
    const line = `${violation.id} (${violation.impact}): ${violation.help} — ${targets}`;
    (violation.impact && BLOCKING.includes(violation.impact) ? report.blocking : report.advisory).push(line);
  }
  return report;
}
