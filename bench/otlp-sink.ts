// A tiny in-process OTLP/HTTP trace receiver for the bench: accepts exports and counts what arrives.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** A running sink on 127.0.0.1. */
export interface OtlpSink {
  /** Base URL for OTEL_EXPORTER_OTLP_ENDPOINT; exporters POST to `${url}/v1/traces`. */
  readonly url: string;
  /** Spans received in JSON bodies so far (protobuf bodies are counted only in `bytes`). */
  spans(): number;
  /** Export requests answered 200 so far. */
  requests(): number;
  /** Body bytes received so far, as sent on the wire. */
  bytes(): number;
  /** Requests refused: wrong path, method or content type, or a body that is not OTLP JSON. */
  rejected(): number;
  close(): Promise<void>;
}

/** The part of an OTLP ExportTraceServiceRequest (JSON encoding) the sink reads. */
interface ExportTraceRequest {
  resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[];
}

// Private: sums spans over every resource and scope; anything not shaped like OTLP counts as none.
function countSpans(request: ExportTraceRequest): number {
  let count = 0;
  for (const resource of request.resourceSpans ?? [])
    for (const scope of resource.scopeSpans ?? []) count += scope.spans?.length ?? 0;
  return count;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function answer(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/** Starts the sink on an OS-chosen port; resolves once it listens. */
export async function startOtlpSink(): Promise<OtlpSink> {
  const totals = { spans: 0, requests: 0, bytes: 0, rejected: 0 };
  const reject = (response: ServerResponse, status: number) => {
    totals.rejected++;
    answer(response, status, 'application/json', '{}');
  };
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request);
    totals.bytes += body.length;
    if (request.url !== '/v1/traces') return reject(response, 404);
    if (request.method !== 'POST') return reject(response, 405);
    const contentType = request.headers['content-type'] ?? '';
    // An empty protobuf message is zero bytes, so a protobuf exporter gets an empty 200 back.
    if (contentType.startsWith('application/x-protobuf')) {
      totals.requests++;
      return answer(response, 200, 'application/x-protobuf', '');
    }
    if (!contentType.startsWith('application/json')) return reject(response, 415);
    const text = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
    totals.spans += countSpans(JSON.parse(text) as ExportTraceRequest);
    totals.requests++;
    answer(response, 200, 'application/json', '{}');
  };
  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) reject(response, 400);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans: () => totals.spans,
    requests: () => totals.requests,
    bytes: () => totals.bytes,
    rejected: () => totals.rejected,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
