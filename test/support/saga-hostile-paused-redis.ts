// A gateway whose Redis delivery queue is a throwaway redis-server the test may pause or stop, for the hostile saga tests.
import { expect } from 'vitest';
import { startOwnRedis } from './own-redis.js';
import { allOrNothing, deliveriesOf, PLACE_SAGA, type SagaPayload } from './saga-operations.js';
import { type GraphQLResponse, startTestGateway, type TestGateway } from './start-test-gateway.js';
import { waitUntil } from './wait-until.js';

/** The queue's command timeout: a paused Redis costs a call this long, and the call's outcome is unknown. */
const REDIS_COMMAND_TIMEOUT_MS = 300;
/** Each order's deadline; an ALL_OR_NOTHING order answers within twice it. */
export const DEADLINE_MS = 3000;
/** Far longer than a command timeout plus a 600 ms upstream latency, so the request meets the pause. */
export const PAUSE_MS = 3000;

export interface PausableRedisGateway {
  readonly gateway: TestGateway;
  /** `CLIENT PAUSE ms ALL` on the gateway's Redis: every command waits (none is lost) until the pause ends. */
  pause(ms: number): Promise<void>;
  /** SIGSTOP or SIGCONT the redis-server process. */
  signal(signal: 'SIGSTOP' | 'SIGCONT'): void;
  /** Stops the gateway, then the redis-server. */
  close(): Promise<void>;
}

/** A gateway and its demo upstreams on a redis-server of its own, with a short lease, poll and compensation schedule. */
export async function startGatewayOnOwnRedis(stock: Record<string, number>): Promise<PausableRedisGateway> {
  const redis = await startOwnRedis([]);
  try {
    const gateway = await startTestGateway({
      inventory: { stock },
      env: {
        DELIVERY_QUEUE: 'redis',
        REDIS_URL: redis.url,
        REDIS_COMMAND_TIMEOUT_MS: String(REDIS_COMMAND_TIMEOUT_MS),
        DELIVERY_LEASE_MS: '1000',
        DELIVERY_POLL_INTERVAL_MS: '20',
        FANOUT_DEADLINE_MS: String(DEADLINE_MS),
        DELIVERY_COMPENSATION_RETRY_SCHEDULE: ['0s', ...Array<string>(60).fill('300ms')].join(','),
        INVENTORY_BREAKER_HALF_OPEN_AFTER_MS: '200',
      },
    });
    return {
      gateway,
      async pause(ms) {
        await redis.admin.call('CLIENT', 'PAUSE', String(ms), 'ALL');
      },
      signal(signal) {
        redis.process.kill(signal);
      },
      async close() {
        await gateway.close();
        await redis.stop();
      },
    };
  } catch (error) {
    await redis.stop();
    throw error;
  }
}

/** Places one ALL_OR_NOTHING SYNC order and answers the raw response and how long it took. */
export async function placeTimed(
  gateway: TestGateway,
  input: Record<string, unknown>,
): Promise<{ response: GraphQLResponse<{ placeOrder: SagaPayload }>; ms: number }> {
  const started = performance.now();
  const response = await gateway.graphql<{ placeOrder: SagaPayload }>(PLACE_SAGA, {
    input,
    options: allOrNothing(),
  });
  return { response, ms: performance.now() - started };
}

/**
 * Places `input` (an order CRM rejects) while Inventory answers `slowPath` 600 ms late and, once that call is
 * being sent, stops Redis answering: `CLIENT PAUSE` for PAUSE_MS, or SIGSTOP until the answer is in. Expects
 * 200 ROLLBACK_PENDING within twice the deadline (plus slack), then lets Inventory answer at once again.
 */
export async function placeWhileRedisStalls(
  setup: PausableRedisGateway,
  input: Record<string, unknown>,
  slowPath: '/inventory/deduct' | '/inventory/restore',
  stall: 'pause' | 'stop',
): Promise<GraphQLResponse<{ placeOrder: SagaPayload }>> {
  const { inventory } = setup.gateway;
  inventory.faults.set({ paths: [slowPath], latencyMs: 600 });
  const placed = placeTimed(setup.gateway, input);
  await waitUntil(
    () => inventory.requestCount(slowPath) >= 1 && inventory.inFlight() >= 1,
    `${slowPath} is being sent`,
  );
  if (stall === 'pause') await setup.pause(PAUSE_MS);
  else setup.signal('SIGSTOP');
  const { response, ms } = await placed.finally(() => {
    if (stall === 'stop') setup.signal('SIGCONT');
  });

  expect(ms).toBeLessThan(2 * DEADLINE_MS + 2000);
  expect(response.status).toBe(200);
  expect(response.body.data?.placeOrder.status).toBe('ROLLBACK_PENDING');
  inventory.faults.reset();
  return response;
}

/** The order's deliveries as `TARGET KIND STATE` lines, sorted; empty while the queue cannot be read. */
export async function deliveryLines(gateway: TestGateway, orderId: string): Promise<string[]> {
  const found = await deliveriesOf(gateway.graphql, orderId).catch(() => []);
  return found.map(({ target, kind, state }) => `${target} ${kind} ${state}`).sort();
}
