/**
 * Accessibility in the real browser: axe-core finds no serious or critical violation on the
 * Access page, a person's page and the admin's door-access mapping page, in the light theme and
 * in the dark one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { checkAccessibility } from './harness/axe';
import { screenshot } from './harness/browser';
import { closeStage, openStage, pageAs, type Stage } from './harness/scenario';

const THEMES = ['light', 'dark'] as const;

/** Checks `page` as it is now in both themes; screenshots `name-light.png`, `name-dark.png`. */
async function assertAccessibleInBothThemes(page: Page, name: string): Promise<void> {
  for (const theme of THEMES) {
    await page.emulateMedia({ colorScheme: theme });
    const report = await checkAccessibility(page);
    if (report.advisory.length > 0) console.log(`axe, ${name} (${theme}), moderate or minor:\n  ${report.advisory.join('\n  ')}`);
    await screenshot(page, `a11y-${name}-${theme}`);
    assert.deepEqual(report.blocking, [], `serious or critical axe violations on ${name} (${theme})`);
  }
}

describe('accessibility (axe-core)', () => {
  let stage: Stage | undefined;
  before(async () => {
    stage = await openStage();
  });
  after(() => closeStage(stage));

  it('the Access page has no serious or critical violation', async () => {
    assert.ok(stage);
    const page = await pageAs(stage, 'member');
    await page.goto('/access');
    await page.getByRole('button', { name: /^Unlock Front Door, / }).waitFor();
    await assertAccessibleInBothThemes(page, 'access');
  });

  it('a person’s page has no serious or critical violation', async () => {
    assert.ok(stage);
    const page = await pageAs(stage, 'staff');
    await page.goto('/desk/people');
    await page.getByLabel('Find a person').fill('Mia Keller');
    await page.getByRole('list', { name: 'People found' }).getByRole('link', { name: /Mia Keller/ }).click();
    await page.getByRole('heading', { name: 'Mia Keller' }).waitFor();
    await page.getByText('Loading', { exact: false }).first().waitFor({ state: 'detached' }).catch(() => undefined);
    await assertAccessibleInBothThemes(page, 'person');
  });

  it('the admin’s door-access mapping page has no serious or critical violation', async () => {
    assert.ok(stage);
    const page = await pageAs(stage, 'admin');
    await page.goto('/admin/mappings');
    await page.getByRole('region', { name: 'Plans' }).waitFor();
    await page.getByText('Loading', { exact: false }).first().waitFor({ state: 'detached' }).catch(() => undefined);
    await assertAccessibleInBothThemes(page, 'mappings');
  });
});
