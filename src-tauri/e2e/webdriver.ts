/**
 * A minimal W3C WebDriver client for Debian's WebKitWebDriver driving the real desktop app
 * (desktop-build.md: `TAURI_WEBVIEW_AUTOMATION=true` and the `webkitgtk:browserOptions` capability
 * naming the app's binary; no tauri-driver needed). Every wait is bounded.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';


export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Driver {
  url: string;
  process: ChildProcess;
  log: () => string;
  stop: () => Promise<void>;
}

/** Starts WebKitWebDriver with `env` (the app it launches inherits it). */
export async function startDriver(env: NodeJS.ProcessEnv): Promise<Driver> {
  const port = await freePort();
  const child = spawn('WebKitWebDriver', [`--port=${port}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor('WebKitWebDriver to answer', 10_000, async () => {
    try {
      const response = await fetch(`${url}/status`);
      return response.ok;
    } catch {
      return false;
    }
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // The apps this driver launched: one that outlives its session would keep the driver's
    // output pipe (and so this test process) open.
    const apps = childPids(child.pid);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    // A driver busy closing its app gets a moment, then no more.
    const impatient = setTimeout(() => child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(impatient);
    for (const pid of apps) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        continue; // already gone
      }
      // Gone before the caller removes the folders it writes to.
      await waitFor(`app process ${pid} to end`, 3_000, async () => !isAlive(pid)).catch(() => undefined);
    }
  };
  return { url, process: child, log: () => output, stop };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The direct children of `pid` (Linux `ps`), or none when it cannot tell. */
function childPids(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((child) => Number.isInteger(child) && child > 0);
  } catch {
    return []; // `ps` exits 1 when there are none
  }
}

/** Polls `check` every 100 ms until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | false | null | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

export class Session {
  constructor(
    readonly driverUrl: string,
    readonly id: string,
  ) {}

  /** Launches the app (the session's "browser") with `args`. */
  static async launch(driverUrl: string, binary: string, args: string[]): Promise<Session> {
    const answer = await command(driverUrl, 'POST', '/session', {
      capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary, args } } },
    });
    return new Session(driverUrl, (answer as { sessionId: string }).sessionId);
  }

  private call(method: string, path: string, body?: unknown) {
    return command(this.driverUrl, method, `/session/${this.id}${path}`, body);
  }

  /** The first element matching `css`, or null. */
  async find(css: string): Promise<string | null> {
    const found = (await this.call('POST', '/elements', { using: 'css selector', value: css })) as Record<string, string>[];
    // A W3C element reference is an object with one key (the spec's element identifier).
    const first = found[0];
    return first ? (Object.values(first)[0] ?? null) : null;
  }

  waitForElement(css: string, timeoutMs = 15_000): Promise<string> {
    return waitFor(`an element ${css}`, timeoutMs, () => this.find(css));
  }

  async type(element: string, text: string) {
    await this.call('POST', `/element/${element}/value`, { text });
  }

  async click(element: string) {
    await this.call('POST', `/element/${element}/click`, {});
  }

  async text(element: string): Promise<string> {
    return (await this.call('GET', `/element/${element}/text`)) as string;
  }

  async attribute(element: string, name: string): Promise<string | null> {
    return (await this.call('GET', `/element/${element}/attribute/${name}`)) as string | null;
  }

  async pageText(): Promise<string> {
    const body = await this.waitForElement('body');
    return this.text(body);
  }

  async refresh() {
    await this.call('POST', '/refresh', {});
  }

  /** The window's place and size (WebDriver's window rect, in CSS pixels). */
  async rect(): Promise<{ x: number; y: number; width: number; height: number }> {
    return (await this.call('GET', '/window/rect')) as { x: number; y: number; width: number; height: number };
  }

  async setRect(rect: { x?: number; y?: number; width?: number; height?: number }) {
    await this.call('POST', '/window/rect', rect);
  }

  /** A PNG of the window. */
  async screenshot(): Promise<Buffer> {
    return Buffer.from((await this.call('GET', '/screenshot')) as string, 'base64');
  }

  /** Closes the app. */
  async close() {
    await this.call('DELETE', '');
  }
}

async function command(driverUrl: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${driverUrl}${path}`, {
    signal: AbortSignal.timeout(60_000),
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = (await response.json()) as { value: unknown };
  if (!response.ok) {
    throw new Error(`WebDriver ${method} ${path} answered ${response.status}: ${JSON.stringify(answer.value)}`);
  }
  return answer.value;
}
