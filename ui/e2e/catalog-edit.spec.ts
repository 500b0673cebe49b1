/**
 * An admin edits a plan where the mappings are listed: a name is required, checked at
 * the field; the new name and an added Kisi group are saved in one edit; the hub re-evaluates the
 * plan's subscribers, so the demo member's Access page gains the group's door, named after the
 * plan's new name.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { checkAccessibility } from './harness/axe';
import { screenshot } from './harness/browser';
import { closeStage, openStage, pageAs, reloadUntil, type Stage } from './harness/scenario';

const PLAN = 'Hot desk';
const RENAMED = 'Hot desk plus';
/** A group the Hot desk plan does not open (crates/kisi-emulator/seeds/demo.json): Front Door, Office 101. */
const GROUP = 'Office 101 Team';
const NEW_DOOR = 'Office 101';

/** How many `door`s the member's Access page shows, once it has loaded (the Front Door is always there). */
async function shown(member: Page, door: ReturnType<Page['locator']>): Promise<number> {
  await member.getByRole('button', { name: /^Unlock Front Door, / }).waitFor();
  return door.count();
}

describe('editing the catalog', () => {
  let stage: Stage | undefined;
  before(async () => {
    stage = await openStage();
  });
  after(() => closeStage(stage));

  it('renames a plan and adds a group to it; its members get the door under the new name', async () => {
    assert.ok(stage);
    const member = await pageAs(stage, 'member');
    const door = member.locator('li.door', { hasText: NEW_DOOR });
    await member.goto('/access');
    assert.equal(await shown(member, door), 0, `the demo member has no ${NEW_DOOR} door yet`);

    const admin = await pageAs(stage, 'admin');
    await admin.goto('/admin/mappings');
    const plans = admin.getByRole('region', { name: 'Plans' });
    await plans.getByRole('button', { name: `Edit plan ${PLAN}` }).click();
    const dialog = admin.getByRole('dialog', { name: `Edit plan ${PLAN}` });
    const name = dialog.getByLabel('Name');
    assert.equal(await name.evaluate((el) => el === document.activeElement), true, 'the name field has the focus');
    await name.fill('');
    await dialog.getByRole('alert').filter({ hasText: 'Enter a name.' }).waitFor();
    await name.fill(RENAMED);
    await dialog.getByLabel(new RegExp(`^${GROUP}`)).check();
    for (const theme of ['light', 'dark'] as const) {
      await admin.emulateMedia({ colorScheme: theme });
      assert.deepEqual(
        (await checkAccessibility(admin)).blocking,
        [],
        `serious or critical axe violations on the edit dialog (${theme})`,
      );
    }
    await admin.emulateMedia({ colorScheme: 'light' });
    await screenshot(admin, 'admin-edit-plan');
    // Saved from the keyboard: Enter in the name field submits the dialog's form.
    await name.press('Enter');
    const row = plans.getByRole('row', { name: new RegExp(RENAMED) });
    await row.getByRole('cell', { name: new RegExp(GROUP) }).waitFor();
    await screenshot(admin, 'admin-plan-edited');

    await reloadUntil(
      member,
      `the ${NEW_DOOR} door on the member's Access page`,
      async () => (await shown(member, door)) > 0,
    );
    const why = await door.locator('.door-why').innerText();
    assert.match(why, new RegExp(`${RENAMED} plan`), `the door names the renamed plan: "${why}"`);
    await screenshot(member, 'member-door-from-edited-plan');
  });
});
