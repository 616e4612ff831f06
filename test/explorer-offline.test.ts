// The explorers with no network but 127.0.0.1: the bundled GraphiQL at /graphiql runs placeOrder, and the Sandbox landing page points to it.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../src/auth/index.js';
import { launchOfflineBrowser, type OfflineBrowser } from './support/offline-browser.js';
import { startTestGateway, type TestGateway } from './support/start-test-gateway.js';
import { waitUntil } from './support/wait-until.js';

const API_KEY = 'fgk_explorer-test-key-0001';
const AUTH_API_KEYS = `explorer:${hashApiKey(API_KEY)}:orders:write`;
/** Git-ignored: screenshots a person can look at after a run. */
const SCREENSHOT_DIR = new URL('../test-results/explorer-offline/', import.meta.url);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Generous: Monaco and its workers start slowly on a loaded machine. */
const UI_TIMEOUT_MS = 45_000;

/** One line: Monaco would auto-close the brackets of a pasted line break. */
const placeOrderMutation = (orderId: string) =>
  `mutation { placeOrder(input: { orderId: "${orderId}", customerId: "CUST-1", items: [{ sku: "SKU-RED-MUG", quantity: 1 }] }) { status inventory { __typename } crm { __typename } } }`;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const baseUrl = (gateway: TestGateway) => gateway.url.replace(/\/graphql$/, '');

/** Private: a Monaco editor of the page, by the model URI GraphiQL gives it (`…-operation.graphql`, …). */
const editor = (page: Page, uriSuffix: string) => page.locator(`.monaco-editor[data-uri$="${uriSuffix}"]`);

/** Private: replaces an editor's whole text the way a person pastes it (no auto-closed brackets). */
async function replaceText(page: Page, target: Locator, text: string, shows: string): Promise<void> {
  await target.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
  await waitUntil(async () => (await shownText(target)).includes(shows), `the editor shows ${shows}`);
}

/** Private: the text as laid out on screen (Monaco renders each line as an element, spaces as U+00A0). */
async function shownText(target: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: what the person sees is the point, line breaks included
  const text = await target.innerText();
  return text.replaceAll('\u00a0', ' ');
}

async function waitForText(target: Locator, text: string, what: string): Promise<void> {
  await waitUntil(async () => (await shownText(target)).includes(text), what, UI_TIMEOUT_MS);
}

/** Private: everything the page keeps in the browser's storage, as one string. */
function storedByPage(page: Page): Promise<string> {
  return page.evaluate<string>('JSON.stringify({ ...localStorage, ...sessionStorage })');
}

async function screenshot(page: Page, name: string): Promise<Buffer> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = new URL(name, SCREENSHOT_DIR);
  await page.screenshot({ path: path.pathname, fullPage: true });
  return readFile(path);
}

describe('explorers in a browser that can reach nothing but 127.0.0.1', () => {
  let browser: OfflineBrowser | undefined;
  let running: TestGateway | undefined;
  let page: Page | undefined;

  beforeAll(async () => {
    browser = await launchOfflineBrowser();
    running = await startTestGateway({ env: { AUTH_API_KEYS } });
  }, 60_000);
  afterEach(async (context) => {
    // What the browser showed when a test failed, for the person reading the failure.
    try {
      if (page && context.task.result?.state === 'fail')
        await screenshot(page, `failed-${context.task.id}.png`);
    } finally {
      await page?.close();
      page = undefined;
    }
  });
  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      await running?.close();
    }
  });

  it('renders GraphiQL from the gateway alone and runs placeOrder with the key typed into its headers editor', async () => {
    if (!browser || !running) throw new Error('beforeAll did not start the browser and the gateway');
    const firstRequest = browser.requested.length;
    const firstBlocked = browser.blocked.length;
    page = await browser.newPage();
    const policyViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) policyViolations.push(message.text());
    });

    // No credentials here: the page and its assets load without them.
    const answer = await page.goto(`${baseUrl(running)}/graphiql`);
    expect(answer?.status()).toBe(200);
    const query = editor(page, '-operation.graphql');
    await query.waitFor({ timeout: UI_TIMEOUT_MS });

    await replaceText(page, query, placeOrderMutation('o-explorer-anonymous'), 'o-explorer-anonymous');
    await page.locator('.graphiql-execute-button').click();
    const result = editor(page, '-response.json');
    await waitForText(result, 'UNAUTHENTICATED', 'the result pane shows the refusal');
    expect(running.inventory.requestCount()).toBe(0);

    await page.getByRole('button', { name: 'Headers' }).click();
    const headers = editor(page, '-request-headers.json');
    await headers.waitFor({ timeout: UI_TIMEOUT_MS });
    await replaceText(page, headers, `{"x-api-key": "${API_KEY}"}`, API_KEY);
    await replaceText(page, query, placeOrderMutation('o-explorer-1'), 'o-explorer-1');
    // GraphiQL's own formatter (graphql-js, in the page) lays it out, one field a line.
    await page.getByRole('button', { name: /^Prettify query/i }).click();
    await waitUntil(async () => /\n\s*status\n/.test(await shownText(query)), 'the query is prettified');
    await query.click();
    await page.keyboard.press('ControlOrMeta+Enter');
    await waitForText(result, 'SUCCEEDED', 'the result pane shows the placed order');

    const shown = await shownText(result);
    expect(shown).toContain('"status": "SUCCEEDED"');
    expect(shown).toContain('"__typename": "StockDeducted"');
    expect(shown).toContain('"__typename": "ActivityLogged"');
    expect(running.inventory.requestCount()).toBeGreaterThan(0);
    // The history GraphiQL saved has the operation, but not the key sent with it.
    const graphiql = page;
    await waitUntil(
      async () => (await storedByPage(graphiql)).includes('o-explorer-1'),
      'GraphiQL saved the operation to its history',
    );
    expect(await storedByPage(page)).not.toContain(API_KEY);
    const png = await screenshot(page, 'graphiql.png');
    expect(png.length).toBeGreaterThan(PNG_SIGNATURE.length);
    expect(png.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)).toBe(true);

    const requests = browser.requested.slice(firstRequest);
    expect(requests.some((url) => url.includes('/graphiql/static/ruru.js'))).toBe(true);
    // Monaco's web workers came from the gateway too.
    expect(requests.some((url) => /\/graphiql\/static\/\w+Worker\.js$/.test(url))).toBe(true);
    expect(requests.every((url) => new URL(url).hostname === '127.0.0.1')).toBe(true);
    expect(browser.blocked.slice(firstBlocked)).toEqual([]);
    expect(policyViolations).toEqual([]);
  }, 120_000);

  it("shows the landing page's link to /graphiql and, with Apollo's CDN unreachable, a message pointing there", async () => {
    if (!browser || !running) throw new Error('beforeAll did not start the browser and the gateway');
    const firstBlocked = browser.blocked.length;
    page = await browser.newPage();

    // A browser's navigation asks for text/html, so Apollo answers with the landing page, without credentials.
    const answer = await page.goto(running.url);
    expect(answer?.status()).toBe(200);
    const unavailable = page.locator('#sandbox-unavailable');
    await unavailable.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await unavailable.textContent()).toContain('Apollo Sandbox could not be loaded');
    expect(await unavailable.locator('a').getAttribute('href')).toBe('/graphiql');
    expect(await page.locator('#explorer-line a').getAttribute('href')).toBe('/graphiql');
    expect(await page.locator('#explorer-line').isVisible()).toBe(true);
    expect(await page.locator('#embeddableSandbox').isVisible()).toBe(false);
    expect(await page.getByText('you might be offline').count()).toBe(0);
    const blockedHosts = browser.blocked.slice(firstBlocked).map((url) => new URL(url).hostname);
    expect(blockedHosts).toContain('embeddable-sandbox.cdn.apollographql.com');
    const png = await screenshot(page, 'landing-page-offline.png');
    expect(png.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)).toBe(true);

    await unavailable.locator('a').click();
    await editor(page, '-operation.graphql').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(new URL(page.url()).pathname).toBe('/graphiql');
  }, 120_000);
});

describe('explorer routes over HTTP', () => {
  let running: TestGateway | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('serves the page without credentials under a policy that allows this origin and its nonced scripts only', async () => {
    running = await startTestGateway({ env: { AUTH_API_KEYS } });
    const response = await fetch(`${baseUrl(running)}/graphiql`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const policy = response.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeDefined();
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'self'");
    // Every source is a keyword, a nonce or data: — never a host.
    const sources = policy.split(';').flatMap((directive) => directive.trim().split(/\s+/).slice(1));
    expect(sources.filter((source) => !/^'.+'$|^data:$/.test(source))).toEqual([]);
    const html = await response.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.every((tag) => tag.includes(`nonce="${nonce}"`))).toBe(true);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    expect(html).toContain('"endpoint": "/graphql"');
    const again = await fetch(`${baseUrl(running)}/graphiql`);
    expect(again.headers.get('content-security-policy')).not.toBe(policy);
  });

  it('serves the bundled assets brotli-compressed or plain, revalidates by ETag, and 404s unknown files', async () => {
    running = await startTestGateway({ env: { AUTH_API_KEYS } });
    const asset = `${baseUrl(running)}/graphiql/static/ruru.js`;
    const plain = await fetch(asset, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toContain('text/javascript');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect((await plain.text()).length).toBeGreaterThan(100_000);
    const compressed = await fetch(asset, { headers: { 'accept-encoding': 'br' } });
    expect(compressed.headers.get('content-encoding')).toBe('br');
    const etag = compressed.headers.get('etag') ?? '';
    await compressed.arrayBuffer();
    const revalidated = await fetch(asset, { headers: { 'if-none-match': etag } });
    expect(revalidated.status).toBe(304);
    for (const path of ['missing.js', 'ruru.js.map', '../package.json', '%2e%2e/package.json']) {
      const missing = await fetch(`${baseUrl(running)}/graphiql/static/${path}`);
      expect([path, missing.status]).toEqual([path, 404]);
    }
  });

  it('says on the page that only trusted documents run when the manifest is on', async () => {
    dir = await mkdtemp(join(tmpdir(), 'explorer-trusted-'));
    const manifest = join(dir, 'persisted-documents.json');
    const text = 'query Targets { targets { __typename } }';
    await writeFile(manifest, JSON.stringify({ [`sha256:${sha256(text)}`]: text }));
    running = await startTestGateway({ env: { FANOUT_TRUSTED_DOCUMENTS: manifest } });
    const html = await (await fetch(`${baseUrl(running)}/graphiql`)).text();
    expect(html).toContain('runs only its trusted documents');
  });

  it('serves neither the explorer nor its assets in production', async () => {
    running = await startTestGateway({ env: { NODE_ENV: 'production', AUTH_MODE: 'none' } });
    for (const path of ['/graphiql', '/graphiql/static/ruru.js']) {
      const response = await fetch(`${baseUrl(running)}${path}`, { headers: { accept: 'text/html' } });
      expect([path, response.status]).toEqual([path, 404]);
    }
  });
});
