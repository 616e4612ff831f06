// A real HTTP server on 127.0.0.1 whose every answer a test scripts: for upstream behaviour the demo servers don't have.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as HttpsServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface ScriptedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The JSON body, parsed. */
  readonly body: Record<string, unknown>;
}

export interface ScriptedAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** Sent as JSON (with content-length). */
  readonly body?: unknown;
  /** Sent as is, in chunks of this size without content-length (chunked encoding). */
  readonly chunks?: { readonly text: string; readonly chunkSize: number };
}

export interface ScriptedUpstreamOptions {
  /** Serves HTTPS with these options (cert, key; ca + requestCert for mTLS) instead of plain HTTP. @default plain HTTP */
  readonly tls?: HttpsServerOptions;
}

export interface ScriptedUpstream {
  /** `http://127.0.0.1:<port>`, or `https://…` with the tls option. */
  readonly url: string;
  readonly requests: ScriptedRequest[];
  close(): Promise<void>;
}

/** Starts the server; `answer` is called once per request with its parsed body. */
export async function startScriptedUpstream(
  answer: (request: ScriptedRequest) => ScriptedAnswer | Promise<ScriptedAnswer>,
  options: ScriptedUpstreamOptions = {},
): Promise<ScriptedUpstream> {
  const requests: ScriptedRequest[] = [];
  const handle = async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const parts: Buffer[] = [];
    for await (const part of incoming) parts.push(part as Buffer);
    const text = Buffer.concat(parts).toString('utf8');
    const request: ScriptedRequest = {
      path: incoming.url ?? '/',
      headers: incoming.headers,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
    requests.push(request);
    const scripted = await answer(request);
    if (scripted.chunks) {
      outgoing.writeHead(scripted.status, { 'content-type': 'application/json', ...scripted.headers });
      const { text: whole, chunkSize } = scripted.chunks;
      for (let at = 0; at < whole.length && !outgoing.destroyed; at += chunkSize) {
        if (!outgoing.write(whole.slice(at, at + chunkSize))) {
          await new Promise((resolve) => outgoing.once('drain', resolve).once('close', resolve));
        }
      }
      outgoing.end();
      return;
    }
    const body = scripted.body === undefined ? '' : JSON.stringify(scripted.body);
    outgoing.writeHead(scripted.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...scripted.headers,
    });
    outgoing.end(body);
  };
  const server = options.tls ? createHttpsServer(options.tls, handle) : createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A contract-valid Deduction for an Inventory request body (`{ orderId, items }`). */
export function deductionFor(
  request: { orderId?: unknown; items?: unknown },
  id = `ded-${String(request.orderId)}`,
) {
  const items = (request.items as { sku: string; quantity: number }[] | undefined) ?? [];
  return {
    deductionId: id,
    orderId: request.orderId,
    items: items.map((item) => ({ sku: item.sku, quantity: item.quantity, remaining: 100 })),
  };
}
