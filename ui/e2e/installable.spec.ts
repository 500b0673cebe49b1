/**
 * The member's portal on a phone (issue 17, point 14): an installable web app whose offline shell
 * still opens without a connection and shows the last doors the hub confirmed (A6), one big
 * button per door. Adversaries: the network gone between two visits (the page is reloaded with
 * no hub to answer), a browser that judges installability itself (Chromium's own check, not our
 * reading of the manifest), and a shared phone after the member signed out.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { checkAccessibility } from './harness/axe';
import { launchWithProfile, screenshot, signedInPage, signIn } from './harness/browser';
import { closeStage, openStage, type Stage } from './harness/scenario';

const PHONE = { width: 390, height: 844 };

async function memberOnPhone(stage: Stage): Promise<Page> {
  const who = stage.demo.signIns.member;
  assert.ok(who, 'the demo printed a member sign-in');
  const page = await signedInPage(stage.browser, stage.demo.hubUrl, who);
  await page.setViewportSize(PHONE);
  return page;
}

/** Waits until the offline shell controls the page (it does from the first reload after install). */
async function shellInControl(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

describe('the portal as an app on a phone', () => {
  let stage: Stage | undefined;
  before(async () => {
    stage = await openStage();
  });
  after(() => closeStage(stage));

  it('is installable by Chromium’s own judgement, with the icons it names', async () => {
    assert.ok(stage);
    const who = stage.demo.signIns.member;
    assert.ok(who);
    // Chromium never offers to install from an incognito context (every `newContext` is one).
    const profile = mkdtempSync(join(tmpdir(), 'doorlink-profile-'));
    const context = await launchWithProfile(profile, stage.demo.hubUrl, PHONE);
    try {
      const page = await signIn(await context.newPage(), who);
      await page.goto('/access');
      await page.getByRole('button', { name: /^Unlock Front Door, / }).waitFor();
      await shellInControl(page);

      const manifest = (await (await page.request.get('/manifest.webmanifest')).json()) as {
        name: string;
        start_url: string;
        display: string;
        icons: { src: string; sizes: string; type: string }[];
      };
      assert.equal(manifest.display, 'standalone');
      assert.equal(manifest.start_url, '/access');
      for (const size of ['192x192', '512x512']) {
        const icon = manifest.icons.find((i) => i.sizes === size && i.type === 'image/png');
        assert.ok(icon, `a ${size} PNG icon`);
        const answer = await page.request.get(icon.src);
        assert.equal(answer.headers()['content-type'], 'image/png', `${icon.src} is served as a PNG`);
      }

      const cdp = await page.context().newCDPSession(page);
      const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
        installabilityErrors: { errorId: string }[];
      };
      assert.deepEqual(
        installabilityErrors.map((e) => e.errorId),
        [],
        'Chromium finds nothing in the way of installing',
      );
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });

  it('opens offline with the last confirmed doors, one big button each', async () => {
    assert.ok(stage);
    const page = await memberOnPhone(stage);
    await page.goto('/access');
    const doors = page.locator('.door-button');
    await page.getByRole('button', { name: /^Unlock Front Door, / }).waitFor();
    await shellInControl(page);
    const online = await doors.count();
    assert.ok(online >= 2, `the demo member has doors (${online})`);

    await page.context().setOffline(true);
    try {
      await page.reload();
      await page.getByText('You are offline.').waitFor();
      await page.getByText(/These are your doors as last confirmed/).waitFor();
      assert.equal(await doors.count(), online, 'every door confirmed online is still shown');
      for (const box of await Promise.all((await doors.all()).map((door) => door.boundingBox()))) {
        assert.ok(box, 'each door is on screen');
        assert.ok(box.width >= PHONE.width - 64, `one door per row, nearly the phone's width (${box.width} px)`);
        assert.ok(box.height >= 56, `a big target (${box.height} px)`);
      }
      assert.ok(await page.getByRole('button', { name: /Front Door, / }).isDisabled(), 'unlocking needs the hub');
      const axe = await checkAccessibility(page);
      assert.deepEqual(axe.blocking, [], 'no serious or critical accessibility problem offline');
      await screenshot(page, 'member-offline-phone');
    } finally {
      await page.context().setOffline(false);
    }
    await page.reload();
    await page.getByRole('button', { name: /^Unlock Front Door, / }).waitFor();
  });

  it('keeps nothing of a member who signed out on a shared phone', async () => {
    assert.ok(stage);
    const page = await memberOnPhone(stage);
    await page.goto('/access');
    await page.getByRole('button', { name: /^Unlock Front Door, / }).waitFor();
    await shellInControl(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('E-mail').waitFor();

    await page.context().setOffline(true);
    try {
      await page.goto('/access');
      await page.getByLabel('E-mail').waitFor();
      assert.equal(await page.locator('.door-button').count(), 0, 'no doors of the signed-out member');
      const kept = await page.evaluate(() =>
        Object.keys(localStorage).filter((key) => key.startsWith('doorlink.access') || key === 'doorlink.account'),
      );
      assert.deepEqual(kept, []);
    } finally {
      await page.context().setOffline(false);
    }
  });
});
