// Benchmarks one system under test: sample check, warm-up, measured load with CPU time, unloaded latency.
import type { BenchSettings } from './bench-settings.js';
import { type LoadResult, runLoad } from './load.js';
import { readProcessCpuMs } from './process-cpu.js';
import { BENCH_REQUEST_BODY, reportsSuccess } from './scenario.js';
import { type AnswerCheck, verifySample } from './verify-sample.js';

/** A running system to benchmark. */
export interface SystemUnderTest {
  readonly name: string;
  /** The POST endpoint, e.g. http://127.0.0.1:4321/graphql. */
  readonly url: string;
  /** The Node process serving it, measured through /proc. */
  readonly pid: number;
  readonly checkAnswer: AnswerCheck;
  /** Sent with every request besides the content type, e.g. the caller's credential. @default none */
  readonly requestHeaders?: Readonly<Record<string, string>>;
}

/** What one system did. CPU figures are milliseconds per response of the measured loaded run. */
export interface SystemMeasurement {
  readonly name: string;
  readonly loaded: LoadResult;
  readonly unloaded: LoadResult;
  readonly cpuMsPerRequest: number;
  /** The demo upstreams' process during the same run, for context (they share the machine). */
  readonly upstreamCpuMsPerRequest: number;
  /** This process (autocannon) during the same run. */
  readonly loadGeneratorCpuMsPerRequest: number;
  /** Mutations sent in all phases: sample requests, warm-up, loaded and unloaded runs (in-flight ones too). */
  readonly mutationsSent: number;
}

/** How many requests `verifySample` sends before any load. */
const SAMPLE_REQUESTS = 3;

/** Everything `measureSystem` needs besides the system itself. */
export interface MeasureContext {
  readonly settings: BenchSettings;
  readonly upstreamCpuMs: () => Promise<number>;
  readonly log: (line: string) => void;
}

/** Runs the phases in order; throws if the sample requests are not successes. */
export async function measureSystem(
  sut: SystemUnderTest,
  context: MeasureContext,
): Promise<SystemMeasurement> {
  const { settings, log } = context;
  const request = { url: sut.url, body: BENCH_REQUEST_BODY, headers: sut.requestHeaders };
  const load = (connections: number, durationS: number) =>
    runLoad({ ...request, connections, durationS, verifyBody: reportsSuccess });

  await verifySample({ ...request, system: sut.name }, sut.checkAnswer, SAMPLE_REQUESTS);
  log(`${sut.name}: sample answers are SUCCEEDED; warming up ${settings.warmupS} s`);
  const warmup = await load(settings.connections, settings.warmupS);

  log(`${sut.name}: measuring ${settings.durationS} s at ${settings.connections} connections`);
  const before = {
    sut: readProcessCpuMs(sut.pid),
    upstreams: await context.upstreamCpuMs(),
    self: ownCpuMs(),
  };
  const loaded = await load(settings.connections, settings.durationS);
  const after = {
    sut: readProcessCpuMs(sut.pid),
    upstreams: await context.upstreamCpuMs(),
    self: ownCpuMs(),
  };

  log(`${sut.name}: measuring unloaded latency for ${settings.unloadedS} s at 1 connection`);
  const unloaded = await load(1, settings.unloadedS);
  const perRequest = (ms: number) => ms / Math.max(loaded.responses, 1);
  return {
    name: sut.name,
    loaded,
    unloaded,
    cpuMsPerRequest: perRequest(after.sut - before.sut),
    upstreamCpuMsPerRequest: perRequest(after.upstreams - before.upstreams),
    loadGeneratorCpuMsPerRequest: perRequest(after.self - before.self),
    mutationsSent: SAMPLE_REQUESTS + warmup.sent + loaded.sent + unloaded.sent,
  };
}

function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}
