/**
 * Accounts you can trust, in chromium against `doorlink demo`: staff and admins have an Access
 * page of their own (issue 17; it answered 403); the admin cannot demote the last
 * admin (the hub's words at the role field); staff see their session on "Your account"; the admin
 * disables the staff account and the staff browser's open session ends with it. Both pages fit a
 * 400 px window and pass axe.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { checkAccessibility } from './harness/axe';
import { screenshot, signedInPage } from './harness/browser';
import { closeStage, openStage, pageAs, type Stage } from './harness/scenario';

async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

describe('accounts', () => {
  let stage: Stage | undefined;
  before(async () => {
    stage = await openStage();
  });
  after(() => closeStage(stage));

  it('lets staff and admins open their own Access page (every account is a person)', async () => {
    assert.ok(stage);
    for (const role of ['staff', 'admin'] as const) {
      const page = await pageAs(stage, role);
      await page.goto('/');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Access' }).click();
      await page.getByRole('heading', { name: 'Access', level: 1 }).waitFor();
      await page.locator('[data-location-id]').first().waitFor();
      assert.equal(await page.getByText('Your doors could not be loaded.').count(), 0, `${role}: no 403`);
      await page.close();
    }
  });

  it('names the location’s zone on an invitation’s expiry, wherever the browser is', async () => {
    assert.ok(stage);
    const who = stage.demo.signIns.staff;
    assert.ok(who);
    // The front desk's computer in Tokyo, the location in Berlin: one moment, Berlin's wall time.
    const page = await signedInPage(stage.browser, stage.demo.hubUrl, who, 'Asia/Tokyo');
    await page.goto('/desk/people');
    await page.getByLabel('Find a person').fill('example.com');
    await page.getByRole('list', { name: 'People found' }).getByRole('link').first().click();
    await page.locator('#person-name').waitFor();
    await page.getByRole('button', { name: 'Invite to sign in…' }).click();
    await page.getByRole('button', { name: 'Create invitation' }).click();
    const expiry = await page.getByText(/it works once, until/).innerText();
    assert.match(expiry, /until .+ \(Berlin time\)\./, expiry);
    await page.context().close();
  });

  it('keeps the last admin, and a disabled account’s open session ends', async () => {
    assert.ok(stage);
    const admin = stage.demo.signIns.admin;
    const staff = stage.demo.signIns.staff;
    assert.ok(admin && staff, 'the demo prints an admin and a staff sign-in');

    const desk = await pageAs(stage, 'staff');
    await desk.goto('/');
    await desk.setViewportSize({ width: 400, height: 800 });
    await desk.getByRole('link', { name: `Your account: ${staff.email}` }).click();
    await desk.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
    await desk.getByText('this session').waitFor();
    assert.equal(await sidewaysOverflow(desk), 0, 'Your account fits 400 px');
    assert.deepEqual((await checkAccessibility(desk)).blocking, [], 'axe on Your account');
    await screenshot(desk, 'your-account-narrow');

    const page = await pageAs(stage, 'admin');
    await page.setViewportSize({ width: 400, height: 800 });
    await page.goto('/admin/accounts');
    const mine = page.getByRole('listitem', { name: admin.email });
    await mine.getByLabel(`Role of ${admin.email}`).selectOption('staff');
    await mine.getByRole('alert').filter({ hasText: 'last admin' }).waitFor();
    assert.equal(await mine.getByLabel(`Role of ${admin.email}`).inputValue(), 'admin');
    assert.equal(await sidewaysOverflow(page), 0, 'Accounts fits 400 px');
    assert.deepEqual((await checkAccessibility(page)).blocking, [], 'axe on Accounts');
    await screenshot(page, 'accounts-last-admin-narrow');

    const theirs = page.getByRole('listitem', { name: staff.email });
    await theirs.getByRole('button', { name: 'Disable' }).click();
    await theirs.getByText('disabled', { exact: true }).waitFor();

    await desk.reload();
    await desk.getByRole('heading', { name: 'Sign in to Doorlink' }).waitFor();
    await desk.getByLabel('E-mail').fill(staff.email);
    await desk.getByLabel('Password').fill(staff.password);
    await desk.getByRole('button', { name: 'Sign in' }).click();
    await desk.getByRole('alert').filter({ hasText: 'disabled' }).waitFor();
    await screenshot(desk, 'disabled-account-sign-in');
  });
});
