// Keeps the leases of a worker's claimed deliveries alive while a slow upstream call runs.
import type { ClaimedDelivery, DeliveryClaim, DeliveryQueue } from './delivery-queue.js';

export interface LeaseHeartbeat {
  stop(): void;
}

/**
 * Every third of the lease, pushes each claim's lease a whole lease further, so a call slower than the
 * lease is not taken over by another worker while it is still running. A claim already lost (stale) is
 * dropped from the beat; a queue error is reported and the next beat tries again (the lease has two
 * more thirds to run).
 */
export function startLeaseHeartbeat(
  queue: DeliveryQueue,
  claimed: readonly ClaimedDelivery[],
  leaseMs: number,
  onProblem: (id: string, problem: unknown) => void,
): LeaseHeartbeat {
  const claims = new Map<string, DeliveryClaim>(claimed.map(({ delivery, claim }) => [delivery.id, claim]));
  let stopped = false;
  let beating = false;
  const beat = async () => {
    // A beat still waiting on a slow queue is not overlapped; one after stop() would only find stale claims.
    if (beating) return;
    beating = true;
    try {
      await beatOnce();
    } finally {
      beating = false;
    }
  };
  const beatOnce = async () => {
    for (const [id, claim] of claims) {
      if (stopped) return;
      try {
        const answer = await queue.extendLease(id, claim, leaseMs);
        if (answer.outcome !== 'updated') {
          claims.delete(id);
          onProblem(id, `the claim is ${answer.outcome}`);
        }
      } catch (error) {
        onProblem(id, error);
      }
    }
  };
  const timer = setInterval(() => void beat(), Math.max(1, Math.floor(leaseMs / 3)));
  timer.unref();
  return {
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
