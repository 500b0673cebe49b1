/**
 * The demo member unlocks the front door and Kisi's event log names them (A4); the reader-
 * restricted Server Room refuses with the explained error; a person whose booking opens no door
 * sees why (A5); a door Kisi reports locked down says so before it is pressed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkAccessibility } from './harness/axe';
import { screenshot } from './harness/browser';
import { kisiEvents, kisiLockId, ownerSecret, setKisiLockState } from './harness/kisi';
import { closeStage, inviteFromFrontDesk, openStage, pageAs, redeemInvitation, type Stage } from './harness/scenario';

describe('the Access page', () => {
  let stage: Stage | undefined;
  before(async () => {
    stage = await openStage();
  });
  after(() => closeStage(stage));

  it('unlocks the front door and Kisi names the member', async () => {
    assert.ok(stage);
    const { demo } = stage;
    const page = await pageAs(stage, 'member');
    await page.goto('/access');
    const door = page.getByRole('button', { name: /^Unlock Front Door, / });
    await door.click();
    const feedback = page.locator('li.door', { has: door }).getByRole('status');
    await feedback.getByText('Unlocked').waitFor();
    await screenshot(page, 'member-unlocked');

    const events = await kisiEvents(demo.kisiUrl, await ownerSecret(demo.kisiUrl, demo.kisiApiKey));
    const unlock = events.find((e) => e.object_name === 'Front Door' && e.success === true);
    assert.ok(unlock, `Kisi logged the unlock: ${JSON.stringify(events.slice(0, 3))}`);
    assert.match(String(unlock.actor_name ?? unlock.actor_email), /Mia Keller|mia@harbor\.example/);
  });

  it('explains why the reader-restricted Server Room does not open', async () => {
    assert.ok(stage);
    const page = await pageAs(stage, 'member');
    await page.goto('/access');
    const door = page.getByRole('button', { name: /^Unlock Server Room, / });
    await door.click();
    const failure = page.locator('li.door', { has: door }).locator('.notice[data-tone="danger"]');
    await failure.waitFor();
    const text = await failure.innerText();
    assert.match(text, /Kisi Reader/, 'names the reader restriction');
    assert.match(text, /front desk/i, 'says what to do in a member’s words (issue 17)');
    await screenshot(page, 'member-reader-restricted');
  });

  it('shows a person whose booking opens no door why there are no locks', async () => {
    assert.ok(stage);
    const { browser } = stage;
    // Kenji Sato booked the Event Space, which has no door access (demo_space::cast::BOOKED_WITHOUT_DOORS).
    const staff = await pageAs(stage, 'staff');
    const link = await inviteFromFrontDesk(staff, 'Kenji Sato');

    const page = await redeemInvitation(browser, link);
    await page.getByText('No locks').first().waitFor();
    const reasons = page.getByRole('list', { name: 'Why there are no locks' });
    const text = await reasons.innerText();
    assert.match(text, /Event Space/, 'names the resource');
    assert.match(text, /door access/i, 'names the cause');
    assert.match(text, /front desk/i, 'says whom to ask, in a member’s words (issue 17)');
    assert.doesNotMatch(text, /select a Kisi group|Admin/, 'not the staff fix');
    await screenshot(page, 'nothing-no-locks');
  });

  it('drops a door from an open Access page when staff cancel the booking behind it (live, no reload)', async () => {
    assert.ok(stage);
    const member = await pageAs(stage, 'member');
    await member.goto('/access');
    const elbe = member.getByRole('button', { name: /^Unlock Meeting Room Elbe, / });
    await elbe.waitFor();
    await member.getByText('Live', { exact: true }).waitFor();

    const staff = await pageAs(stage, 'staff');
    await staff.goto('/desk/bookings');
    await staff.getByLabel('Resource').selectOption({ label: 'Meeting Room Elbe (room)' });
    const row = staff
      .getByRole('row')
      .filter({ has: staff.getByRole('link', { name: 'Mia Keller' }) })
      .filter({ hasText: 'Booked' });
    await row.getByRole('button', { name: 'Cancel…' }).click();
    await staff.getByRole('dialog').getByRole('button', { name: 'Cancel booking' }).click();
    await staff.getByText('Booking cancelled').waitFor();
    // That write came from a freshly loaded page: its CSRF token came back from the hub's session
    // answer; the page keeps nothing of it.
    const stored = await staff.evaluate(() =>
      Object.keys(localStorage).map((key) => `${key}=${localStorage.getItem(key) ?? ''}`),
    );
    assert.deepEqual(
      stored.filter((entry) => /csrf/i.test(entry)),
      [],
      'no CSRF token in localStorage',
    );

    await elbe.waitFor({ state: 'detached' });
    await screenshot(member, 'member-live-update');
  });

  it('says the Front Door is locked down before it is pressed, and the press explains it', async () => {
    assert.ok(stage);
    const { demo } = stage;
    const frontDoor = await kisiLockId(demo.kisiUrl, await ownerSecret(demo.kisiUrl, demo.kisiApiKey), 'Front Door');
    // A Kisi administrator locks the front door down; staff run a full sync, which reads Kisi again.
    await setKisiLockState(demo.kisiUrl, frontDoor, { online: true, locked_down: true });
    try {
      const admin = await pageAs(stage, 'admin');
      await admin.goto('/admin/sync');
      await admin.getByRole('button', { name: 'Run a full sync' }).click();
      await admin
        .getByText(/Kisi now matches Doorlink/)
        .first()
        .waitFor();

      const page = await pageAs(stage, 'member');
      await page.goto('/access');
      const door = page.getByRole('button', { name: /^Unlock Front Door, / });
      const item = page.locator('li.door', { has: door });
      const notice = item.locator('[data-cause="door_locked_down"]');
      await notice.waitFor();
      assert.match(
        await notice.innerText(),
        /"Front Door" is locked down in Kisi, as of .+ \(Berlin time\)/,
        'in words, with when it was read',
      );
      assert.deepEqual(
        (await checkAccessibility(page)).blocking,
        [],
        'serious or critical axe violations beside a locked-down door',
      );
      await screenshot(page, 'member-door-locked-down');

      await door.click();
      const failure = item.locator('.notice[data-tone="danger"]');
      await failure.waitFor();
      assert.match(await failure.innerText(), /locked down/, 'the refusal names the lockdown');
    } finally {
      await setKisiLockState(demo.kisiUrl, frontDoor, { online: true, locked_down: false });
    }
  });

  // Last: it stops the demo's hub.
  it('says Offline with the last confirmed time and stops offering doors when the hub stops (A6)', async () => {
    assert.ok(stage);
    const member = await pageAs(stage, 'member');
    await member.goto('/access');
    const door = member.getByRole('button', { name: /^Unlock Front Door, / });
    await door.waitFor();
    const badge = member.getByRole('status').filter({ hasText: /^Connection: / });
    await badge.getByText('Live', { exact: true }).waitFor();

    await stage.demo.stop();
    await badge.getByText(/^Offline · last confirmed \d{2}:\d{2}$/).waitFor({ timeout: 30_000 });
    assert.equal(await door.isDisabled(), true, 'offline, the door cannot be pressed');
    const why = member.locator('li.door', { has: door }).locator('.door-why-not');
    assert.equal(await why.innerText(), 'Unlocking needs a connection.');
    await member.getByText(/These are your doors as last confirmed/).waitFor();
    await screenshot(member, 'member-offline');
    // The dimmed doors, their why and the badge stay readable in both themes.
    for (const theme of ['light', 'dark'] as const) {
      await member.emulateMedia({ colorScheme: theme });
      assert.deepEqual((await checkAccessibility(member)).blocking, [], `axe, offline Access page (${theme})`);
    }
    await screenshot(member, 'member-offline-dark');
  });
});
