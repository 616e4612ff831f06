// docs/grafana-dashboard.json: importable, on the ${datasource} variable, and built only on metrics the gateway exposes.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { createMetrics } from '../../src/observability/create-metrics.js';

interface Target {
  refId: string;
  expr: string;
  datasource?: { type?: string; uid?: string };
}

interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
}

interface Variable {
  type: string;
  name: string;
  query: unknown;
  datasource?: { type?: string; uid?: string };
  multi?: boolean;
  includeAll?: boolean;
}

interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  time: { from: string; to: string };
  refresh: string;
  templating: { list: Variable[] };
  panels: Panel[];
}

const dashboard = JSON.parse(
  readFileSync(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8'),
) as Dashboard;
const DATASOURCE = { type: 'prometheus', uid: `\${datasource}` };
const SERIES_SUFFIX = /_(bucket|count|sum)$/;
const baseName = (token: string) => token.replace(SERIES_SUFFIX, '');

/** Every metric name on the gateway's registry: its own fanout_* metrics and prom-client's defaults. */
const exposed = new Set((await createMetrics().registry.getMetricsAsJSON()).map((metric) => metric.name));
const dataPanels = dashboard.panels.filter((panel) => panel.type !== 'row');
const queries = dataPanels.flatMap((panel) =>
  (panel.targets ?? []).map((target) => ({ panel: panel.title, ...target })),
);

it('is the Fanout Gateway dashboard with a stable uid, the last hour and a 30 s refresh', () => {
  expect(dashboard.uid).toBe('fanout-gateway');
  expect(dashboard.title).toBe('Fanout Gateway');
  expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
  expect(dashboard.time).toEqual({ from: 'now-1h', to: 'now' });
  expect(dashboard.refresh).toBe('30s');
});

it('offers a Prometheus datasource variable and a multi-value target variable with All', () => {
  const [datasource, target] = ['datasource', 'target'].map((name) =>
    dashboard.templating.list.find((variable) => variable.name === name),
  );
  expect(datasource).toMatchObject({ type: 'datasource', query: 'prometheus' });
  expect(target).toMatchObject({ type: 'query', datasource: DATASOURCE, multi: true, includeAll: true });
  expect(JSON.stringify(target?.query)).toContain('label_values(fanout_upstream_requests_total, target)');
});

it('points every panel and every query at the datasource variable', () => {
  for (const panel of dashboard.panels) expect(panel.datasource, panel.title).toEqual(DATASOURCE);
  expect(queries.length).toBeGreaterThan(0);
  for (const query of queries) expect(query.datasource, query.panel).toEqual(DATASOURCE);
});

it('gives every panel a unique id, a title and a description', () => {
  const ids = dashboard.panels.map((panel) => panel.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const panel of dataPanels) {
    expect(panel.title).not.toBe('');
    expect(panel.description?.length, panel.title).toBeGreaterThan(10);
    expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
  }
});

it("queries only metric names that the gateway exposes on its operator port's /metrics", () => {
  for (const { panel, expr } of queries) {
    const tokens = (expr.match(/\b[a-z_][a-z0-9_]*\b/g) ?? []).map(baseName);
    expect(
      tokens.some((token) => exposed.has(token)),
      `${panel}: ${expr}`,
    ).toBe(true);
    for (const token of tokens.filter((name) => /^(fanout|process|nodejs)_/.test(name))) {
      expect(exposed, `${panel}: ${token}`).toContain(token);
    }
  }
});

it('filters every query in the per-target row by the $target variable', () => {
  const rowStart = dashboard.panels.findIndex(
    (panel) => panel.type === 'row' && panel.title.startsWith('Per target'),
  );
  const rowEnd = dashboard.panels.findIndex((panel, index) => index > rowStart && panel.type === 'row');
  const perTarget = dashboard.panels.slice(rowStart + 1, rowEnd).flatMap((panel) => panel.targets ?? []);
  expect(rowStart).toBeGreaterThanOrEqual(0);
  expect(perTarget.length).toBeGreaterThan(0);
  for (const { expr } of perTarget) {
    for (const selector of expr.match(/fanout_[a-z_]+(\{[^}]*\})?/g) ?? []) {
      expect(selector, expr).toContain('{target=~"$target"}');
    }
  }
});
