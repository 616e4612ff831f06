// Start-up checks that span a target's fields: production needs a real upstream, and a real upstream its credential.
import type { Config } from './config-schema.js';
import { listTargetSections } from './target-sections.js';

/**
 * Finds, for every target section, a missing URL in production, a URL without its credential, and a
 * credential without a URL (it would go unused).
 * @param variableFor names the environment variable of a config path such as `targets.crm.url`
 * @param sourceFor names what set a field: its variable when one did, else its place in the file
 */
export function targetConfigProblems(
  config: Config,
  variableFor: (path: string) => string,
  sourceFor: (path: string) => string,
): string[] {
  const problems: string[] = [];
  for (const [id, { credential }] of listTargetSections()) {
    const section: Readonly<Record<string, unknown>> = config.targets[id];
    const url = section.url;
    const credentialValue = section[credential.field];
    const urlPath = `targets.${id}.url`;
    const credentialPath = `targets.${id}.${credential.field}`;
    if (!url && config.env === 'production') {
      problems.push(
        `${variableFor(urlPath)}: required when NODE_ENV=production (demo upstreams never start in production)`,
      );
    }
    if (url && !credentialValue) {
      problems.push(
        `${variableFor(credentialPath)}: required when ${sourceFor(urlPath)} is set (the upstream authenticates every request)`,
      );
    }
    if (!url && credentialValue) {
      problems.push(
        `${variableFor(urlPath)}: required when ${sourceFor(credentialPath)} is set (the credential would go unused)`,
      );
    }
  }
  return problems;
}
