// Contract answers: what a demo handler returns (status, body, headers) and the shared error bodies.

/** One HTTP answer of a demo upstream, before it is written to the socket. */
export interface ContractAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The contracts' `Error` schema: a machine code, a message and, for stock errors, the SKU. */
export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly sku?: string;
}

/** Builds an answer whose body is the contracts' `Error` schema. */
export function errorAnswer(status: number, error: string, message: string, sku?: string): ContractAnswer {
  const body: ErrorBody = sku === undefined ? { error, message } : { error, message, sku };
  return { status, body };
}

/** A 422 `invalid_request` answer whose message names the offending field. */
export function invalidRequestAnswer(message: string): ContractAnswer {
  return errorAnswer(422, 'invalid_request', message);
}
