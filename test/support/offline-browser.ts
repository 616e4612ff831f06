// Headless Debian Chromium (driven by playwright-core) that can reach 127.0.0.1 only, recording every request that tried to leave.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's `chromium` package; the tests never download a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a quiet, sandbox-less headless run: no GPU, no QUIC, no background traffic of Chromium's own. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The only host pages may reach: the test's own servers. */
const ALLOWED_HOST = '127.0.0.1';

export interface OfflineBrowser {
  /** A new tab in the browser's one context. */
  newPage(): Promise<Page>;
  /** Every URL the browser requested (pages, assets, fetches, workers' imports), in order. */
  readonly requested: readonly string[];
  /** URLs whose host was not 127.0.0.1: aborted as if the network were down. */
  readonly blocked: readonly string[];
  /** Closes the browser and removes its profile directory. */
  close(): Promise<void>;
}

/**
 * Launches Chromium with a fresh profile, routing every HTTP(S) and WebSocket request: those for 127.0.0.1
 * go through, all others are recorded and aborted with `internetdisconnected`. Throws, naming the package
 * to install, when Debian's Chromium is missing: a browser test must fail, never skip, without its browser.
 */
export async function launchOfflineBrowser(): Promise<OfflineBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: run \`apt-get install chromium\` (the browser tests use Debian's package, never a downloaded browser)`,
    );
  }
  const profileDir = await mkdtemp(join(tmpdir(), 'fanout-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
    });
  } catch (error) {
    await rm(profileDir, { recursive: true, force: true });
    throw error;
  }
  const requested: string[] = [];
  const blocked: string[] = [];
  context.on('request', (request) => requested.push(request.url()));
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isAllowed(url)) return route.continue();
    blocked.push(url);
    return route.abort('internetdisconnected');
  });
  await context.routeWebSocket(/.*/, (socket) => {
    if (isAllowed(socket.url())) return socket.connectToServer();
    blocked.push(socket.url());
    return socket.close({ code: 1008, reason: 'offline test: only 127.0.0.1 is reachable' });
  });
  return {
    newPage: () => context.newPage(),
    requested,
    blocked,
    async close() {
      try {
        await context.close();
      } finally {
        await rm(profileDir, { recursive: true, force: true });
      }
    },
  };
}

/** Private: data: and blob: URLs never reach the network; any other scheme must name 127.0.0.1. */
function isAllowed(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:') return true;
  return hostname === ALLOWED_HOST;
}
