// The gateway's tracer: a no-op until startTracing registers the SDK.
import { trace } from '@opentelemetry/api';

export const tracer = trace.getTracer('fanout-gateway');
