// Example frontend code: the same "Place order" click as place-order.ts over plain fetch, with no GraphQL client library.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { automaticRetryWaitMs, type PlaceOrderPayload, reportLines } from './describe-place-order-result.js';
import { orderFromEnvironment } from './order-from-environment.js';
import { sendPlaceOrder } from './send-place-order.js';

/** A retry that would wait longer than this is left to the user ("try again in N s"). */
const LONGEST_AUTOMATIC_WAIT_MS = 5_000;

const gatewayUrl = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';
const token = process.env.GATEWAY_TOKEN;
const input = orderFromEnvironment();
// One key per user action: a retry of this action sends the same key and never writes twice.
const idempotencyKey = randomUUID();

/** Sends the action once; undefined (after printing the coded errors) when the gateway refused the request. */
async function placeOrder(): Promise<PlaceOrderPayload | undefined> {
  const answer = await sendPlaceOrder(gatewayUrl, { input, options: { idempotencyKey } }, { token });
  for (const { message, extensions } of answer.errors ?? []) console.error(`${extensions?.code}: ${message}`);
  return answer.errors?.length ? undefined : (answer.data?.placeOrder ?? undefined);
}

const first = await placeOrder();
if (first === undefined) {
  process.exitCode = 1;
} else {
  for (const line of reportLines(first)) console.log(line);
  const wait = automaticRetryWaitMs(first, LONGEST_AUTOMATIC_WAIT_MS);
  if (wait !== undefined) {
    console.log(`retrying in ${wait} ms with the same idempotency key`);
    await sleep(wait);
    const second = await placeOrder();
    if (second === undefined) process.exitCode = 1;
    else for (const line of reportLines(second)) console.log(line);
  }
}
