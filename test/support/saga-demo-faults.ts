// Breaks a demo upstream over its admin routes (/__demo/faults), as an operator would from curl, for the saga tests.
import type { Fault, FaultSettings } from '../../src/demo/index.js';

/** Replaces the standing fault settings (`PUT /__demo/faults`); the queue is kept. */
export async function setFaults(upstreamUrl: string, settings: FaultSettings): Promise<void> {
  await admin(upstreamUrl, 'PUT', '/__demo/faults', settings);
}

/**
 * Narrows the plan to `paths`, then queues `faults` for the next matching requests
 * (`PUT /__demo/faults` with the paths, then `POST /__demo/faults/queue`).
 */
export async function queueFaults(upstreamUrl: string, paths: string[], ...faults: Fault[]): Promise<void> {
  await admin(upstreamUrl, 'PUT', '/__demo/faults', { paths });
  await admin(upstreamUrl, 'POST', '/__demo/faults/queue', { faults });
}

/** Queues `faults` for the next requests the standing `paths` match (`POST /__demo/faults/queue`); the settings are kept. */
export async function enqueueFaults(upstreamUrl: string, ...faults: Fault[]): Promise<void> {
  await admin(upstreamUrl, 'POST', '/__demo/faults/queue', { faults });
}

/** Clears the settings and the queue (`DELETE /__demo/faults`). */
export async function clearFaults(upstreamUrl: string): Promise<void> {
  await admin(upstreamUrl, 'DELETE', '/__demo/faults');
}

/** Private: one admin call; anything but 2xx is the test's mistake. */
async function admin(upstreamUrl: string, method: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${upstreamUrl}${path}`, {
    method,
    ...(body !== undefined && {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
}
