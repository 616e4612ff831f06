// What a gateway variant (traced, authenticated) costs against the plain gateway from the same run: ratios and their lines.
import type { SystemMeasurement } from './measure-system.js';

/** Ratios are variant / plain gateway, so 1.00x means the variant costs nothing measurable. */
export interface GatewayOverhead {
  readonly ratios: {
    readonly requestsPerSecond: number;
    readonly p50: number;
    readonly p99: number;
    readonly cpuPerRequest: number;
  };
  /** Variant minus plain gateway p50 at one connection, in ms. */
  readonly unloadedP50DeltaMs: number;
}

/** Compares the variant's loaded and unloaded runs with the plain gateway's. */
export function compareToGateway(gateway: SystemMeasurement, variant: SystemMeasurement): GatewayOverhead {
  return {
    ratios: {
      requestsPerSecond: variant.loaded.requestsPerSecond / gateway.loaded.requestsPerSecond,
      p50: variant.loaded.p50Ms / gateway.loaded.p50Ms,
      p99: variant.loaded.p99Ms / gateway.loaded.p99Ms,
      cpuPerRequest: variant.cpuMsPerRequest / gateway.cpuMsPerRequest,
    },
    unloadedP50DeltaMs: variant.unloaded.p50Ms - gateway.unloaded.p50Ms,
  };
}

/** `value` with `digits` decimals, or `n/a` for NaN and infinities (a phase without 2xx answers). */
export const fixed = (value: number, digits: number) =>
  Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
export const signed = (value: number, digits: number) => `${value >= 0 ? '+' : ''}${fixed(value, digits)}`;

/** One line with the variant's own figures: req/s, p50, p99, CPU per request, unloaded p50. */
export function formatVariantFigures(variant: SystemMeasurement): string {
  const { loaded, unloaded } = variant;
  return `${fixed(loaded.requestsPerSecond, 0)} req/s, p50 ${fixed(loaded.p50Ms, 2)} ms, p99 ${fixed(loaded.p99Ms, 2)} ms, CPU ${fixed(variant.cpuMsPerRequest, 3)} ms/req, unloaded p50 ${fixed(unloaded.p50Ms, 2)} ms`;
}

/**
 * The ratio lines, e.g. `traced/untraced req/s  1.00x`, then the unloaded p50 delta; `label` names the
 * ratio, `indent` prefixes every line. Values line up at `columnWidth` (see `overheadColumnWidth`).
 */
export function formatGatewayOverhead(
  overhead: GatewayOverhead,
  options: { readonly label: string; readonly indent: string },
): string[] {
  const { ratios } = overhead;
  const { label, indent } = options;
  const width = overheadColumnWidth(label);
  const line = (name: string, value: string) => `${indent}${name.padEnd(width)}${value}`;
  return [
    line(`${label} req/s`, `${fixed(ratios.requestsPerSecond, 2)}x`),
    line(`${label} p50`, `${fixed(ratios.p50, 2)}x`),
    line(`${label} p99`, `${fixed(ratios.p99, 2)}x`),
    line(`${label} CPU/request`, `${fixed(ratios.cpuPerRequest, 2)}x`),
    line('unloaded p50 delta', `${signed(overhead.unloadedP50DeltaMs, 2)} ms`),
  ];
}

/** Where the values of `formatGatewayOverhead` start, for further lines that should line up with them. */
export function overheadColumnWidth(label: string): number {
  return `${label} CPU/request`.length + 2;
}
