// Sends arbitrary HTTP requests to the gateway (any method, content type or body) and keeps the raw answer.

export interface RawRequest {
  /** @default POST */
  readonly method?: string;
  /** Appended to the GraphQL endpoint, e.g. `?query=...`. */
  readonly search?: string;
  readonly headers?: Record<string, string>;
  /** Sent as is; omitted for GET and HEAD. */
  readonly body?: string | Uint8Array;
}

export interface RawAnswer {
  readonly request: RawRequest;
  readonly status: number;
  readonly contentType: string | null;
  readonly text: string;
  /** The parsed body, or undefined when it is empty or not JSON. */
  readonly json: unknown;
}

/** Sends `request` to `url` over real HTTP; throws only when no answer arrives. */
export async function sendRaw(url: string, request: RawRequest): Promise<RawAnswer> {
  const method = request.method ?? 'POST';
  const withoutBody = method === 'GET' || method === 'HEAD';
  const response = await fetch(`${url}${request.search ?? ''}`, {
    method,
    headers: request.headers ?? {},
    body: withoutBody ? undefined : request.body,
  });
  const text = await response.text();
  return {
    request,
    status: response.status,
    contentType: response.headers.get('content-type'),
    text,
    json: parseJson(text),
  };
}

/** The answer in one line, for assertion messages (fast-check prints the failing input itself). */
export function describeAnswer(answer: RawAnswer): string {
  return `HTTP ${answer.status} ${answer.contentType ?? '(no content-type)'}: ${answer.text.slice(0, 500)}`;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
