/**
 * Starts `doorlink demo --port 0` (the binary `tests/run` built; this harness builds nothing),
 * waits for its printout, and stops it again. Each spec file gets its own demo: a fresh space,
 * so scenarios never see each other's changes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isComplete, missingPieces, parseDemoOutput, type DemoOutput } from './demoOutput';

const UI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const REPO_DIR = resolve(UI_DIR, '..');

/** Where `cargo build` put the binary: DOORLINK_BIN, else `$CARGO_TARGET_DIR/debug/doorlink`. */
export function doorlinkBinary(): string {
  const explicit = process.env.DOORLINK_BIN;
  if (explicit) return explicit;
  const target = process.env.CARGO_TARGET_DIR ?? join(REPO_DIR, 'target');
  return join(target, 'debug', 'doorlink');
}

export interface RunningDemo extends DemoOutput {
  /** Everything the demo printed so far (for failure messages). */
  log: () => string;
  stop: () => Promise<void>;
}

const START_TIMEOUT_MS = Number(process.env.DOORLINK_DEMO_TIMEOUT_MS ?? 120_000);

export async function startDemo(): Promise<RunningDemo> {
  const binary = doorlinkBinary();
  if (!existsSync(binary)) {
    throw new Error(`${binary} does not exist: build it first (cargo build -p doorlink-cli) or set DOORLINK_BIN.`);
  }
  const dist = join(UI_DIR, 'dist');
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error(`${dist} has no index.html: build the UI first (npm run build in ui/), then the binary.`);
  }
  const home = mkdtempSync(join(tmpdir(), 'doorlink-e2e-'));
  // Started far from the repository and told nothing about ui/dist: the demo serves the UI built
  // into the binary (issue 17, point 15), so every scenario here proves it finds its UI.
  // While working on the UI alone, DOORLINK_E2E_UI_DIST=ui/dist serves a fresh build without
  // rebuilding the binary (never set in tests/run).
  const env = { ...process.env };
  delete env.DOORLINK_UI_DIST;
  if (process.env.DOORLINK_E2E_UI_DIST) env.DOORLINK_UI_DIST = resolve(process.env.DOORLINK_E2E_UI_DIST);
  const child = spawn(binary, ['demo', '--port', '0'], {
    cwd: home,
    env: {
      ...env,
      HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
      RUST_LOG: process.env.RUST_LOG ?? 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const stop = () => stopProcess(child).finally(() => rmSync(home, { recursive: true, force: true }));
  try {
    const printed = await waitForPrintout(child, () => output);
    return { ...printed, log: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForPrintout(child: ChildProcess, output: () => string): Promise<DemoOutput> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`doorlink demo exited with ${child.exitCode} before it was ready:\n${output()}`);
    }
    const parsed = parseDemoOutput(output());
    if (isComplete(parsed)) return parsed;
    await new Promise((r) => setTimeout(r, 200));
  }
  const missing = missingPieces(parseDemoOutput(output())).join(', ');
  throw new Error(`doorlink demo did not print ${missing} within ${START_TIMEOUT_MS} ms:\n${output()}`);
}

/** Ctrl-C as a person would, then a hard stop if the demo does not end within 10 s. */
function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(hard);
      resolveStop();
    });
    child.kill('SIGINT');
  });
}
