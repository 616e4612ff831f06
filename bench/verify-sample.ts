// Before any load: send a few requests with fetch and check each answer really is a success.

/** Returns a description of what is wrong with a parsed answer, or undefined when it is right. */
export type AnswerCheck = (answer: unknown) => string | undefined;

interface GatewayAnswer {
  data?: {
    placeOrder?: { status?: string; inventory?: { __typename?: string }; crm?: { __typename?: string } };
  };
  errors?: unknown[];
}

/** The gateway must answer SUCCEEDED with StockDeducted and ActivityLogged, and no GraphQL errors. */
export const checkGatewayAnswer: AnswerCheck = (answer) => {
  const { data, errors } = answer as GatewayAnswer;
  const payload = data?.placeOrder;
  if (errors !== undefined) return `GraphQL errors: ${JSON.stringify(errors)}`;
  if (payload?.status !== 'SUCCEEDED') return `status is ${payload?.status}`;
  if (payload.inventory?.__typename !== 'StockDeducted')
    return `inventory is ${payload.inventory?.__typename}`;
  if (payload.crm?.__typename !== 'ActivityLogged') return `crm is ${payload.crm?.__typename}`;
  return undefined;
};

/** The baseline must answer SUCCEEDED (both upstreams said 201). */
export const checkBaselineAnswer: AnswerCheck = (answer) => {
  const { status } = answer as { status?: string };
  return status === 'SUCCEEDED' ? undefined : `status is ${status}`;
};

/** One request of the benchmark: which system gets it, where, its body, and the headers besides the content type. */
export interface SampleRequest {
  /** The system's name in the report, for the error. */
  readonly system: string;
  readonly url: string;
  readonly body: string;
  /** e.g. the caller's credential. @default none */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Sends `count` requests one after the other; throws, quoting the answer, at the first wrong one
 * (a 401 included: its body says why the credential was refused).
 */
export async function verifySample(request: SampleRequest, check: AnswerCheck, count = 3): Promise<void> {
  const { system, url, body, headers } = request;
  for (let index = 0; index < count; index++) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await response.text();
    const problem = response.ok ? check(JSON.parse(text)) : `HTTP ${response.status}`;
    if (problem !== undefined)
      throw new Error(`${system}: sample request to ${url} failed (${problem}): ${text}`);
  }
}
