// The text a delivery's lastFailure records: the gateway's account of the failure plus what the upstream said.
import type { Failure } from '../core/index.js';

/**
 * The failure's message (status and machine code included) and the upstream's own free text, which the
 * message carries only when the target exposes upstream messages: an operator deciding whether to replay a
 * dead letter needs the upstream's answer. The text is already scrubbed of the target's credentials and cut.
 */
export function describeDeliveryFailure(failure: Failure): string {
  const said = failure.upstreamMessage;
  if (said === undefined || failure.message.includes(said)) return failure.message;
  return `${failure.message}${UPSTREAM_SAID}${said}`;
}

const UPSTREAM_SAID = '; the upstream said: ';

/**
 * A stored lastFailure as an order's client may see it (a compensation in PlaceOrderPayload, a queued
 * member): without the upstream's free text that `describeDeliveryFailure` added for operators. A target
 * that exposes upstream messages has it in the message itself, which is kept.
 */
export function clientFailureText(lastFailure: string): string {
  const cut = lastFailure.indexOf(UPSTREAM_SAID);
  return cut === -1 ? lastFailure : lastFailure.slice(0, cut);
}
