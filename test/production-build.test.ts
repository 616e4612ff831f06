// The production image without Docker: the Dockerfile's own steps replayed in a temp directory, then the gateway run as the image runs it.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DockerStage, replayDockerfile } from '../scripts/replay-dockerfile.js';
import { hashApiKey } from '../src/auth/index.js';
import {
  type CrmDemoServer,
  createCrmServer,
  createInventoryServer,
  DEMO_CRM_API_KEY,
  DEMO_INVENTORY_TOKEN,
  type InventoryDemoServer,
} from '../src/demo/index.js';
import { order, type Payload, PLACE_ORDER } from './support/operations.js';
import { sendGraphQL } from './support/send-graphql.js';
import { logLines, type SpawnedGateway, waitForReady } from './support/spawn-gateway.js';
import { waitUntil } from './support/wait-until.js';

const REPOSITORY = fileURLToPath(new URL('..', import.meta.url));
/** npm ci of the whole toolchain on a loaded machine takes minutes: generous, never a timing bound. */
const BUILD_TIMEOUT_MS = 20 * 60_000;
/** Starting, serving and draining a real process while npm or other suites load the machine. */
const PROCESS = { timeout: 120_000 };
/** The package list that must not reach the image: dev tools that would widen its attack surface. */
const DEV_ONLY_PACKAGES = [
  'tsx',
  'vitest',
  'typescript',
  '@biomejs/biome',
  '@graphql-codegen/cli',
  'esbuild',
];

/** The node running this test, first on PATH: npm, tsc and the gateway all run on it (Node 20 or 24 in CI). */
const PATH = [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter);

/** Private: a process as spawn-gateway.ts reads it, so its ready-line parsing is shared; a failed spawn reads as stderr. */
function watchProcess(child: ChildProcess): SpawnedGateway {
  let out = '';
  let err = '';
  child.on('error', (error) => {
    err += `${error.message}\n`;
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = once(child, 'exit').then(
    ([code]) => code as number | null,
    () => null,
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/**
 * Private: the image's own `node`, this test's node linked (or copied) into the workspace: the unprivileged
 * user must be able to run it, and this node may live under a home directory only its owner can enter.
 */
function installImageNode(workspace: string): string {
  const imageNode = join(workspace, 'usr-local-bin', 'node');
  mkdirSync(dirname(imageNode), { recursive: true });
  try {
    linkSync(process.execPath, imageNode);
  } catch {
    copyFileSync(process.execPath, imageNode);
  }
  return imageNode;
}

/** Private: whether a process id is still running (signal 0 only checks). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Private: stops a process that a failed test left behind; SIGKILL, since its drain is not under test here. */
async function kill(gateway: SpawnedGateway | undefined): Promise<void> {
  if (gateway && gateway.child.exitCode === null && gateway.child.signalCode === null) {
    gateway.child.kill('SIGKILL');
    await gateway.exited;
  }
}

describe('the production image, replayed from the Dockerfile', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'fanout-image-'));
  let runtime: DockerStage;
  let app = '';
  let imageNode = '';
  let inventory: InventoryDemoServer | undefined;
  let crm: CrmDemoServer | undefined;
  let gateway: SpawnedGateway | undefined;
  /** As root, the gateway runs as `nobody` over root-owned files, like USER node over the image's COPY. */
  const unprivileged = process.getuid?.() === 0 ? { uid: 65_534, gid: 65_534 } : {};

  beforeAll(async () => {
    const { stages, dirs } = await replayDockerfile({
      repository: REPOSITORY,
      into: workspace,
      env: {
        PATH,
        HOME: process.env.HOME ?? workspace,
        ...npmCacheEnv(),
        // Native addons (better-sqlite3) compile against the headers of the Node that runs the image here
        // (bin/node's ../include/node), not whatever Node the machine's npmrc points node-gyp at.
        npm_config_nodedir: dirname(dirname(process.execPath)),
      },
    });
    const last = stages.at(-1);
    if (!last) throw new Error('the Dockerfile has no stage');
    runtime = last;
    app = dirs.get(runtime.name) ?? '';
    imageNode = installImageNode(workspace);
    // COPY --chown=node:node of data/: the replay copies as root, so hand the directory over here.
    if (unprivileged.uid !== undefined) chownSync(join(app, 'data'), unprivileged.uid, unprivileged.gid);
    chmodSync(workspace, 0o755);
  }, BUILD_TIMEOUT_MS);

  afterEach(async () => {
    await kill(gateway);
    gateway = undefined;
    await Promise.all([inventory?.close(), crm?.close()]);
    inventory = undefined;
    crm = undefined;
  });

  afterAll(() => {
    rmSync(workspace, { recursive: true, force: true });
  });

  it('ships only package.json, schema/, dist/, node_modules/ and an empty data/, with no tests in dist', () => {
    expect(readdirSync(app).sort()).toEqual(['data', 'dist', 'node_modules', 'package.json', 'schema']);
    const built = readdirSync(join(app, 'dist'), { recursive: true, encoding: 'utf8' });
    expect(built).toContain('main.js');
    expect(built.filter((file) => /\.test\.|(^|\/)test\//.test(file))).toEqual([]);
    expect(built.filter((file) => file.endsWith('run-demo-upstreams.js'))).toEqual([]);
    expect(
      readdirSync(join(app, 'schema')).filter((file) => file.endsWith('.graphql')).length,
    ).toBeGreaterThan(0);
  });

  it('keeps every runtime dependency and prunes the dev tools', () => {
    const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const missing = Object.keys(manifest.dependencies).filter(
      (name) => !existsSync(join(app, 'node_modules', name, 'package.json')),
    );
    expect(missing).toEqual([]);
    const present = DEV_ONLY_PACKAGES.filter((name) => existsSync(join(app, 'node_modules', name)));
    expect(present).toEqual([]);
  });

  it('runs as a non-root user in production, exposes its ports and starts node itself', () => {
    expect(runtime.user).toBe('node');
    expect(runtime.env.NODE_ENV).toBe('production');
    expect(runtime.expose).toEqual([runtime.env.PORT, runtime.env.METRICS_PORT]);
    expect(runtime.cmd).toEqual(['node', 'dist/main.js']);
  });

  it(
    'serves a placeOrder with API keys, passes its HEALTHCHECK, and exits 0 on SIGTERM',
    PROCESS,
    async () => {
      inventory = await createInventoryServer();
      crm = await createCrmServer();
      const apiKey = 'fgk_production-build-test';
      const [command, args] = withImageNode(runtime.cmd ?? []);
      gateway = watchProcess(
        spawn(command, args, {
          cwd: app,
          ...unprivileged,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: {
            PATH,
            ...runtime.env,
            // What `docker run -e …` would add: loopback and free ports for the test, real upstreams, auth on.
            HOST: '127.0.0.1',
            PORT: '0',
            METRICS_HOST: '127.0.0.1',
            METRICS_PORT: '0',
            LOG_FORMAT: 'json',
            AUTH_MODE: 'api-keys',
            AUTH_API_KEYS: `shop:${hashApiKey(apiKey)}:orders:write`,
            INVENTORY_API_URL: inventory.url,
            INVENTORY_API_TOKEN: DEMO_INVENTORY_TOKEN,
            CRM_API_URL: crm.url,
            CRM_API_KEY: DEMO_CRM_API_KEY,
          },
        }),
      );
      const url = await waitForReady(gateway, 90_000);
      const port = new URL(url).port;

      const stockBefore = inventory.stockOf('SKU-RED-MUG') ?? 0;
      const refused = await sendGraphQL(url, PLACE_ORDER, { input: order('o-image-anonymous') });
      expect(refused.status).toBe(401);
      const placed = await sendGraphQL<{ placeOrder: Payload }>(
        url,
        PLACE_ORDER,
        { input: order('o-image-1') },
        { 'x-api-key': apiKey },
      );
      expect(placed.body).toMatchObject({
        data: {
          placeOrder: {
            status: 'SUCCEEDED',
            inventory: { __typename: 'StockDeducted' },
            crm: { __typename: 'ActivityLogged' },
          },
        },
      });
      expect(inventory.stockOf('SKU-RED-MUG')).toBe(stockBefore - 1);

      expect(await runHealthcheck(runtime, port)).toBe(0);

      gateway.child.kill('SIGTERM');
      expect(await gateway.exited).toBe(0);
      expect(logLines(gateway)).toContainEqual(expect.objectContaining({ msg: 'stopped', exitCode: 0 }));
      // The same HEALTHCHECK fails once nothing listens: it checks the gateway, not merely that node starts.
      expect(await runHealthcheck(runtime, port)).toBe(1);
    },
  );

  /** Private: an exec-form command with `node` being the image's node. */
  function withImageNode([command = '', ...args]: readonly string[]): [string, string[]] {
    return [command === 'node' ? imageNode : command, args];
  }

  /** Private: runs the image's HEALTHCHECK command as Docker would, with the image's environment. */
  async function runHealthcheck(stage: DockerStage, port: string): Promise<number | null> {
    const [command, args] = withImageNode(stage.healthcheck ?? []);
    const check = watchProcess(
      spawn(command, args, { cwd: app, ...unprivileged, env: { PATH, ...stage.env, PORT: port } }),
    );
    return check.exited;
  }
});

describe('npm start', () => {
  let npm: SpawnedGateway | undefined;
  let serverPid: number | undefined;

  afterEach(async () => {
    await kill(npm);
    npm = undefined;
    // Had npm left its server running, it must not outlive the test either.
    if (serverPid !== undefined && isAlive(serverPid)) process.kill(serverPid, 'SIGKILL');
    serverPid = undefined;
  });

  it('stops the gateway when npm itself gets SIGTERM, leaving no server behind', PROCESS, async () => {
    npm = watchProcess(
      spawn('npm', ['start'], {
        cwd: REPOSITORY,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH,
          HOME: process.env.HOME ?? tmpdir(),
          HOST: '127.0.0.1',
          PORT: '0',
          METRICS_PORT: '0',
          LOG_FORMAT: 'json',
          ...npmCacheEnv(),
        },
      }),
    );
    await waitForReady(npm, 90_000);
    const ready = logLines(npm).find((line) => typeof line.url === 'string');
    serverPid = typeof ready?.pid === 'number' ? ready.pid : undefined;
    expect(serverPid).toBeTypeOf('number');

    npm.child.kill('SIGTERM');
    expect(await npm.exited).toBe(0);
    await waitUntil(
      () => serverPid === undefined || !isAlive(serverPid),
      'the server npm started has exited',
    );
    expect(logLines(npm)).toContainEqual(expect.objectContaining({ msg: 'stopped', exitCode: 0 }));
  });
});

/** Private: npm's cache location when CI moved it; the npm_config_* variables `npm test` sets are left out. */
function npmCacheEnv(): Record<string, string> {
  const cache = process.env.npm_config_cache;
  return cache ? { npm_config_cache: cache } : {};
}
