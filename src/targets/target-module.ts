// What one target module declares: identity, config section, HTTP definition, GraphQL member and compensation.
import type { Config, TargetConfig } from '../config/index.js';
import type { CompensationRequest } from './compensation-request.js';
import type { OrderAnswer, TargetDefinition } from './target-definition.js';

/** A GraphQL object type as resolvers return it: named by `__typename`. */
export interface GraphQLMember {
  readonly __typename: string;
}

/**
 * How the target appears in the public schema (fixed by the SDL): its `Target` enum value, and the
 * success member of its result union. The graphql layer checks these against the generated types.
 */
export interface TargetGraphQLMapping<TValue, TMember extends GraphQLMember, TName extends string = string> {
  /** The `Target` enum value, e.g. `INVENTORY`: what failure members and `Query.targets` report. */
  readonly name: TName;
  /** The success member's type name, e.g. `StockDeducted`. */
  readonly successTypename: TMember['__typename'];
  toSuccessMember(value: TValue): TMember;
  /** The success an earlier run's member stands for, marked `replayed` (a repeat keeps it instead of writing again). */
  fromSuccessMember(member: TMember, orderId: string): TValue;
}

/** A target's section of the config: its settings (URL included) and its credential, when set. */
export interface TargetSectionValues {
  readonly settings: TargetConfig;
  readonly credential: string | undefined;
}

/**
 * Everything about one upstream, in one place: the registry, the engine, the GraphQL mapping and the
 * delivery worker look targets up by `id` and iterate them; none of them names a target.
 */
export interface TargetModule<
  TId extends string,
  TValue extends OrderAnswer,
  TMember extends GraphQLMember,
  TName extends string = string,
> {
  /** Stable lower-case id: the config section (`targets.<id>`), the payload field, logs and metrics. */
  readonly id: TId;
  /** Name used in failure messages, e.g. `Inventory API`. */
  readonly label: string;
  readonly graphql: TargetGraphQLMapping<TValue, TMember, TName>;
  /** Reads the target's section from the validated config. */
  section(config: Config): TargetSectionValues;
  /** The HTTP definition (endpoints, auth, bodies, decoding), given the credential from its section. */
  definition(credential: string): TargetDefinition<TValue>;
  /** The request that undoes a success (not sent by the request flow; the saga sends it). */
  compensation(value: TValue): CompensationRequest;
}
