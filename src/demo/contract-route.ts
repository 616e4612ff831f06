// Contract routes of a demo upstream: record, delay, maybe fault, authenticate, then run the handler.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ContractAnswer } from './contract-answer.js';
import type { DelayScheduler } from './delay-scheduler.js';
import type { Authorizer } from './demo-auth.js';
import type { FaultPlan } from './fault-plan.js';
import type { RecordedRequest, RequestRecorder } from './request-recorder.js';
import { sendFault } from './send-fault.js';

/** One path of an upstream contract, as the demo implements it. */
export interface ContractRoute {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Fastify route pattern, e.g. `/inventory/stock/:sku`. */
  readonly url: string;
  /** The status the endpoint answers on success; used by the `malformed` and `invalidJson` faults. */
  readonly successStatus: number;
  /** A success-status body that breaks the contract. @default () => ({ unexpected: true }) */
  readonly malformedBody?: (requestBody: unknown) => unknown;
  /** The real behaviour. Synchronous on purpose, so a check-and-write cannot interleave with another. */
  readonly handle: (request: FastifyRequest) => ContractAnswer;
}

/** The per-server machinery every contract route shares. */
export interface ContractRouteContext {
  readonly faults: FaultPlan;
  readonly recorder: RequestRecorder;
  readonly delays: DelayScheduler;
  readonly authorize: Authorizer;
}

const unexpectedBody = (): unknown => ({ unexpected: true });

/** Registers `route` on `app` with recording, latency, faults and authentication in front of it. */
export function registerContractRoute(
  app: FastifyInstance,
  context: ContractRouteContext,
  route: ContractRoute,
): void {
  const { faults, recorder, delays, authorize } = context;
  const faulted = {
    successStatus: route.successStatus,
    malformedBody: route.malformedBody ?? unexpectedBody,
  };
  // Private: links the arrival record to the request until its body has been parsed.
  const arrivals = new WeakMap<FastifyRequest, RecordedRequest>();

  // Private: authentication comes after faults, which model the network and proxies in front of the app.
  const answerFor = (request: FastifyRequest): ContractAnswer =>
    authorize(request.headers) ?? route.handle(request);

  app.route({
    method: route.method,
    url: route.url,
    onRequest: (request, _reply, done) => {
      arrivals.set(request, recorder.record(request.method, route.url, request.url, request.headers));
      done();
    },
    handler: async (request, reply) => {
      const arrival = arrivals.get(request);
      if (arrival !== undefined) arrival.body = request.body;
      const path = arrival?.path ?? request.url;
      const fault = faults.pick(route.url, path);
      const latencyMs = faults.latencyFor(route.url, path);
      if (latencyMs > 0) await delays.wait(latencyMs);
      if (fault === undefined) return sendAnswer(reply, answerFor(request));
      if (fault.afterApply === true) answerFor(request);
      return sendFault(request, reply, fault, faulted);
    },
  });
}

/** Writes a contract answer to the reply. */
export function sendAnswer(reply: FastifyReply, answer: ContractAnswer): FastifyReply {
  if (answer.headers !== undefined) reply.headers(answer.headers);
  reply.code(answer.status);
  return answer.body === undefined ? reply.send() : reply.send(answer.body);
}
