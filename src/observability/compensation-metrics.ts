// Saga compensation metrics: compensations that went DEAD, each a write left applied that an operator must see.
import { Counter, type Registry } from 'prom-client';

export interface CompensationMetrics {
  /** One compensation delivery moved to DEAD: its write is still applied. Alert on any increase. */
  dead(target: string): void;
}

/** Registers the compensation instruments on the gateway's (or worker's) registry. */
export function createCompensationMetrics(registers: Registry[]): CompensationMetrics {
  const dead = new Counter({
    name: 'fanout_compensations_dead_total',
    help: 'Saga compensations that went DEAD (retries exhausted, or refused by the upstream), by target: each leaves a write applied and needs an operator (replay once fixed). Alert on any increase.',
    labelNames: ['target'] as const,
    registers,
  });
  return { dead: (target) => dead.inc({ target }) };
}
