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
  return `${failure.message}; the upstream said: ${said}`;
}
