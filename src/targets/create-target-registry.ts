// The registry: one client per registered target, built from the config, iterated in a fixed order or looked up by id.
import { type Config, ConfigError, targetSections } from '../config/index.js';
import type { GatewayMetrics } from '../observability/index.js';
import { createTargetClient, type TargetClient } from './create-target-client.js';
import type { OrderAnswer } from './target-definition.js';
import {
  type AnyTargetModule,
  anyTargetModules,
  type TargetId,
  type TargetValueOf,
} from './target-modules.js';

/** One target ready to use: its module (what it is) and its client (how to reach it). */
export interface RegisteredTarget {
  readonly id: TargetId;
  readonly module: AnyTargetModule;
  readonly client: TargetClient<OrderAnswer>;
}

/** Every target's client, keyed by target id (the same objects the registry's entries hold). */
export type TargetClients = { readonly [Id in TargetId]: TargetClient<TargetValueOf<Id>> };

export interface TargetRegistry {
  /** Every target, in the fixed order of targetModules. */
  readonly targets: readonly RegisteredTarget[];
  readonly clients: TargetClients;
  /** The target registered under `id`, or undefined (an id from storage may name a removed target). */
  targetById(id: string): RegisteredTarget | undefined;
  /** Closes every target's connections once their in-flight calls finish. */
  close(): Promise<void>;
}

/**
 * Builds one client per registered target, each with its own pool, from its config section.
 * @throws ConfigError when a target has no URL or no credential (main.ts fills them with the demo
 *   upstreams' outside production, so here that is a configuration bug)
 */
export function createTargetRegistry(config: Config, metrics: GatewayMetrics): TargetRegistry {
  // Every target's missing settings at once, so one start lists them all.
  const problems = anyTargetModules.flatMap((module) => {
    const { settings, credential } = module.section(config);
    const { envPrefix, credential: field } = targetSections[module.id];
    return [
      ...(settings.url ? [] : [`${envPrefix}_API_URL is required`]),
      ...(credential ? [] : [`${field.variable} is required`]),
    ];
  });
  if (problems.length > 0) throw new ConfigError(problems);
  const targets = anyTargetModules.map((module): RegisteredTarget => {
    const { settings, credential } = module.section(config);
    // Checked above for every module; the guard keeps the types honest.
    if (!settings.url || !credential)
      throw new ConfigError([`${module.id}: URL and credential are required`]);
    const client = createTargetClient(module.definition(credential), settings.url, settings, metrics);
    return { id: module.id, module, client };
  });
  const byId = new Map(targets.map((target) => [target.id as string, target]));
  // Each client was built from the module registered under its id, so it carries that module's value type.
  const clients = Object.fromEntries(targets.map(({ id, client }) => [id, client])) as TargetClients;
  return {
    targets,
    clients,
    targetById: (id) => byId.get(id),
    async close() {
      await Promise.all(targets.map(({ client }) => client.close()));
    },
  };
}
