// boundedLabelPairs and the GraphQL request metrics: the product of operation and client labels stays bounded.
import { describe, expect, it } from 'vitest';
import { boundedLabelPairs } from './bounded-label-pairs.js';
import { OVERFLOW_LABEL } from './bounded-label-values.js';
import { createMetrics } from './create-metrics.js';

describe('boundedLabelPairs', () => {
  it('passes the first pairs through, maps the second value of every later new pair to "other", and keeps known pairs', () => {
    const label = boundedLabelPairs(2);
    expect([
      label('A', 'web'),
      label('A', 'ios'),
      label('B', 'web'),
      label('A', 'web'),
      label('A', 'ios'),
    ]).toEqual(['web', 'ios', OVERFLOW_LABEL, 'web', 'ios']);
  });

  it('does not spend the cap on pairs whose second value is already "other"', () => {
    const label = boundedLabelPairs(1);
    expect(label('A', OVERFLOW_LABEL)).toBe(OVERFLOW_LABEL);
    expect(label('A', 'web')).toBe('web');
  });
});

describe('GraphQL request metrics', () => {
  it('keeps 100 operations × 100 clients (10 000 pairs) to at most 500 pairs plus one "other" client per operation', async () => {
    const metrics = createMetrics();
    for (let operation = 0; operation < 100; operation++) {
      for (let client = 0; client < 100; client++) {
        metrics.graphql.request(`Op${operation}`, 'query', `client-${client}`, 'success', 0.01);
      }
    }
    const [requests] = (await metrics.registry.getMetricsAsJSON()).filter(
      (metric) => metric.name === 'fanout_graphql_requests_total',
    );
    const series = requests?.values ?? [];
    expect(series.length).toBe(500 + 95);
    expect(series.reduce((sum, sample) => sum + sample.value, 0)).toBe(10_000);
  });
});
