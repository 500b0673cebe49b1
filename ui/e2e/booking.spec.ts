/**
 * A staff person books a room with an invitee (R6, R7); the invitee signs in and sees the room's
 * door with the right "until" (the booking's end plus the 30-minute grace, in the location's zone).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { screenshot } from './harness/browser';
import {
  DEMO_ZONE,
  closeStage,
  fillMoment,
  expectedUntil,
  inviteFromFrontDesk,
  openStage,
  redeemInvitation,
  wallTime,
  pageAs,
  type Stage,
} from './harness/scenario';

const FIVE_MINUTES = 5 * 60_000;
const GRACE = 30 * 60_000;

/**
 * A room free for half an hour from `start` in the demo space: Elbe is booked from an hour before the
 * demo started for four hours, Spree 09:30–11:30 and the Phone Booth 14:00–15:00 (location time).
 */
function freeRoom(start: Date): string {
  const [hours = 0, minutes = 0] = wallTime(start, DEMO_ZONE).split(':').map(Number);
  const hour = hours + minutes / 60;
  return hour >= 9 && hour < 11.5 ? 'Phone Booth' : 'Meeting Room Spree';
}

describe('booking with an invitee', () => {
  let stage: Stage | undefined;
  before(async () => {
    stage = await openStage();
  });
  after(() => closeStage(stage));

  it('gives the invitee the room door until the end of the booking plus the grace', async () => {
    assert.ok(stage);
    const { browser } = stage;
    const staff = await pageAs(stage, 'staff');

    // A new person, not a member: the invitee.
    await staff.goto('/desk/people');
    await staff.getByRole('button', { name: 'New person' }).click();
    const newPerson = staff.getByRole('form', { name: 'New person' });
    await newPerson.getByLabel('Name').fill('Ada Invitee');
    await newPerson.getByLabel('E-mail').fill('ada.invitee@example.com');
    await newPerson.getByRole('button', { name: 'Add person' }).click();
    await staff.getByRole('heading', { name: 'Ada Invitee' }).waitFor();

    // Starts within five minutes, so its window (30 minutes early) is open now.
    const start = new Date(Math.ceil(Date.now() / FIVE_MINUTES) * FIVE_MINUTES);
    const end = new Date(start.getTime() + 30 * 60_000);
    const room = freeRoom(start);
    await staff.goto('/desk/bookings');
    await staff.getByRole('button', { name: 'New booking' }).click();
    const form = staff.getByRole('form', { name: 'New booking' });
    await form.getByLabel('Resource').selectOption({ label: `${room} (room)` });
    await fillMoment(form, /^Start/, start);
    await fillMoment(form, /^End/, end);
    assert.equal(
      await form
        .getByRole('group', { name: /^Start/ })
        .getByLabel('Time')
        .inputValue(),
      wallTime(start),
      'the time is typed 24-hour, like every time the page shows',
    );
    await form.getByLabel('Booker').fill('Mia');
    await form
      .getByRole('list', { name: 'Matches for Booker' })
      .getByRole('button', { name: /Mia Keller/ })
      .click();
    await form.getByLabel('Invitees').fill('Ada Invitee');
    await form
      .getByRole('list', { name: 'Matches for Invitees' })
      .getByRole('button', { name: /Ada Invitee/ })
      .click();
    // One time format (issue 17, point 6): an en-US browser still reads and types 24-hour times.
    assert.doesNotMatch(await form.innerText(), /\b[AP]M\b/);
    await screenshot(staff, 'staff-booking-form');
    await form.getByRole('button', { name: 'Book' }).click();
    await staff.getByText('Booking created').waitFor();
    await screenshot(staff, 'staff-booking-created');

    const link = await inviteFromFrontDesk(staff, 'Ada Invitee');
    const invitee = await redeemInvitation(browser, link);
    const until = expectedUntil(new Date(end.getTime() + GRACE), new Date());
    const door = invitee.getByRole('button', { name: new RegExp(`^Unlock ${room}, `) });
    // Her open page shows the door once the sync's change notice names her (live, no reload;
    // a reload loop checked right after each reload, before the page had read her doors).
    await door.waitFor({ timeout: 90_000 });
    assert.equal(await door.getAttribute('aria-label'), `Unlock ${room}, ${until}`);
    assert.match(await door.innerText(), new RegExp(until));
    await screenshot(invitee, 'invitee-access-page');
  });
});
