/**
 * A ~400 px wide window (a phone, a narrow desktop window): every page and dialog fits, nothing
 * scrolls sideways — the door-access picker's long warnings wrap instead of running off the side.
 * Checked in chromium at 400×800 on the admin's mappings with the door-access dialog open, a
 * person's subscriptions with the new-item form, and the Access page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot } from './harness/browser';
import { closeStage, openPerson, openStage, pageAs, type Stage, type Role } from './harness/scenario';

/** The signed-in page of `role`, 400 px wide. */
async function narrowPageAs(stage: Stage, role: Role): Promise<Page> {
  const page = await pageAs(stage, role);
  await page.setViewportSize({ width: 400, height: 800 });
  return page;
}

/**
 * What overflows sideways: the document (`scrollWidth` past `innerWidth`) and each open dialog
 * (a modal sits above the document, so it does not widen it; it scrolls inside itself instead).
 */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const wide: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > window.innerWidth)
      wide.push(`the page: ${root.scrollWidth} px in a ${window.innerWidth} px window`);
    for (const dialog of document.querySelectorAll<HTMLDialogElement>('dialog[open]')) {
      if (dialog.scrollWidth > dialog.clientWidth)
        wide.push(
          `dialog "${dialog.querySelector('h2')?.textContent}": ${dialog.scrollWidth} px in ${dialog.clientWidth} px`,
        );
      const right = dialog.getBoundingClientRect().right;
      if (right > window.innerWidth)
        wide.push(`dialog "${dialog.querySelector('h2')?.textContent}" ends at ${right} px`);
    }
    return wide;
  });
}

/**
 * What a narrow table does to its reader (issue 17, point 12): a word split over two lines (the
 * browser breaking "Backing off" into "Ba" / "off" to squeeze a column) and a button cut off by
 * the window or by its own box. Each is named with the text it concerns.
 */
async function squeezed(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const cell of document.querySelectorAll<HTMLElement>('.table th, .table td')) {
      if (cell.getClientRects().length === 0) continue;
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (const word of text.matchAll(/[A-Za-zÀ-ÿ]{2,}/g)) {
          const range = document.createRange();
          range.setStart(node, word.index ?? 0);
          range.setEnd(node, (word.index ?? 0) + word[0].length);
          const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (lines.size > 1) found.push(`"${word[0]}" is broken over ${lines.size} lines`);
        }
      }
    }
    for (const button of document.querySelectorAll<HTMLElement>('main button, main a.button')) {
      const box = button.getBoundingClientRect();
      if (box.width === 0) continue;
      if (box.right > window.innerWidth + 0.5 || box.left < -0.5)
        found.push(`button "${button.textContent?.trim()}" runs off the window`);
      if (button.scrollWidth > button.clientWidth + 1)
        found.push(`button "${button.textContent?.trim()}" is cut off inside itself`);
    }
    return found;
  });
}

describe('a 400 px wide window', () => {
  let stage: Stage | undefined;
  before(async () => {
    stage = await openStage();
  });
  after(() => closeStage(stage));

  it('fits the door-access dialog of the admin’s mappings, warnings and all', async () => {
    assert.ok(stage);
    const page = await narrowPageAs(stage, 'admin');
    await page.goto('/admin/mappings');
    const plans = page.getByRole('region', { name: 'Plans' });
    await plans
      .getByRole('button', { name: /^Edit door access of / })
      .first()
      .click();
    const dialog = page.getByRole('dialog', { name: /^Door access of / });
    await dialog.getByRole('group', { name: 'Door access' }).waitFor();
    await screenshot(page, 'narrow-mappings-dialog');
    assert.deepEqual(await overflowing(page), []);
  });

  it('fits a person’s subscriptions with the new-item form open, its door-access picker too', async () => {
    assert.ok(stage);
    const page = await narrowPageAs(stage, 'staff');
    await openPerson(page, 'Mia Keller');
    await page.getByRole('link', { name: 'Subscriptions' }).click();
    await page.getByRole('button', { name: 'Add item…' }).click();
    const form = page.getByRole('form', { name: /^New item of .*, from \d{4}-\d{2}-\d{2}$/ });
    await form.getByLabel('Give this item its own door access instead').check();
    await form.getByRole('group', { name: 'Door access of this item' }).getByText('Groups').waitFor();
    await screenshot(page, 'narrow-subscription-new-item');
    assert.deepEqual(await overflowing(page), []);
  });

  it('fits the Access page', async () => {
    assert.ok(stage);
    const page = await narrowPageAs(stage, 'member');
    await page.goto('/access');
    await page.getByRole('button', { name: /^Unlock Front Door, / }).waitFor();
    await screenshot(page, 'narrow-access');
    assert.deepEqual(await overflowing(page), []);
  });

  it('keeps staff tables whole: no word broken, no button cut off', async () => {
    assert.ok(stage);
    const admin = await narrowPageAs(stage, 'admin');
    for (const [path, ready] of [
      ['/admin/sync', 'Queue by kind'],
      ['/admin/audit', 'Audit log'],
      ['/admin/accounts', 'Accounts'],
    ] as const) {
      await admin.goto(path);
      await admin.getByText(ready).first().waitFor();
      await admin.locator('.table, p.muted:has(strong)').first().waitFor();
      assert.deepEqual(await squeezed(admin), [], `${path} at 400 px`);
      assert.deepEqual(await overflowing(admin), [], `${path} at 400 px`);
    }
    await screenshot(admin, 'narrow-accounts');
    const staff = await narrowPageAs(stage, 'staff');
    await openPerson(staff, 'Mia Keller');
    const person = staff.url();
    for (const tab of ['access', 'bookings']) {
      await staff.goto(`${person}/${tab}`);
      await staff.locator('.table').first().waitFor();
      assert.deepEqual(await squeezed(staff), [], `a person’s ${tab} tab at 400 px`);
      assert.deepEqual(await overflowing(staff), [], `a person’s ${tab} tab at 400 px`);
    }
    await screenshot(staff, 'narrow-person-bookings');
  });
});
