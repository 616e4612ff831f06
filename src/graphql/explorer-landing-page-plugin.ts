// Apollo plugin: Apollo's own Sandbox landing page, plus a line linking the offline explorer and a clear message when the CDN is unreachable.
import type { ApolloServerPlugin, BaseContext, LandingPage } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';

export interface ExplorerLandingPageOptions {
  /** URL path of the explorer served by this gateway (no CDN), e.g. `/graphiql`. */
  readonly explorerPath: string;
}

/** The parts of Apollo's page this plugin edits; a missing one means @apollo/server changed its page. */
const NONCE = /<script nonce="([^"]+)"/;
const APOLLO_FALLBACK = /<div class="fallback">[\s\S]*?<\/div>/;
const SANDBOX_SCRIPT =
  /<script nonce="[^"]*" src="https:\/\/embeddable-sandbox\.cdn\.apollographql\.com\/[^"]*"><\/script>/;
const SANDBOX_TARGET = '<div id="embeddableSandbox"></div>';

/**
 * Wraps `ApolloServerPluginLandingPageLocalDefault({ embed: true })`, so the Sandbox embed, its config
 * and its Content-Security-Policy stay Apollo's. On top: a line at the top linking `explorerPath`, and,
 * when the Sandbox script did not load from Apollo's CDN (offline, or blocked), a message pointing to
 * `explorerPath` in place of the embed, instead of Apollo's "you might be offline".
 */
export function explorerLandingPagePlugin(
  options: ExplorerLandingPageOptions,
): ApolloServerPlugin<BaseContext> {
  const sandbox = ApolloServerPluginLandingPageLocalDefault({ embed: true });
  return {
    async serverWillStart(service) {
      const listener = await sandbox.serverWillStart?.(service);
      const renderSandbox = listener?.renderLandingPage;
      if (!renderSandbox) throw new Error("@apollo/server's local landing page plugin renders no page");
      const sandboxPage = await renderSandbox();
      // Checked once at start-up, so a changed Apollo page fails loudly instead of losing the notice.
      withExplorerNotice(await htmlOf(sandboxPage), options.explorerPath);
      return {
        async renderLandingPage(): Promise<LandingPage> {
          return { html: async () => withExplorerNotice(await htmlOf(sandboxPage), options.explorerPath) };
        },
      };
    },
  };
}

/** Private: Apollo renders each request's page anew (a fresh nonce), or once as a string. */
async function htmlOf(page: LandingPage): Promise<string> {
  return typeof page.html === 'string' ? page.html : page.html();
}

/** Private: Apollo's page with the explorer line, and the check after the Sandbox script, using its nonce. */
function withExplorerNotice(html: string, explorerPath: string): string {
  const nonce = NONCE.exec(html)?.[1];
  if (!nonce || !APOLLO_FALLBACK.test(html) || !SANDBOX_SCRIPT.test(html) || !html.includes(SANDBOX_TARGET)) {
    throw new Error(
      "@apollo/server's Sandbox landing page changed: explorerLandingPagePlugin cannot add its notice",
    );
  }
  const href = escapeHtml(explorerPath);
  return html
    .replace(APOLLO_FALLBACK, () => '')
    .replace(SANDBOX_TARGET, () => `${noticeMarkup(nonce, href)}${SANDBOX_TARGET}`)
    .replace(SANDBOX_SCRIPT, (script) => `${script}${sandboxCheckScript(nonce)}`);
}

/** Private: the explorer line, the hidden offline message, and their styles (the page's CSP wants the nonce). */
function noticeMarkup(nonce: string, href: string): string {
  return `
<style nonce="${nonce}">
  .explorer-line { position: fixed; top: 0; left: 0; right: 0; height: 2rem; line-height: 2rem; margin: 0; padding: 0 1rem;
    font: 14px system-ui, sans-serif; background: #f4f6f8; border-bottom: 1px solid #d9dee3; z-index: 1; }
  #embeddableSandbox { top: 2rem; height: calc(100vh - 2rem); }
  .sandbox-unavailable { padding: 3rem 1rem 1rem; font: 16px system-ui, sans-serif; }
</style>
<p class="explorer-line" id="explorer-line">Offline, or Sandbox blocked? This gateway serves its own explorer, with nothing from a CDN: <a href="${href}">${href}</a></p>
<div class="sandbox-unavailable" id="sandbox-unavailable" hidden>
  <h1>Apollo Sandbox could not be loaded</h1>
  <p>Sandbox comes from Apollo's CDN, which this browser could not reach (you may be offline, or a proxy or extension blocks it).</p>
  <p>Use the explorer this gateway serves itself instead: <a href="${href}">${href}</a></p>
</div>
`;
}

/** Private: runs right after the Sandbox script tag, which has then loaded or failed (scripts run in order). */
function sandboxCheckScript(nonce: string): string {
  return `
<script nonce="${nonce}">
  if (typeof window.EmbeddedSandbox !== 'function') {
    document.getElementById('embeddableSandbox').hidden = true;
    document.getElementById('sandbox-unavailable').hidden = false;
  }
</script>`;
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' };

function escapeHtml(text: string): string {
  return text.replace(/[&"<>]/g, (character) => HTML_ENTITIES[character] ?? character);
}
