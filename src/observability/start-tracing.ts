// Starts the OpenTelemetry SDK when tracing is configured; otherwise nothing loads and spans cost nothing.
import { trace } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-node';

export interface TracingSettings {
  /** OTLP/HTTP base URL. */
  readonly endpoint?: string;
  readonly exporter?: 'otlp' | 'console' | 'none';
  readonly serviceName: string;
  /** Share of new traces recorded, 0 to 1; a caller's sampled flag is followed. @default 1 */
  readonly sampleRatio?: number;
}

export interface Tracing {
  /** Flushes buffered spans and stops the SDK. */
  shutdown(): Promise<void>;
}

const off: Tracing = { shutdown: async () => {} };

/** Whether the settings ask for tracing: an endpoint, or an explicit otlp/console exporter. */
export function tracingEnabled(settings: TracingSettings): boolean {
  if (settings.exporter === 'none') return false;
  return settings.exporter !== undefined || settings.endpoint !== undefined;
}

/**
 * Registers a global tracer provider with W3C trace-context propagation. The SDK is imported lazily,
 * so a gateway without tracing never loads it and @opentelemetry/api stays a no-op.
 * @param exporter overrides the configured exporter (tests pass an InMemorySpanExporter)
 */
export async function startTracing(settings: TracingSettings, exporter?: SpanExporter): Promise<Tracing> {
  if (!exporter && !tracingEnabled(settings)) return off;
  const {
    NodeTracerProvider,
    BatchSpanProcessor,
    SimpleSpanProcessor,
    ConsoleSpanExporter,
    ParentBasedSampler,
    TraceIdRatioBasedSampler,
  } = await import('@opentelemetry/sdk-trace-node');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const { ATTR_SERVICE_NAME } = await import('@opentelemetry/semantic-conventions');
  const processor = exporter
    ? new SimpleSpanProcessor(exporter)
    : settings.exporter === 'console'
      ? new SimpleSpanProcessor(new ConsoleSpanExporter())
      : new BatchSpanProcessor(await otlpExporter(settings.endpoint));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName }),
    spanProcessors: [processor],
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sampleRatio ?? 1) }),
  });
  provider.register();
  return {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
    },
  };
}

async function otlpExporter(endpoint = 'http://localhost:4318'): Promise<SpanExporter> {
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  return new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
}
