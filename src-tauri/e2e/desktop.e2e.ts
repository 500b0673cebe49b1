/**
 * The real desktop app, end to end: `doorlink demo` (Kisi emulator + hub on loopback), the built
 * `doorlink-desktop` launched under Xvfb by WebKitWebDriver. It starts with no saved mode: the
 * first-start screen asks how the computer is used; "Sign in to a hub" with the demo hub's address;
 * the member signs in, sees the Front Door, unlocks it, Kisi's event log names them (A4) and the
 * admin's audit log (read through the hub's API) has the member's unlock from the desktop
 * (A4). The Settings page shows the hub. Then the app is closed, the hub stopped,
 * and the app started again: the Access page shows the cached doors at once, as last confirmed,
 * and says unlocking needs a connection (A6). The second start is timed (cold start to the Access
 * page rendered from the cache). On a second, fresh computer the app becomes the front desk: its
 * own hub has no account, so the first admin is created on the first-start screen and signed in.
 * Screenshots go to artifacts/desktop/.
 *
 * Run by tests/run under `xvfb-run`; needs the `doorlink` and `doorlink-desktop` binaries and
 * ui/dist built first (this script builds nothing).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startDemo, type RunningDemo } from '../../ui/e2e/harness/demo';
import { Session, startDriver, waitFor, type Driver } from './webdriver';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ARTIFACTS = join(REPO, 'artifacts', 'desktop');
const APP =
  process.env.DOORLINK_DESKTOP_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(REPO, 'target'), 'debug', 'doorlink-desktop');

const FRONT_DOOR = 'button[aria-label^="Unlock Front Door"]';
/** A size other than tauri.conf.json's 1100 × 760, to see it come back after a restart. */
const WINDOW = { width: 900, height: 640 };
const FIRST_START = '[data-first-start] form[data-testid="choose-mode"]';

/** On failure: what the window showed, its text, and what the driver and the app logged. */
async function evidence(session: Session | undefined, driver: Driver | undefined, name: string): Promise<string> {
  const parts: string[] = [];
  if (session) {
    await session.screenshot().then((png) => save(name, png), () => undefined);
    parts.push(`page: ${await session.pageText().catch((e: unknown) => String(e))}`);
  }
  if (driver) parts.push(`driver and app log (tail): ${driver.log().slice(-4000)}`);
  return parts.join('\n');
}

async function withEvidence<T>(name: string, session: () => Session | undefined, driver: Driver | undefined, step: () => Promise<T>) {
  try {
    return await step();
  } catch (error) {
    throw new Error(`${String(error)}\n${await evidence(session(), driver, name)}`);
  }
}

interface KisiEvent {
  object_name?: string | null;
  actor_name?: string | null;
  actor_email?: string | null;
  success?: boolean | null;
}

/** Kisi's event log as the emulator keeps it (its control API, never authenticated). */
async function emulatorEvents(kisiUrl: string): Promise<KisiEvent[]> {
  const response = await fetch(`${kisiUrl}/__emulator/state`);
  assert.ok(response.ok, `the Kisi emulator answered ${response.status} to GET /__emulator/state`);
  return ((await response.json()) as { events: KisiEvent[] }).events;
}

interface AuditEntry {
  person_id: number | null;
  operation: string;
  outcome: string;
}

/** The admin's audit log through the hub's API, as the admin page reads it (cookie + sign-in). */
async function auditLogAsAdmin(hubUrl: string, admin: { email: string; password: string }): Promise<AuditEntry[]> {
  const signIn = await fetch(`${hubUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(admin),
  });
  assert.ok(signIn.ok, `the admin signs in at the hub: ${signIn.status}`);
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const response = await fetch(`${hubUrl}/api/audit?limit=200`, { headers: { cookie } });
  assert.ok(response.ok, `the hub answered ${response.status} to GET /api/audit`);
  return ((await response.json()) as { entries: AuditEntry[] }).entries;
}

/** The person of `email`, as the front desk finds them (GET /api/people?search=). */
async function personIdOf(hubUrl: string, admin: { email: string; password: string }, email: string): Promise<number> {
  const signIn = await fetch(`${hubUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(admin),
  });
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const response = await fetch(`${hubUrl}/api/people?search=${encodeURIComponent(email)}`, { headers: { cookie } });
  const page = (await response.json()) as { items: { id: number; email: string }[] };
  const person = page.items.find((p) => p.email === email);
  assert.ok(person, `the hub knows ${email}: ${JSON.stringify(page)}`);
  return person.id;
}

/** When (epoch ms) the last launched app process started, as it logged it ("starting"). */
function appProcessStartedAt(driver: Driver): number | undefined {
  const starts = [...driver.log().matchAll(/process_started_at_ms\S*?(\d{13})/g)];
  const last = starts[starts.length - 1];
  return last ? Number(last[1]) : undefined;
}

function save(name: string, png: Buffer) {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, `${name}.png`), png);
}

describe('the desktop app', () => {
  let demo: RunningDemo | undefined;
  let driver: Driver | undefined;
  let session: Session | undefined;
  let home = '';

  before(async () => {
    assert.ok(existsSync(APP), `${APP} does not exist: cargo build -p doorlink-desktop first`);
    demo = await startDemo();
    home = mkdtempSync(join(tmpdir(), 'doorlink-desktop-e2e-'));
    driver = await startDriver({
      PATH: process.env.PATH,
      DISPLAY: process.env.DISPLAY,
      XAUTHORITY: process.env.XAUTHORITY,
      TAURI_WEBVIEW_AUTOMATION: 'true',
      HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
      DOORLINK_DESKTOP_DATA_DIR: join(home, 'doorlink'),
      RUST_LOG: process.env.RUST_LOG ?? 'info',
    });
  });

  after(async () => {
    const timed = (what: string, step: Promise<unknown> | undefined) =>
      Promise.race([step, new Promise((resolve) => setTimeout(resolve, 10_000))]).catch((error: unknown) =>
        console.log(`cleanup: ${what} failed: ${String(error)}`),
      );
    await timed('closing the app', session?.close());
    await timed('stopping WebKitWebDriver', driver?.stop());
    await timed('stopping the demo', demo?.stop());
    // WebKit may still be writing its caches as it exits: retry, and never fail the run over it.
    await timed('removing the temporary home', (async () => {
      if (home) rmSync(home, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
    })());
  });

  it('first asks how the computer is used, signs the member in to the hub, unlocks, and Kisi and the audit log name the member', async () => {
    assert.ok(demo && driver);
    const member = demo.signIns.member;
    const admin = demo.signIns.admin;
    assert.ok(member && admin, 'doorlink demo printed the member and admin sign-ins');
    const app = await Session.launch(driver.url, APP, []);
    session = app;
    await withEvidence('failed-first-start', () => session, driver, async () => {
      await app.waitForElement(FIRST_START, 30_000);
      const text = await app.pageText();
      assert.match(text, /How will you use Doorlink on this computer\?/);
      assert.match(text, /This computer is the front desk/);
      await new Promise((resolve) => setTimeout(resolve, 300));
      save('first-start', await app.screenshot());
      await app.click(await app.waitForElement('#mode-remote-hub'));
      await app.type(await app.waitForElement('input[name="hub-url"]'), demo?.hubUrl ?? '');
      await app.click(await app.waitForElement(`${FIRST_START} button[type=submit]`));
    });
    await withEvidence('failed-sign-in', () => session, driver, async () => {
      await app.type(await app.waitForElement('input[type=email]', 30_000), member.email);
      await app.type(await app.waitForElement('input[type=password]'), member.password);
      await app.click(await app.waitForElement('button[type=submit]'));
      await app.click(await app.waitForElement(FRONT_DOOR, 30_000));
      await app.waitForElement(`li.door[data-state="unlocked"]:has(${FRONT_DOOR})`, 15_000);
    });
    // Let the window paint the feedback before it is captured.
    await new Promise((resolve) => setTimeout(resolve, 500));
    save('unlocked', await app.screenshot());

    const events = await emulatorEvents(demo.kisiUrl);
    // The latest: the demo's morning at the doors (other people's taps) comes first in Kisi's log.
    const unlock = [...events].reverse().find((e) => e.object_name === 'Front Door' && e.success === true);
    assert.ok(unlock, `Kisi logged the unlock: ${JSON.stringify(events.slice(0, 3))}`);
    assert.match(String(unlock.actor_name ?? unlock.actor_email), /Mia Keller|mia@harbor\.example/);

    // Contract 4: the app reported the unlock, and the admin's audit log names the member's.
    const hubUrl = demo.hubUrl;
    const personId = await personIdOf(hubUrl, admin, member.email);
    const reported = await waitFor('the desktop unlock in the audit log', 20_000, async () => {
      const entries = await auditLogAsAdmin(hubUrl, admin);
      return entries.find((e) => e.person_id === personId && /from the desktop app/.test(e.operation) && e.outcome === 'succeeded');
    });
    assert.match(reported.operation, new RegExp(`for person ${personId} from the desktop app`));

    // The Settings page (desktop only) shows the hub, start at login and where secrets are kept.
    await withEvidence('failed-settings', () => session, driver, async () => {
      await app.click(await app.waitForElement('a[href="/settings"]'));
      await app.waitForElement('[data-settings-page] [data-secrets-backend]', 15_000);
      const text = await app.pageText();
      assert.ok(text.includes(`This computer signs in to the hub at ${hubUrl}`), text);
      assert.match(text, /Start Doorlink when I log in to this computer/);
      assert.match(text, /kept in (this computer’s keychain|an encrypted file)/);
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    save('settings', await app.screenshot());

    // The window's size is kept (tauri-plugin-store, saved once a resize has settled).
    await app.setRect({ width: WINDOW.width, height: WINDOW.height });
    const saved = await waitFor('the window size in the settings store', 10_000, async () => {
      const store = join(home, 'doorlink', 'settings.json');
      if (!existsSync(store)) return undefined;
      const window = (JSON.parse(readFileSync(store, 'utf8')) as { window?: { width: number; height: number } }).window;
      return window?.width === WINDOW.width ? window : undefined;
    });
    assert.equal(saved.height, WINDOW.height);
  });

  it('starts again with the hub stopped and shows the cached doors as last confirmed', async () => {
    assert.ok(demo && driver && session);
    await session.close();
    session = undefined;
    await demo.stop();
    demo = undefined;

    const started = performance.now();
    const app = await Session.launch(driver.url, APP, []);
    session = app;
    await withEvidence('failed-cached-start', () => session, driver, () =>
      app.waitForElement(`html[data-access-from-cache] ${FRONT_DOOR}`, 30_000),
    );
    const coldStartMs = performance.now() - started;
    const handedAt = Number(await app.attribute(await app.waitForElement('html'), 'data-access-from-cache'));
    const processStartedAt = appProcessStartedAt(driver);
    const startLines = driver.log().split('\n').filter((line) => /Doorlink desktop start/.test(line)).slice(-2);
    console.log(`app log:\n${startLines.join('\n')}\npage handed at ${new Date(handedAt).toISOString()}`);
    console.log(
      `cold start to the Access page rendered from the cache: ${coldStartMs.toFixed(0)} ms through WebDriver; ` +
        `app process start to cached page handed to the UI: ${processStartedAt ? `${handedAt - processStartedAt} ms` : 'unknown'}`,
    );

    await session.waitForElement('html[data-access-source="offline"]', 30_000);
    const text = await waitFor('the offline notice', 15_000, async () => {
      const page = await session?.pageText();
      return page?.includes('Unlocking needs a connection') ? page : undefined;
    });
    assert.match(text, /last confirmed/);
    const cachedDoor = await session.find(FRONT_DOOR);
    assert.ok(cachedDoor, 'the cached Front Door is still listed');
    assert.notEqual(
      await session.attribute(cachedDoor, 'disabled'),
      null,
      'offline, the door cannot be pressed: unlocking needs a connection (A6)',
    );
    save('offline', await session.screenshot());
    // Still offline after the screenshot, while the app's live events keep retrying: the page must
    // not take a retry (or its own cache) for the hub being back.
    assert.match((await session.pageText()) ?? '', /Offline/, 'the badge still says Offline');
    assert.notEqual(await session.attribute(cachedDoor, 'disabled'), null, 'the door still cannot be pressed');

    const rect = await session.rect();
    assert.deepEqual({ width: rect.width, height: rect.height }, WINDOW, 'the window came back at its saved size');
  });
});

describe('the desktop app as the front desk of a fresh computer', () => {
  let driver: Driver | undefined;
  let session: Session | undefined;
  let home = '';
  const admin = { name: 'Ada Okafor', email: 'ada@harbor.example', password: 'a long front desk password' };

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'doorlink-desktop-e2e-front-desk-'));
    driver = await startDriver({
      PATH: process.env.PATH,
      DISPLAY: process.env.DISPLAY,
      XAUTHORITY: process.env.XAUTHORITY,
      TAURI_WEBVIEW_AUTOMATION: 'true',
      HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
      DOORLINK_DESKTOP_DATA_DIR: join(home, 'doorlink'),
      RUST_LOG: process.env.RUST_LOG ?? 'info',
    });
  });

  after(async () => {
    const timed = (what: string, step: Promise<unknown> | undefined) =>
      Promise.race([step, new Promise((resolve) => setTimeout(resolve, 10_000))]).catch((error: unknown) =>
        console.log(`cleanup: ${what} failed: ${String(error)}`),
      );
    await timed('closing the app', session?.close());
    await timed('stopping WebKitWebDriver', driver?.stop());
    await timed('removing the temporary home', (async () => {
      if (home) rmSync(home, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
    })());
  });

  it('creates the first admin of its own hub on the first-start screen and signs them in', async () => {
    assert.ok(driver);
    const app = await Session.launch(driver.url, APP, []);
    session = app;
    await withEvidence('failed-front-desk-choice', () => session, driver, async () => {
      await app.click(await app.waitForElement('#mode-front-desk', 30_000));
      await app.click(await app.waitForElement(`${FIRST_START} button[type=submit]`));
    });
    const form = '[data-first-admin] form[data-testid="first-admin"]';
    await withEvidence('failed-first-admin', () => session, driver, async () => {
      await app.type(await app.waitForElement(`${form} input[name="name"]`, 30_000), admin.name);
      assert.match(await app.pageText(), /At least 10 characters/);
      await app.type(await app.waitForElement(`${form} input[name="email"]`), admin.email);
      await app.type(await app.waitForElement(`${form} input[name="password"]`), admin.password);
      await app.type(await app.waitForElement(`${form} input[name="repeat"]`), admin.password);
      // Let the window paint what was typed before it is captured.
      await new Promise((resolve) => setTimeout(resolve, 300));
      save('first-admin', await app.screenshot());
      await app.click(await app.waitForElement(`${form} button[type=submit]`));
      await app.click(await app.waitForElement('a[href="/settings"]', 30_000));
      await app.waitForElement('[data-settings-page] [data-secrets-backend]', 15_000);
      const text = await app.pageText();
      assert.match(text, /This computer is the front desk/);
      assert.ok(text.includes(admin.email), text);
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    save('front-desk-settings', await app.screenshot());
  });
});
