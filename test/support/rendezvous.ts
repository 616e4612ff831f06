// A meeting point for concurrent requests: each party waits until every other party has arrived too.

export interface Rendezvous {
  /**
   * Marks `party` arrived and waits until every party has; resolves true then, or false after the bound
   * (so a server holding its answer always answers, and a serial caller fails an assertion, not a hang).
   */
  arrive(party: string): Promise<boolean>;
  /** Whether each party met all the others (arrived, and saw them all arrive before answering). */
  met(): Record<string, boolean>;
}

/**
 * Only callers that have all parties' requests in flight at the same time get `true` for every party:
 * proof of concurrency that needs no clock.
 * @param timeoutMs how long a party waits for the others. @default 15000
 */
export function createRendezvous(parties: readonly string[], timeoutMs = 15_000): Rendezvous {
  const arrived = new Set<string>();
  const met: Record<string, boolean> = Object.fromEntries(parties.map((party) => [party, false]));
  let release: () => void = () => {};
  const everyone = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    async arrive(party) {
      arrived.add(party);
      if (parties.every((name) => arrived.has(name))) release();
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const all = await Promise.race([everyone.then(() => true as const), gaveUp]);
      clearTimeout(timer);
      if (all) met[party] = true;
      return all;
    },
    met: () => ({ ...met }),
  };
}
