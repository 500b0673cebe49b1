/**
 * Accessibility in the real browser: axe-core finds no serious or critical violation on every
 * page of the app (issue 17: done means), each person's tab and admin section, with a form open
 * and refused, in the light theme and in the dark one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { checkAccessibility } from './harness/axe';
import { screenshot } from './harness/browser';
import { closeStage, openPerson, openStage, pageAs, type Stage } from './harness/scenario';

const THEMES = ['light', 'dark'] as const;

/** Checks `page` as it is now in both themes; screenshots `name-light.png`, `name-dark.png`. */
async function assertAccessibleInBothThemes(page: Page, name: string): Promise<void> {
  for (const theme of THEMES) {
    await page.emulateMedia({ colorScheme: theme });
    const report = await checkAccessibility(page);
    if (report.advisory.length > 0)
      console.log(`axe, ${name} (${theme}), moderate or minor:\n  ${report.advisory.join('\n  ')}`);
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
    await openPerson(page, 'Mia Keller');
    await page
      .getByText('Loading', { exact: false })
      .first()
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
    await assertAccessibleInBothThemes(page, 'person');
  });

  it('the admin’s door-access mapping page has no serious or critical violation', async () => {
    assert.ok(stage);
    const page = await pageAs(stage, 'admin');
    await page.goto('/admin/mappings');
    await page.getByRole('region', { name: 'Plans' }).waitFor();
    await page
      .getByText('Loading', { exact: false })
      .first()
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
    await assertAccessibleInBothThemes(page, 'mappings');
  });

  /** Every page and tab a person can reach, as who reaches it; `ready` is what shows once loaded. */
  const PAGES: { who: 'member' | 'staff' | 'admin'; path: string; ready: string }[] = [
    { who: 'member', path: '/account', ready: 'Your account' },
    { who: 'staff', path: '/desk/today', ready: 'Today' },
    { who: 'staff', path: '/desk/whos-in', ready: 'Door log' },
    { who: 'staff', path: '/desk/visitors', ready: 'Visitors' },
    { who: 'staff', path: '/desk/people', ready: 'Find a person' },
    { who: 'staff', path: '/desk/companies', ready: 'Companies' },
    { who: 'staff', path: '/desk/bookings', ready: 'Bookings' },
    { who: 'admin', path: '/admin/location', ready: 'Admin' },
    { who: 'admin', path: '/admin/kisi', ready: 'Kisi connection' },
    { who: 'admin', path: '/admin/sync', ready: 'Sync with Kisi' },
    { who: 'admin', path: '/admin/audit', ready: 'Audit log' },
    { who: 'admin', path: '/admin/outcomes', ready: 'Outcome webhooks' },
    { who: 'admin', path: '/admin/accounts', ready: 'Accounts' },
  ];

  it('every other page and admin section has no serious or critical violation', async () => {
    assert.ok(stage);
    for (const { who, path, ready } of PAGES) {
      const page = await pageAs(stage, who);
      await page.goto(path);
      await page.getByText(ready).first().waitFor();
      await page
        .getByText('Loading', { exact: false })
        .first()
        .waitFor({ state: 'detached' })
        .catch(() => undefined);
      await assertAccessibleInBothThemes(page, path.slice(1).replaceAll('/', '-'));
      await page.close();
    }
  });

  it('every tab of a person’s page has no serious or critical violation', async () => {
    assert.ok(stage);
    const page = await pageAs(stage, 'staff');
    await openPerson(page, 'Mia Keller');
    const person = page.url().replace(/\/(access|subscriptions|bookings|passes|companies|kisi|attendance|ledger)$/, '');
    for (const tab of ['subscriptions', 'bookings', 'passes', 'companies', 'kisi', 'attendance', 'ledger']) {
      await page.goto(`${person}/${tab}`);
      await page.getByRole('heading', { name: 'Mia Keller' }).waitFor();
      await page
        .getByText('Loading', { exact: false })
        .first()
        .waitFor({ state: 'detached' })
        .catch(() => undefined);
      await assertAccessibleInBothThemes(page, `person-${tab}`);
    }
  });

  it('a refused form and the sign-in page have no serious or critical violation', async () => {
    assert.ok(stage);
    const staff = await pageAs(stage, 'staff');
    await staff.goto('/desk/bookings');
    await staff.getByRole('button', { name: 'New booking' }).click();
    const form = staff.getByRole('form', { name: 'New booking' });
    await form
      .getByRole('group', { name: /^Start/ })
      .getByLabel('Time')
      .fill('25:99');
    await form.getByRole('button', { name: 'Book' }).click();
    await form.getByRole('alert').first().waitFor();
    await assertAccessibleInBothThemes(staff, 'booking-refused');

    const signedOut = await stage.browser.newPage({ baseURL: stage.demo.hubUrl });
    await signedOut.goto('/sign-in');
    await signedOut.getByLabel('E-mail').waitFor();
    await assertAccessibleInBothThemes(signedOut, 'sign-in');
    await signedOut.close();
  });
});
