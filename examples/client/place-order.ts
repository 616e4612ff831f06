// Example frontend code: one "Place order" click through Apollo Client (InMemoryCache with possibleTypes), fully typed by codegen.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CombinedGraphQLErrors } from '@apollo/client';
import { PlaceOrderDocument } from './__generated__/graphql.js';
import { createGatewayClient } from './create-gateway-client.js';
import { automaticRetryWaitMs, type PlaceOrderPayload, reportLines } from './describe-place-order-result.js';
import { orderFromEnvironment } from './order-from-environment.js';

/** A retry that would wait longer than this is left to the user ("try again in N s"). */
const LONGEST_AUTOMATIC_WAIT_MS = 5_000;

const client = createGatewayClient({
  gatewayUrl: process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql',
  token: process.env.GATEWAY_TOKEN,
});
const input = orderFromEnvironment();
// One key per user action, made when the button is pressed: sending the action again (a retry, a double
// click, a reload) with the same key never writes twice, and re-sends only to the targets that failed.
const idempotencyKey = randomUUID();

/** Sends the action once. Apollo Client 4 returns the data as it reads it back from the cache. */
async function placeOrder(): Promise<PlaceOrderPayload> {
  const { data } = await client.mutate({
    mutation: PlaceOrderDocument,
    variables: { input, options: { idempotencyKey } },
  });
  if (!data) throw new Error('the gateway answered without data');
  return data.placeOrder;
}

try {
  const first = await placeOrder();
  for (const line of reportLines(first)) console.log(line);
  const wait = automaticRetryWaitMs(first, LONGEST_AUTOMATIC_WAIT_MS);
  if (wait !== undefined) {
    console.log(`retrying in ${wait} ms with the same idempotency key`);
    await sleep(wait);
    for (const line of reportLines(await placeOrder())) console.log(line);
  }
} catch (error) {
  // errors[] is for bad requests and gateway faults, each with a stable extensions.code; target failures are data.
  if (!CombinedGraphQLErrors.is(error)) throw error;
  for (const { message, extensions } of error.errors)
    console.error(`${String(extensions?.code)}: ${message}`);
  process.exitCode = 1;
}
