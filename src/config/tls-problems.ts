// Start-up checks of the targets' TLS files: settings that belong together, and files that make a usable TLS context.
import { createSecureContext } from 'node:tls';
import type { Config } from './config-schema.js';

/**
 * Finds TLS settings that cannot work: a client certificate without its key (or the reverse), TLS files
 * for a target whose URL is not https://, and files OpenSSL refuses (a key that does not match its
 * certificate, a broken PEM block). Messages name the variables, never the files' content.
 * @param nameOf names the variable (or file field) for a config path such as `targets.crm.caFile`
 */
export function tlsProblems(config: Config, nameOf: (path: string) => string): string[] {
  const problems: string[] = [];
  for (const [target, settings] of Object.entries(config.targets)) {
    const name = (field: string) => nameOf(`targets.${target}.${field}`);
    const { caFile, clientCertFile, clientKeyFile, url } = settings;
    if (!caFile && !clientCertFile && !clientKeyFile) continue;
    if (Boolean(clientCertFile) !== Boolean(clientKeyFile)) {
      const [set, unset] = clientCertFile
        ? ['clientCertFile', 'clientKeyFile']
        : ['clientKeyFile', 'clientCertFile'];
      problems.push(`${name(unset)}: required when ${name(set)} is set (mutual TLS needs both)`);
      continue;
    }
    if (!url?.startsWith('https://')) {
      const field = caFile ? 'caFile' : 'clientCertFile';
      problems.push(
        `${name(field)}: set, but ${name('url')} is not an https:// URL (the file would go unused)`,
      );
      continue;
    }
    try {
      createSecureContext({ ca: caFile?.pem, cert: clientCertFile?.pem, key: clientKeyFile?.pem });
    } catch (error) {
      const names = [
        caFile && name('caFile'),
        clientCertFile && name('clientCertFile'),
        clientKeyFile && name('clientKeyFile'),
      ];
      const reason = (error as Error).message.replace(/^error:[0-9A-F]+:/, '');
      problems.push(`${names.filter(Boolean).join(', ')}: OpenSSL cannot use these files (${reason})`);
    }
  }
  return problems;
}
