/**
 * The audit log names who did what (issue 17 point 13) and operator screens name people and
 * places, not ids (point 5). The browser runs in America/New_York while the demo location is in
 * Europe/Berlin: every time shown must be Berlin's.
 *
 * Staff book a room for tomorrow evening and cancel it; the admin opens the audit log, picks that
 * staff account under "Who" and reads the cancel worded with the room, the Berlin time and the
 * booker's name. The Sync page shows names, not "Person 43" or "group 19"; axe finds no serious
 * or critical violation on the audit page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkAccessibility } from './harness/axe';
import { screenshot } from './harness/browser';
import { DEMO_ZONE, closeStage, dateTimeLocal, fillMoment, openStage, pageAs, type Stage } from './harness/scenario';

const ROOM = 'Meeting Room Spree';

/** The instant of `hh:mm` on the Berlin day after today, found without the UI's own code. */
function tomorrowInBerlinAt(hours: number, minutes: number): Date {
  const today = dateTimeLocal(new Date(), DEMO_ZONE).slice(0, 10);
  const [y = 0, m = 1, d = 1] = today.split('-').map(Number);
  let guess = new Date(Date.UTC(y, m - 1, d + 1, hours, minutes));
  // Shift by the zone's offset until the Berlin wall clock reads hh:mm (twice covers DST edges).
  for (let i = 0; i < 2; i += 1) {
    const wall = dateTimeLocal(guess, DEMO_ZONE);
    const asUtc = Date.UTC(
      Number(wall.slice(0, 4)),
      Number(wall.slice(5, 7)) - 1,
      Number(wall.slice(8, 10)),
      Number(wall.slice(11, 13)),
      Number(wall.slice(14, 16)),
    );
    guess = new Date(guess.getTime() - (asUtc - Date.UTC(y, m - 1, d + 1, hours, minutes)));
  }
  return guess;
}

describe('the audit log and operator words', () => {
  let stage: Stage | undefined;
  before(async () => {
    stage = await openStage();
  });
  after(() => closeStage(stage));

  it('shows a staff member’s cancel with their name, the names involved and the Berlin time', async () => {
    assert.ok(stage);
    const staff = await pageAs(stage, 'staff');
    const start = tomorrowInBerlinAt(20, 0);
    const end = new Date(start.getTime() + 30 * 60_000);
    const day = dateTimeLocal(start).slice(0, 10);
    assert.notEqual(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', hourCycle: 'h23' }).format(
        start,
      ),
      '20',
      'the browser’s own zone would read another hour',
    );

    await staff.goto('/desk/bookings');
    await staff.getByRole('button', { name: 'New booking' }).click();
    const form = staff.getByRole('form', { name: 'New booking' });
    await form.getByLabel('Resource').selectOption({ label: `${ROOM} (room)` });
    await fillMoment(form, /^Start/, start);
    await fillMoment(form, /^End/, end);
    await form.getByLabel('Booker').fill('Mia');
    await form
      .getByRole('list', { name: 'Matches for Booker' })
      .getByRole('button', { name: /Mia Keller/ })
      .click();
    await form.getByRole('button', { name: 'Book' }).click();
    await staff.getByText('Booking created').waitFor();

    // The booking in the list of that day, cancelled from its row.
    await staff.getByLabel('Resource', { exact: true }).selectOption({ label: `${ROOM} (room)` });
    await staff.getByLabel('Date', { exact: true }).fill(day);
    const row = staff.getByRole('row').filter({ hasText: 'Mia Keller' }).filter({ hasText: '20:00' });
    await row.getByRole('button', { name: 'Cancel…' }).click();
    // The dialog names the room and its Berlin time, not "Cancel booking 7".
    const dialog = staff.getByRole('dialog', { name: new RegExp(`^Cancel the booking of ${ROOM}, .*20:00–20:30`) });
    await dialog.getByRole('button', { name: 'Cancel booking' }).click();
    await staff.getByText('Booking cancelled').waitFor();

    const admin = await pageAs(stage, 'admin');
    await admin.goto('/admin/audit');
    await admin.getByRole('table', { name: /newest first/ }).waitFor();
    await admin.getByLabel('Kind').selectOption({ label: 'Staff and admin actions' });
    // The staff account, named by its person (and e-mail) in the list of who can act.
    const who = admin.getByLabel('Who');
    await who.locator('option', { hasText: 'frontdesk@harbor.example' }).waitFor({ state: 'attached' });
    const label = (await who.locator('option', { hasText: 'frontdesk@harbor.example' }).innerText()).trim();
    const actor = label.replace(/ \(frontdesk@harbor\.example\)$/, '');
    await who.selectOption({ label });
    // "Sat 5 Dec 2026, 20:00–20:30 (Berlin time)": one wording for every time window (core::format_local_span).
    const dayWords = new Intl.DateTimeFormat('en-GB', {
      timeZone: DEMO_ZONE,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
    })
      .format(start)
      .replace(',', '');
    const words = `Cancelled the booking of ${ROOM} on ${dayWords}, 20:00–20:30 (Berlin time)`;
    const cancel = admin.getByRole('row').filter({ hasText: words });
    await cancel.waitFor();
    const text = await cancel.innerText();
    assert.match(text, /for Mia Keller/, text);
    assert.ok(text.includes(actor), `Who acted (${actor}): ${text}`);
    assert.match(text, /Done/, 'the outcome');
    // Only that account's actions: every row names it.
    const rows = admin.getByRole('table', { name: /newest first/ }).getByRole('row');
    const count = await rows.count();
    for (let i = 1; i < count; i += 1) {
      assert.ok((await rows.nth(i).innerText()).includes(actor));
    }
    const report = await checkAccessibility(admin);
    if (report.advisory.length > 0) console.log(`axe, audit, moderate or minor:\n  ${report.advisory.join('\n  ')}`);
    await screenshot(admin, 'audit');
    assert.deepEqual(report.blocking, [], 'serious or critical axe violations on the audit log');
  });

  it('the Sync page names people and doors, not ids, rule codes or UTC', async () => {
    assert.ok(stage);
    const admin = await pageAs(stage, 'admin');
    await admin.goto('/admin/sync');
    await admin.getByRole('button', { name: 'Preview what a sync would change' }).click();
    // Either Kisi already matches, or the operations are listed: both in words.
    await admin
      .getByText('Kisi already matches Doorlink: a sync would change nothing.')
      .or(admin.getByRole('list', { name: 'Operations a sync would make' }))
      .first()
      .waitFor();
    await admin
      .getByText('Loading', { exact: false })
      .first()
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
    // The whole page: the header's "Last successful Kisi call" quotes a Kisi call's recorded
    // words, the dry run its plan lines, the tables the queue and the failures.
    await admin.getByText(/Last successful Kisi call/).waitFor();
    const page = await admin.locator('main').innerText();
    assert.doesNotMatch(page, /\b(person|group|lock|subscription|booking) \d+/i, page);
    assert.doesNotMatch(page, /UTC|\+00:00/, page);
    assert.doesNotMatch(page, /\((C|R|I|M|A)\d+(, ?(C|R|I|M|A)\d+)*\)/, page);
    await screenshot(admin, 'audit-sync-page');
  });
});
