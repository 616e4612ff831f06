// A consecutive-failure circuit breaker whose verdicts are three-valued: success, failure, or neutral.
//
// Hand-written rather than cockatiel's CircuitBreakerPolicy, which knows only "handled failure" and
// "everything else = success": a call cut short by the caller's deadline (or never sent) would reset
// the failure count, a neutral half-open probe would close the circuit, and callers arriving during a
// probe wait on it with no deadline. Here only the upstream's own behaviour moves the breaker.

/** What one attempt, or one call, says about the upstream's health. */
export type BreakerVerdict =
  /** It answered in time (a 2xx, or a business rejection). */
  | 'success'
  /** Its own fault: a 5xx or 408, a reset or refused connection, no answer within the attempt timeout. */
  | 'failure'
  /** Says nothing about it: cut short by the caller's deadline, a 429, a contract break, or never sent. */
  | 'neutral';

export type CircuitState = 'CLOSED' | 'HALF_OPEN' | 'OPEN';

export interface BreakerSettings {
  /** Consecutive failed calls that open the circuit. */
  readonly failureThreshold: number;
  /** Milliseconds an open circuit waits before one probe call is let through. */
  readonly halfOpenAfterMs: number;
}

/** Permission to make one call; settle it exactly once with what the call showed. */
export interface BreakerPermit {
  settle(verdict: BreakerVerdict): void;
}

export type BreakerAdmission =
  | { readonly admitted: true; readonly permit: BreakerPermit }
  | { readonly admitted: false; readonly retryAfterMs: number };

type State =
  | { readonly kind: 'closed'; failures: number }
  | { readonly kind: 'open'; readonly openedAt: number }
  /** `probeEndsAt`: when the probe out now must have settled by (its caller's deadline); undefined: none out. */
  | { readonly kind: 'halfOpen'; readonly probeEndsAt: number | undefined };

const STATE_NAMES = {
  closed: 'CLOSED',
  halfOpen: 'HALF_OPEN',
  open: 'OPEN',
} as const satisfies Record<State['kind'], CircuitState>;

export class CircuitBreaker {
  #state: State = { kind: 'closed', failures: 0 };
  /** Bumped on every transition, so a permit from an earlier state cannot move the current one. */
  #generation = 0;

  constructor(
    private readonly settings: BreakerSettings,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): CircuitState {
    return STATE_NAMES[this.#state.kind];
  }

  /**
   * Asks to make one call. Closed: yes. Open: no, until the cooldown has passed; then the asker
   * becomes the single probe. Half-open with a probe out: no, at once — nobody waits on the probe.
   * @param budgetMs the longest the call can take (its caller's time left): a probe that has not
   *   settled by then (a bug) is replaced by the next caller rather than holding the circuit half-open
   */
  admit(budgetMs: number): BreakerAdmission {
    const state = this.#state;
    const now = this.now();
    switch (state.kind) {
      case 'closed':
        return this.#permit(false);
      case 'open': {
        const cooldownLeft = state.openedAt + this.settings.halfOpenAfterMs - now;
        if (cooldownLeft > 0) return { admitted: false, retryAfterMs: cooldownLeft };
        return this.#startProbe(now + budgetMs);
      }
      case 'halfOpen': {
        const probeLeft = state.probeEndsAt === undefined ? 0 : state.probeEndsAt - now;
        if (probeLeft > 0) return { admitted: false, retryAfterMs: probeLeft };
        return this.#startProbe(now + budgetMs);
      }
    }
  }

  #startProbe(probeEndsAt: number): BreakerAdmission {
    this.#transition({ kind: 'halfOpen', probeEndsAt });
    return this.#permit(true);
  }

  #permit(probe: boolean): BreakerAdmission {
    const generation = this.#generation;
    let settled = false;
    return {
      admitted: true,
      permit: {
        settle: (verdict) => {
          if (settled || generation !== this.#generation) return;
          settled = true;
          if (probe) this.#settleProbe(verdict);
          else this.#settleClosed(verdict);
        },
      },
    };
  }

  #settleClosed(verdict: BreakerVerdict): void {
    const state = this.#state;
    if (state.kind !== 'closed' || verdict === 'neutral') return;
    if (verdict === 'success') {
      state.failures = 0;
      return;
    }
    state.failures++;
    if (state.failures >= this.settings.failureThreshold) {
      this.#transition({ kind: 'open', openedAt: this.now() });
    }
  }

  #settleProbe(verdict: BreakerVerdict): void {
    switch (verdict) {
      case 'success':
        this.#transition({ kind: 'closed', failures: 0 });
        return;
      case 'failure':
        this.#transition({ kind: 'open', openedAt: this.now() });
        return;
      case 'neutral':
        // The probe proved nothing: the next call may probe at once.
        this.#transition({ kind: 'halfOpen', probeEndsAt: undefined });
        return;
    }
  }

  #transition(next: State): void {
    this.#state = next;
    this.#generation++;
  }
}
