/**
 * Visitors as the front desk expects them (issue 17, point 9), with the browser in New York and the
 * location in Berlin: staff register a visitor by name and e-mail with a host (no person record
 * first), see the Kisi access link the sync made and its QR code, end the visit early, and cancel
 * the demo's day pass. The adversary: the browser's own zone, and a link that only exists after the
 * sync (the page must show "being prepared" until Kisi answered, then the link without a reload).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkAccessibility } from './harness/axe';
import { screenshot } from './harness/browser';
import { closeStage, fillMoment, openStage, pageAs, type Stage } from './harness/scenario';

describe('visitors at the front desk', () => {
  let stage: Stage | undefined;
  before(async () => {
    stage = await openStage();
  });
  after(() => closeStage(stage));

  it('registers a visitor with a host, hands over the Kisi link, ends the visit early and cancels a day pass', async () => {
    assert.ok(stage);
    const staff = await pageAs(stage, 'staff');
    await staff.goto('/');
    await staff.getByRole('link', { name: 'Visitors' }).click();
    await staff.getByRole('heading', { name: 'Visitors' }).waitFor();
    await staff.getByText('Times in Europe/Berlin').waitFor();

    // Arrives now and stays two hours: the access window is open at once (R10).
    const arrival = new Date();
    const departure = new Date(arrival.getTime() + 2 * 3_600_000);
    await staff.getByRole('button', { name: 'Register a visitor' }).click();
    const form = staff.getByRole('form', { name: 'Register a visitor' });
    await form.getByLabel("Visitor's name").fill('Vera Visitor');
    await form.getByLabel("Visitor's e-mail").fill('vera.visitor@guest.example');
    await form.getByLabel('Host').fill('Mia');
    await form
      .getByRole('list', { name: 'Matches for Host' })
      .getByRole('button', { name: /Mia Keller/ })
      .click();
    await fillMoment(form, /^Arrives/, arrival);
    await fillMoment(form, /^Leaves/, departure);
    await form.getByRole('button', { name: 'Register visitor' }).click();
    await staff.getByText('Vera Visitor is expected').waitFor();

    const row = staff.getByRole('row', { name: /Vera Visitor/ });
    await row.getByRole('cell', { name: 'Mia Keller' }).waitFor();
    // The sync makes the link in Kisi; the page shows it when it arrives.
    const link = row.getByRole('link', { name: /grant_link/ });
    await link.waitFor({ timeout: 60_000 });
    assert.match((await link.getAttribute('href')) ?? '', /^https:\/\/web\.kisi\.io\/grant_link\/.+/);
    const mail = row.getByRole('link', { name: 'Send by e-mail' });
    const mailto = (await mail.getAttribute('href')) ?? '';
    assert.ok(mailto.startsWith('mailto:vera.visitor%40guest.example?'), mailto);
    assert.ok(decodeURIComponent(mailto).includes((await link.getAttribute('href')) ?? 'no link'));
    await row.getByRole('button', { name: 'QR code' }).click();
    const qr = row.getByRole('img', { name: "QR code of Vera Visitor's Kisi access link" });
    await qr.waitFor();
    assert.ok(((await qr.getAttribute('src')) ?? '').startsWith('data:image/svg+xml'));
    await row.getByText('On-site window').waitFor();

    const report = await checkAccessibility(staff);
    if (report.advisory.length > 0) console.log(`axe, visitors, moderate or minor:\n  ${report.advisory.join('\n  ')}`);
    assert.deepEqual(report.blocking, [], 'serious or critical axe violations on the Visitors page');
    await screenshot(staff, 'visitor-registered');

    // End the visit early: a confirm, then the visit shows ended and its link is gone.
    await row.getByRole('button', { name: 'End visit now' }).click();
    const endDialog = staff.getByRole('dialog', { name: 'End this visit now?' });
    await endDialog.getByRole('button', { name: 'End visit now' }).click();
    await row.getByText('Ended early').waitFor();
    await row.getByText('No longer valid').waitFor();
    assert.equal(await row.getByRole('link', { name: /grant_link/ }).count(), 0);

    // The demo's day guest holds a day pass for today: cancel it; it stays listed as cancelled.
    const pass = staff
      .getByRole('row', { name: /Day pass/ })
      .filter({ has: staff.getByRole('button', { name: 'Cancel day pass' }) })
      .first();
    await pass.getByRole('button', { name: 'Cancel day pass' }).click();
    const cancelDialog = staff.getByRole('dialog', { name: 'Cancel this day pass?' });
    await cancelDialog.getByRole('button', { name: 'Cancel day pass' }).click();
    await staff.getByText('Day pass cancelled; its access is revoked').waitFor();
    await staff
      .getByRole('row', { name: /Day pass.*Cancelled/ })
      .first()
      .waitFor();
    const after = await checkAccessibility(staff);
    assert.deepEqual(after.blocking, [], 'serious or critical axe violations after ending and cancelling');
    await screenshot(staff, 'visitor-ended');
  });
});
