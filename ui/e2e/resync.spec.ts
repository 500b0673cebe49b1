/**
 * "Re-sync now" beside the explanations staff see: on a person's access, under a
 * door's explanation and with their Kisi user. Pressing it says the re-sync is queued; the hub's
 * sync then runs and the page refreshes by its live events.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { screenshot } from './harness/browser';
import { closeStage, openPerson, openStage, pageAs, type Stage } from './harness/scenario';

describe('re-sync one person now', () => {
  let stage: Stage | undefined;
  before(async () => {
    stage = await openStage();
  });
  after(() => closeStage(stage));

  it('queues a re-sync from the explanation of a door and from the Kisi user', async () => {
    assert.ok(stage);
    const staff = await pageAs(stage, 'staff');
    await openPerson(staff, 'Mia Keller');

    await staff.getByLabel("Why can't they open…").selectOption({ label: 'Server Room' });
    const buttons = staff.getByRole('button', { name: 'Re-sync now' });
    // The explanation has come when its own re-sync button has.
    await buttons.nth(1).waitFor();
    assert.equal(await buttons.count(), 2, 'one beside the location’s access, one beside the door’s explanation');
    await buttons.last().click();
    const queued = staff.getByRole('status').filter({ hasText: /^Queued at \d\d:\d\d; this page updates/ });
    await queued.waitFor();
    await screenshot(staff, 'staff-resync-queued');

    await staff.getByRole('link', { name: 'Kisi user' }).click();
    const kisiUser = staff.getByRole('region', { name: /^Kisi user at / });
    await kisiUser.getByRole('button', { name: 'Re-sync now' }).click();
    await kisiUser
      .getByRole('status')
      .filter({ hasText: /^Queued at / })
      .waitFor();
  });
});
