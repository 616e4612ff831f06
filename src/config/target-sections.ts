// What config knows of each target: its section under `targets`, its variables' prefix and its credential.

/** The one setting that authenticates the gateway to a target; a secret, never logged. */
export interface TargetCredential<Field extends string = string> {
  /** Its field in the target's section, e.g. `token`. */
  readonly field: Field;
  /** Its environment variable (also read from `<variable>_FILE`), e.g. `INVENTORY_API_TOKEN`. */
  readonly variable: string;
  /** Its description in the JSON Schema and the docs table. */
  readonly description: string;
}

/** One target's config section: `targets.<id>` in the file, `<envPrefix>_*` in the environment. */
export interface TargetSection<Field extends string = string> {
  /** Prefix of the section's variables, e.g. `INVENTORY` for `INVENTORY_API_URL` and `INVENTORY_TIMEOUT_MS`. */
  readonly envPrefix: string;
  readonly credential: TargetCredential<Field>;
}

/**
 * Every target's section, keyed by target id, in the order the config file, the variables table and
 * the target registry list them. Adding a target adds its entry here (the names are public: users set them).
 */
export const targetSections = {
  inventory: {
    envPrefix: 'INVENTORY',
    credential: {
      field: 'token',
      variable: 'INVENTORY_API_TOKEN',
      description: 'Bearer token for the Inventory API; keep it out of the file (INVENTORY_API_TOKEN_FILE).',
    },
  },
  crm: {
    envPrefix: 'CRM',
    credential: {
      field: 'apiKey',
      variable: 'CRM_API_KEY',
      description: 'X-API-Key for the CRM API; keep it out of the file (CRM_API_KEY_FILE).',
    },
  },
} as const satisfies Record<string, TargetSection>;

/** The id of a target with a config section, e.g. `inventory`. */
export type TargetSectionId = keyof typeof targetSections;

/** The sections as [id, section] pairs, in their fixed order. */
export function listTargetSections(): readonly (readonly [TargetSectionId, TargetSection])[] {
  return Object.entries(targetSections) as [TargetSectionId, TargetSection][];
}
