/**
 * The front desk finds people through the hub's search: any part of a name or e-mail,
 * any case, each with their plans and hold, filtered by them (issue 17, point 11), and "why
 * can't they open" never suggests a fix that opens the door to others unsaid (point 7). A
 * search that finds no one says so and offers to add the person, already filled with what was
 * typed; a booking's invitee picker does the same and picks the person it added.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { screenshot } from './harness/browser';
import { closeStage, openStage, pageAs, type Stage } from './harness/scenario';

describe('finding people', () => {
  let stage: Stage | undefined;
  before(async () => {
    stage = await openStage();
  });
  after(() => closeStage(stage));

  it('finds by part of the e-mail in any case, and adds the one it cannot find', async () => {
    assert.ok(stage);
    const staff = await pageAs(stage, 'staff');
    await staff.goto('/desk/people');
    const search = staff.getByLabel('Find a person');
    const found = staff.getByRole('list', { name: 'People found' });

    // Mia Keller, the front desk and the owner are at harbor.example (every account is a
    // person); the other 39 are at example.com.
    await search.fill('HARBOR.ex');
    await staff
      .getByRole('status')
      .filter({ hasText: /^3 people$/ })
      .waitFor();
    const nameAndEmail = (text: string) => text.split('\n').slice(0, 2).join('\n');
    assert.deepEqual((await found.getByRole('link').allInnerTexts()).map(nameAndEmail), [
      'Frontdesk\nfrontdesk@harbor.example',
      'Mia Keller\nmia@harbor.example',
      'Owner\nowner@harbor.example',
    ]);

    await search.fill('jo.novel@example.org');
    await staff.getByText('No one matches “jo.novel@example.org”.').waitFor();
    await screenshot(staff, 'staff-people-no-match');
    await staff.getByRole('button', { name: 'Add person' }).click();
    const form = staff.getByRole('form', { name: 'New person' });
    assert.equal(
      await form.getByLabel('E-mail').inputValue(),
      'jo.novel@example.org',
      'the typed e-mail is carried over',
    );
    await form.getByLabel('Name').fill('Jo Novel');
    await form.getByRole('button', { name: 'Add person' }).click();
    await staff.getByRole('heading', { name: 'Jo Novel' }).waitFor();

    await search.fill('novel');
    await found.getByRole('link', { name: /Jo Novel/ }).waitFor();
  });

  it('shows plans and holds, keeps only people on hold, and Enter opens the one found', async () => {
    assert.ok(stage);
    const staff = await pageAs(stage, 'staff');
    await staff.goto('/desk/people');
    const found = staff.getByRole('list', { name: 'People found' });
    const search = staff.getByLabel('Find a person');
    await search.fill('mia@harbor');
    await found.getByRole('link', { name: /Mia Keller/ }).waitFor();
    const mia = await found.getByRole('link').first().innerText();
    assert.doesNotMatch(mia, /No plan/, `the demo member is on a plan: ${mia}`);

    await search.fill('');
    await staff.getByLabel('Show').selectOption('on_hold');
    await staff
      .getByRole('status')
      .filter({ hasText: /^1 person$/ })
      .waitFor();
    await found.getByText('On hold').waitFor();
    await search.press('Enter');
    await staff.locator('#person-name').waitFor();
    await staff.getByRole('article').getByRole('link', { name: 'Door access on hold' }).waitFor();
    assert.match(staff.url(), /\/desk\/people\/\d+/, 'Enter opened the one person found');
    await screenshot(staff, 'staff-people-on-hold');
  });

  it('never suggests a fix that opens a door to others without saying so', async () => {
    assert.ok(stage);
    const staff = await pageAs(stage, 'staff');
    await staff.goto('/desk/people');
    await staff.getByLabel('Show').selectOption('members');
    const found = staff.getByRole('list', { name: 'People found' });
    // A hot-desk member other than the demo member (whose manual grant opens the Server Room).
    const flex = found
      .getByRole('link')
      .filter({ hasText: 'Hot desk' })
      .filter({ hasNotText: /Mia Keller|On hold/ })
      .first();
    await flex.click();
    await staff.locator('#person-name').waitFor();
    await staff.getByLabel("Why can't they open…").selectOption({ label: 'Server Room' });
    const fix = staff.getByRole('article').getByText(/manual grant of "Server Room"/);
    await fix.waitFor();
    assert.match(
      await fix.innerText(),
      /would open it to \d+ other people as well/,
      'who else the Kisi-side fix lets in',
    );
    await screenshot(staff, 'staff-why-not-server-room');
  });

  it('adds an invitee the picker cannot find and picks them', async () => {
    assert.ok(stage);
    const staff = await pageAs(stage, 'staff');
    await staff.goto('/desk/bookings');
    await staff.getByRole('button', { name: 'New booking' }).click();
    const form = staff.getByRole('form', { name: 'New booking' });
    await form.getByLabel('Invitees').fill('Pia Walk-in');
    await form.getByText('No one matches “Pia Walk-in”.').waitFor();
    await form.getByRole('button', { name: 'Add person' }).click();
    const group = form.getByRole('group', { name: 'New person for Invitees' });
    assert.equal(await group.getByLabel('Name').inputValue(), 'Pia Walk-in', 'the typed name is carried over');
    await group.getByLabel('E-mail').fill('pia.walkin@example.com');
    // Enter adds the person; it does not submit the booking.
    await group.getByLabel('E-mail').press('Enter');
    await form.getByRole('list', { name: 'Invitees: picked' }).getByText('Pia Walk-in').waitFor();
    assert.equal(await form.getByRole('group', { name: 'New person for Invitees' }).count(), 0);
    await screenshot(staff, 'staff-invitee-added-and-picked');
  });
});
