/**
 * An admin downloads the support bundle (issue 17, point 13), connects Kisi to a new location
 * (naming the failure of a wrong password first, C2) and maps a Kisi group to a plan (M1).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { screenshot } from './harness/browser';
import { closeStage, kisiOwner, openStage, pageAs, type Stage } from './harness/scenario';

describe('admin', () => {
  let stage: Stage | undefined;
  before(async () => {
    stage = await openStage();
  });
  after(() => closeStage(stage));

  it('downloads a support bundle that holds no password or key', async () => {
    assert.ok(stage);
    const page = await pageAs(stage, 'admin');
    await page.goto('/admin/sync');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download support bundle' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^doorlink-support-\d{4}-\d{2}-\d{2}\.json$/);
    const file = await download.path();
    const text = readFileSync(file, 'utf8');
    const bundle = JSON.parse(text) as { doorlink_version: string; locations: unknown[] };
    assert.ok(bundle.doorlink_version && bundle.locations.length > 0, 'what support needs');
    const secrets = [stage.demo.signIns.admin?.password, stage.demo.kisiApiKey].filter((s): s is string => Boolean(s));
    assert.ok(secrets.length > 0);
    for (const secret of secrets) assert.ok(!text.includes(secret), 'no password or Kisi key in the bundle');
  });

  it('asks before the Access page’s place changes, and shows no blank organization for an API key', async () => {
    assert.ok(stage);
    const page = await pageAs(stage, 'admin');
    await page.goto('/admin/kisi');
    const connection = page.getByRole('region', { name: 'Kisi connection' });
    await connection.getByText('API key').waitFor();
    assert.doesNotMatch(await connection.innerText(), /—/, 'nothing shown as a dash');

    const place = page.getByRole('region', { name: 'Place' });
    const select = place.getByLabel('Place whose locks the Access page shows');
    // The places come from Kisi's directory, read after the page opens.
    await select.locator('option').nth(1).waitFor({ state: 'attached' });
    const before = await select.inputValue();
    const other = await select
      .locator('option')
      .evaluateAll(
        (options, current) => (options as HTMLOptionElement[]).map((o) => o.value).find((v) => v !== current),
        before,
      );
    assert.ok(other !== undefined, 'the demo has another choice than the saved one');
    await select.selectOption(other);
    const dialog = page.getByRole('dialog', { name: 'Change the place of the Access page?' });
    assert.equal(await dialog.isVisible(), false, 'choosing alone changes nothing');
    await place.getByRole('button', { name: 'Save place…' }).click();
    await dialog.getByText(/^Members will see/).waitFor();
    await screenshot(page, 'admin-place-confirm');
    await dialog.getByRole('button', { name: /^Keep / }).click();
    await page.reload();
    const reloaded = page.getByRole('region', { name: 'Place' }).getByLabel('Place whose locks the Access page shows');
    await reloaded.locator('option').nth(1).waitFor({ state: 'attached' });
    assert.equal(await reloaded.inputValue(), before, 'kept when the admin said keep');
  });

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
    // The production form speaks to operators, not to whoever runs the demo (issue 17, point 12).
    assert.doesNotMatch(await page.getByRole('region', { name: 'Connect Kisi' }).innerText(), /demo|emulator/i);
    const owner = kisiOwner();
    await page.getByLabel('Owner e-mail').fill(owner.email);
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByLabel('Organization domain').fill(owner.domain);
    await page.getByLabel('Kisi API address').fill(demo.kisiUrl);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('alert').filter({ hasText: 'Kisi could not be connected.' }).waitFor();
    // C2: the failure is named next to the field it concerns.
    const emailProblem = page
      .getByRole('alert')
      .filter({ hasText: /password or domain is wrong|not the Kisi account owner/i });
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
