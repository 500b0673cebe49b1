/**
 * Debian's chromium driven by playwright-core: no browser download, a fresh profile per launch
 * (Playwright makes one), each person in their own context (own cookies), screenshots as
 * artifacts in `artifacts/ui/`.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { SignIn } from './demoOutput';

const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../artifacts/ui');

export const CHROMIUM = process.env.DOORLINK_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/**
 * A browser with a real profile in `profileDir` (not incognito like `launchBrowser`'s contexts):
 * what Chromium needs before it will call a site installable.
 */
export function launchWithProfile(
  profileDir: string,
  hubUrl: string,
  viewport: { width: number; height: number },
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    baseURL: hubUrl,
    viewport,
    timezoneId: BROWSER_ZONE,
    locale: BROWSER_LOCALE,
  });
}

/**
 * The browser's own zone in every test unless one asks for another: never the demo location's
 * (Europe/Berlin), so a page that shows the browser's time instead of the location's fails.
 */
export const BROWSER_ZONE = 'America/New_York';

/** And a locale whose own clock is 12-hour, so a page that lets the browser format times shows "PM". */
export const BROWSER_LOCALE = 'en-US';

/** A page for one person, signed in to the hub at `hubUrl`, 1280×800 like the brief asks. */
export async function signedInPage(
  browser: Browser,
  hubUrl: string,
  who: SignIn,
  timezoneId = BROWSER_ZONE,
): Promise<Page> {
  const context = await browser.newContext({
    baseURL: hubUrl,
    viewport: { width: 1280, height: 800 },
    timezoneId,
    locale: BROWSER_LOCALE,
  });
  return signIn(await context.newPage(), who);
}

/** Signs `who` in on `page`, as a person would on the sign-in page; answers the page. */
export async function signIn(page: Page, who: SignIn): Promise<Page> {
  page.setDefaultTimeout(15_000);
  await page.goto('/sign-in');
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

/** Saves `artifacts/ui/<name>.png` (the folder is gitignored). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
