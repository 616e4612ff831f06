// The registered targets, in their fixed order, and the types every layer derives from them.
import type { TargetSectionId } from '../config/index.js';
import { crmTarget } from './crm/crm-target.js';
import { inventoryTarget } from './inventory/inventory-target.js';
import type { OrderAnswer, TargetDefinition } from './target-definition.js';
import type { GraphQLMember, TargetModule } from './target-module.js';

/** Every target, in the order the engine sends, the payload lists and `Query.targets` reports them. */
export const targetModules = [inventoryTarget, crmTarget] as const;

type RegisteredModule = (typeof targetModules)[number];

/** A registered target's id, e.g. `inventory`. */
export type TargetId = RegisteredModule['id'];

/** Any target module, its value and member types erased: what code iterating the registry sees. */
export type AnyTargetModule = TargetModule<TargetId, OrderAnswer, GraphQLMember>;

/** The module registered under `Id`. */
export type TargetModuleOf<Id extends TargetId> = Extract<RegisteredModule, { readonly id: Id }>;

/** The success value of the target `Id`, e.g. StockDeduction for `inventory`. */
export type TargetValueOf<Id extends TargetId> =
  ReturnType<TargetModuleOf<Id>['definition']> extends TargetDefinition<infer TValue> ? TValue : never;

/** The GraphQL success member of the target `Id`, e.g. StockDeducted for `inventory`. */
export type TargetSuccessMemberOf<Id extends TargetId> = ReturnType<
  TargetModuleOf<Id>['graphql']['toSuccessMember']
>;

/** The registered modules as code iterating them sees them. */
export const anyTargetModules: readonly AnyTargetModule[] = targetModules;

/** The module registered under `id`, or undefined (an id read from storage may name a removed target). */
export function targetModuleById(id: string): AnyTargetModule | undefined {
  return anyTargetModules.find((module) => module.id === id);
}

// Every config section has its module and every module its section: compiling fails otherwise.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const modulesMatchConfigSections: SameKeys<TargetId, TargetSectionId> = true;
void modulesMatchConfigSections;
