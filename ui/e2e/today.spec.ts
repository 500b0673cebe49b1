/**
 * Today (issue 17, point 8), in a New York browser for the Berlin demo space: staff land on it and
 * read the demo's bookings at their Berlin times, book a free hour from the timeline and see the
 * booking on the page at once (no reload), switch to the week; axe finds nothing blocking.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkAccessibility } from './harness/axe';
import { BROWSER_ZONE, screenshot } from './harness/browser';
import { closeStage, openStage, pageAs, type Stage } from './harness/scenario';

describe('the front desk’s day', () => {
  let stage: Stage | undefined;
  before(async () => {
    stage = await openStage();
  });
  after(() => closeStage(stage));

  it('shows staff the day in Berlin time and books a free hour from the timeline', async () => {
    assert.ok(stage);
    const staff = await pageAs(stage, 'staff');
    // Signing in lands staff on Today.
    await staff.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    assert.match(new URL(staff.url()).pathname, /^\/desk\/today$/);
    assert.equal(await staff.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone), BROWSER_ZONE);
    await staff.getByText(/times in Berlin time \(Europe\/Berlin\)/).waitFor();

    // The demo's Spree booking is 09:30–11:30 where the space is (03:30 in New York).
    const bookings = staff.getByRole('table', { name: /^Bookings on .* \(Berlin time\)$/ });
    const spree = bookings.getByRole('row').filter({ hasText: 'Meeting Room Spree' }).filter({ hasText: 'Lena Wolf' });
    await spree.waitFor();
    assert.match(await spree.innerText(), /09:30–11:30/);
    assert.match(await spree.innerText(), /Elias Hartmann/);
    const phone = bookings.getByRole('row').filter({ hasText: 'Phone Booth' }).filter({ hasText: 'Ella Simon' });
    assert.match(await phone.innerText(), /14:00–15:00/);

    // The Phone Booth is free at 20:00 in Berlin: book it from the timeline.
    const timeline = staff.getByRole('group', { name: /^Timeline of / });
    const slot = timeline.getByRole('button', { name: 'Book Phone Booth at 20:00' });
    await slot.click();
    const form = staff.getByRole('form', { name: 'New booking' });
    // Picked as soon as the location's resources have loaded.
    await form
      .getByLabel('Resource')
      .locator('option:checked', { hasText: 'Phone Booth (room)' })
      .waitFor({ state: 'attached' });
    assert.equal(
      await form
        .getByRole('group', { name: /^Start/ })
        .getByLabel('Time')
        .inputValue(),
      '20:00',
    );
    assert.equal(await form.getByRole('group', { name: /^End/ }).getByLabel('Time').inputValue(), '21:00');
    await form.getByLabel('Booker').fill('Mia');
    await form
      .getByRole('list', { name: 'Matches for Booker' })
      .getByRole('button', { name: /Mia Keller/ })
      .click();
    await form.getByRole('button', { name: 'Book' }).click();
    await staff.getByText('Booking created').waitFor();

    // On the page where it was made, without a reload: in the table and off the free hours.
    const made = bookings.getByRole('row').filter({ hasText: 'Phone Booth' }).filter({ hasText: 'Mia Keller' });
    await made.waitFor();
    assert.match(await made.innerText(), /20:00–21:00/);
    await slot.waitFor({ state: 'detached' });

    const report = await checkAccessibility(staff);
    assert.deepEqual(report.blocking, [], report.blocking.join('\n'));
    await screenshot(staff, 'today');

    await staff.getByRole('button', { name: 'Week', exact: true }).click();
    const week = staff.getByRole('table', { name: /^The week from .* \(Berlin time\)$/ });
    await week.waitFor();
    const spreeWeek = week.getByRole('row').filter({ hasText: 'Meeting Room Spree' });
    assert.match(await spreeWeek.innerText(), /09:30–11:30 Lena Wolf with Elias Hartmann/);
    const weekReport = await checkAccessibility(staff);
    assert.deepEqual(weekReport.blocking, [], weekReport.blocking.join('\n'));
    await screenshot(staff, 'today-week');
  });

  it('fits a 400 px window in the dark theme, the booking dialog too, and stays accessible', async () => {
    assert.ok(stage);
    const staff = await pageAs(stage, 'staff');
    await staff.setViewportSize({ width: 400, height: 800 });
    await staff.emulateMedia({ colorScheme: 'dark' });
    await staff.goto('/desk/today');
    const timeline = staff.getByRole('group', { name: /^Timeline of / });
    await timeline.waitFor();
    // The timeline scrolls inside itself; the page never scrolls sideways.
    const { wide, shown } = await staff.evaluate(() => ({
      wide: document.documentElement.scrollWidth,
      shown: window.innerWidth,
    }));
    assert.ok(wide <= shown, `the page is ${wide} px in a ${shown} px window`);
    const report = await checkAccessibility(staff);
    assert.deepEqual(report.blocking, [], report.blocking.join('\n'));
    await screenshot(staff, 'today-narrow-dark');

    await timeline.getByRole('button', { name: 'Book Projector at 08:00' }).click();
    const dialog = staff.getByRole('dialog', { name: 'Book Projector' });
    await dialog
      .getByRole('form', { name: 'New booking' })
      .getByLabel('Resource')
      .locator('option:checked', { hasText: 'Projector' })
      .waitFor({ state: 'attached' });
    const right = await dialog.evaluate((d) => d.getBoundingClientRect().right);
    assert.ok(right <= 400, `the booking dialog ends at ${right} px`);
    await screenshot(staff, 'today-narrow-dialog');
  });
});
