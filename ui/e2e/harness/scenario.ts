/**
 * What every scenario shares: one demo and one browser per spec file, the people of the demo
 * space, and waiting for the hub's sync instead of sleeping.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchBrowser, signedInPage } from './browser';
import { startDemo, type RunningDemo } from './demo';

/** The demo location's zone (crates/cli demo_space::names::TIME_ZONE). */
export const DEMO_ZONE = 'Europe/Berlin';

export interface Stage {
  demo: RunningDemo;
  browser: Browser;
  /** One browser context per demo sign-in, signed in once: the hub allows 5 sign-ins a minute. */
  sessions: Map<Role, BrowserContext>;
}

export type Role = 'admin' | 'staff' | 'member';

/** A fresh page for `role`, in that person's own signed-in browser context. */
export async function pageAs(stage: Stage, role: Role): Promise<Page> {
  const existing = stage.sessions.get(role);
  if (existing) {
    const page = await existing.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  }
  const who = stage.demo.signIns[role];
  if (!who) throw new Error(`doorlink demo printed no ${role} sign-in`);
  const page = await signedInPage(stage.browser, stage.demo.hubUrl, who);
  stage.sessions.set(role, page.context());
  return page;
}

export async function openStage(): Promise<Stage> {
  const demo = await startDemo();
  try {
    return { demo, browser: await launchBrowser(), sessions: new Map() };
  } catch (error) {
    await demo.stop();
    throw error;
  }
}

export async function closeStage(stage: Stage | undefined): Promise<void> {
  await stage?.browser.close().catch(() => undefined);
  await stage?.demo.stop();
}

/** The Kisi owner of the emulator's demo seed, as an admin would type it when connecting. */
export function kisiOwner(): { email: string; password: string; domain: string } {
  const seedPath = resolve(dirname(fileURLToPath(import.meta.url)), '../../../crates/kisi-emulator/seeds/demo.json');
  const seed = JSON.parse(readFileSync(seedPath, 'utf8')) as {
    organization: { domain: string };
    owner: { email: string; password: string };
  };
  return { email: seed.owner.email, password: seed.owner.password, domain: seed.organization.domain };
}

/**
 * Reloads `page` until `ready` resolves true: the hub syncs in the background and a person
 * would reload too. Fails with `what` after `timeoutMs`.
 */
export async function reloadUntil(
  page: Page,
  what: string,
  ready: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ready()) return;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms`);
    await page.waitForTimeout(1000);
    await page.reload();
  }
}

/** "HH:MM" in the demo zone, computed here independently of the UI's own formatting. */
export function wallTime(instant: Date, zone = DEMO_ZONE): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(instant);
}

/**
 * What the Access page should say for a window closing at `until` (seen at `now`), worked out here
 * from the product's wording rather than with the UI's own formatter: "until 16:30" the same day,
 * "until midnight" at the day's end, "until tomorrow 00:10" after it.
 */
export function expectedUntil(until: Date, now: Date, zone = DEMO_ZONE): string {
  const day = (instant: Date) => dateTimeLocal(instant, zone).slice(0, 10);
  const time = wallTime(until, zone);
  if (day(until) === day(now)) return `until ${time}`;
  if (time === '00:00') return 'until midnight';
  return `until tomorrow ${time}`;
}

/** "YYYY-MM-DDTHH:MM" in the demo zone, what a datetime-local field takes. */
export function dateTimeLocal(instant: Date, zone = DEMO_ZONE): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/**
 * Types `instant` into the moment field named `label` (e.g. /^Start/) inside `scope`, in `zone`:
 * its date in the browser's calendar field, its time as a person types it, 24-hour.
 */
export async function fillMoment(
  scope: Page | Locator,
  label: RegExp | string,
  instant: Date,
  zone = DEMO_ZONE,
): Promise<void> {
  const field = scope.getByRole('group', { name: label });
  const [date, time] = dateTimeLocal(instant, zone).split('T');
  await field.getByLabel('Date').fill(date ?? '');
  await field.getByLabel('Time').fill(time ?? '');
}

/** Staff find `personName` on People and open their page, as they would at the desk. */
export async function openPerson(staff: Page, personName: string): Promise<void> {
  await staff.goto('/desk/people');
  await staff.getByLabel('Find a person').fill(personName);
  await staff
    .getByRole('list', { name: 'People found' })
    .getByRole('link', { name: new RegExp(personName) })
    .click();
  await staff.getByRole('heading', { name: personName }).waitFor();
}

/** Staff invite `personName` from their page; answers the invitation link. */
export async function inviteFromFrontDesk(staff: Page, personName: string): Promise<string> {
  await openPerson(staff, personName);
  await staff.getByRole('button', { name: 'Invite to sign in…' }).click();
  await staff.getByRole('button', { name: 'Create invitation' }).click();
  const link = await staff.getByLabel('Invitation link').inputValue();
  await staff.getByRole('button', { name: 'Done' }).click();
  return link;
}

/** The invited person opens the link in their own browser, sets a password and lands on their page. */
export async function redeemInvitation(browser: Browser, link: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(link);
  await page.getByLabel('Password', { exact: true }).fill('a-long-enough-password');
  await page.getByLabel('Password again').fill('a-long-enough-password');
  await page.getByRole('button', { name: 'Set password and sign in' }).click();
  await page.getByRole('heading', { name: 'Access', level: 1 }).waitFor();
  return page;
}
