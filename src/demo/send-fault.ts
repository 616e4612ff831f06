// Sending an injected fault on a Fastify reply: a status, a reset, a broken body, or silence.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Fault } from './fault-plan.js';

/** What a fault needs to know about the route it breaks. */
export interface FaultedRoute {
  /** The status the endpoint answers on success (204 becomes 200 so a broken body can be sent). */
  readonly successStatus: number;
  /** A success-status body that breaks the contract, built from the request body. */
  readonly malformedBody: (requestBody: unknown) => unknown;
}

const NOT_JSON = '<html><body>upstream says hello</body></html>';

/** Answers `request` with `fault` instead of the contract's answer. */
export function sendFault(
  request: FastifyRequest,
  reply: FastifyReply,
  fault: Fault,
  route: FaultedRoute,
): FastifyReply {
  const successStatus = route.successStatus === 204 ? 200 : route.successStatus;
  switch (fault.kind) {
    case 'status': {
      if (fault.retryAfter !== undefined) reply.header('Retry-After', fault.retryAfter);
      const body = fault.body ?? { error: 'injected_fault', message: `Injected ${fault.status} fault` };
      return reply.code(fault.status).send(body);
    }
    case 'drop':
      reply.hijack();
      // A TCP reset, not a polite FIN: the client learns nothing about whether the write happened.
      request.raw.socket.resetAndDestroy();
      return reply;
    case 'malformed':
      return reply.code(successStatus).send(route.malformedBody(request.body));
    case 'invalidJson':
      return reply.code(successStatus).type('application/json; charset=utf-8').send(NOT_JSON);
    case 'hang':
      // The socket stays open until the client gives up or the server closes (forceCloseConnections).
      reply.hijack();
      return reply;
    default:
      return unreachableFault(fault);
  }
}

// Private: closes the switch, so a new fault kind fails to compile until it is handled here.
function unreachableFault(fault: never): never {
  throw new Error(`Unknown fault kind: ${JSON.stringify(fault)}`);
}
