/**
 * An admin connects Kisi to a new location (naming the failure of a wrong password first, C2)
 * and maps a Kisi group to a plan (M1).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { screenshot } from './harness/browser';
import { closeStage, kisiOwner, openStage, pageAs, type Stage } from './harness/scenario';

describe('admin', () => {
  let stage: Stage | undefined;
  before(async () => {
    stage = await openStage();
  });
  after(() => closeStage(stage));

  it('connects Kisi to a new location and maps a group to a plan', async () => {
    assert.ok(stage);
    const { demo } = stage;
    const page = await pageAs(stage, 'admin');

    await page.goto('/admin/location');
    const newLocation = page.getByRole('region', { name: 'New location' });
    await newLocation.getByLabel('Name').fill('Harbor Annex');
    await newLocation.getByLabel('Time zone').fill('Europe/Berlin');
    await newLocation.getByRole('button', { name: 'Create location' }).click();
    await page.getByText('Harbor Annex · Europe/Berlin').waitFor();

    await page.getByRole('link', { name: 'Kisi connection' }).click();
    const owner = kisiOwner();
    await page.getByLabel('Owner e-mail').fill(owner.email);
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByLabel('Organization domain').fill(owner.domain);
    await page.getByLabel('Kisi API address').fill(demo.kisiUrl);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('alert').filter({ hasText: 'Kisi could not be connected.' }).waitFor();
    // C2: the failure is named next to the field it concerns.
    const emailProblem = page.getByRole('alert').filter({ hasText: /password or domain is wrong|not the Kisi account owner/i });
    await emailProblem.first().waitFor();
    await screenshot(page, 'admin-connect-refused');

    await page.getByLabel('Password', { exact: true }).fill(owner.password);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('region', { name: 'Kisi connection' }).getByText('Connected', { exact: true }).waitFor();
    await screenshot(page, 'admin-connected');

    await page.getByRole('link', { name: 'Door access' }).click();
    const plans = page.getByRole('region', { name: 'Plans' });
    await plans.getByLabel('New plan').fill('Annex flex');
    await plans.getByRole('button', { name: 'Add plan' }).click();
    await plans.getByRole('button', { name: 'Edit door access of Annex flex' }).click();
    const dialog = page.getByRole('dialog', { name: 'Door access of Annex flex' });
    await dialog.getByLabel(/^Flex Desk Members/).check();
    await dialog.getByRole('button', { name: 'Save door access' }).click();
    const row = plans.getByRole('row', { name: /Annex flex/ });
    await row.getByRole('cell', { name: 'Flex Desk Members', exact: true }).waitFor();
    await screenshot(page, 'admin-plan-mapped');
  });
});
