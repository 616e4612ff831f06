// The bundled GraphiQL (ruru) page: its HTML, whose inline scripts carry a per-request nonce, and the CSPs that keep it on this origin.
import { randomBytes } from 'node:crypto';
import { type RuruClientConfig, ruruHTML } from 'ruru/server';

export interface GraphiqlPageOptions {
  /** URL path of the GraphQL endpoint the page sends operations to, e.g. `/graphql`. */
  readonly endpoint: string;
  /** URL path under which ruru's bundled assets are served; starts and ends with `/`. */
  readonly staticPath: string;
  /**
   * Whether the endpoint runs only trusted documents: the editor's first tab then says why the schema
   * (an introspection query, not in the manifest) does not load and edited operations are refused.
   * @default false
   */
  readonly trustedDocumentsOnly?: boolean;
}

/**
 * Private: stands in for the nonce in what is built once at start-up (the page and its policy); each
 * answer joins the parts around it with a fresh nonce. Base64 never contains it, and ruru writes no such text.
 */
const NONCE_SLOT = '__FANOUT_GRAPHIQL_NONCE__';

/**
 * Private: the page's policy: everything from this origin only; inline scripts only with the nonce. Inline
 * styles are allowed because GraphiQL's markup and Monaco set them; a style cannot fetch anything, since
 * fonts and images are also 'self' only (data: URIs are not fetches).
 */
const PAGE_POLICY_PARTS = [
  "default-src 'none'",
  `script-src 'self' 'nonce-${NONCE_SLOT}'`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
]
  .join('; ')
  .split(NONCE_SLOT);

/** The page's policy for one answer, whose inline scripts carry `nonce`. */
export function graphiqlPagePolicy(nonce: string): string {
  return PAGE_POLICY_PARTS.join(nonce);
}

/** The assets' policy: a module worker (Monaco's) runs under its own script's policy, not the page's. */
export const GRAPHIQL_ASSET_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** A fresh nonce for one page answer: 128 random bits, base64. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * Private: GraphiQL keeps each operation's headers in the history and favourites it saves to localStorage,
 * whatever its persist-headers setting says, and a credential left there is readable by any script this
 * origin runs (Sandbox's landing page runs Apollo's CDN script here). This keeps the operations and drops
 * their headers, on every write and once for what is stored already.
 */
const HISTORY_WITHOUT_HEADERS = `<script>
  (() => {
    const historyKeys = ['graphiql:queries', 'graphiql:favorites'];
    const setItem = Storage.prototype.setItem;
    const withoutHeaders = (text) => {
      try {
        return JSON.stringify(JSON.parse(text), (key, value) => (key === 'headers' ? undefined : value));
      } catch {
        return text;
      }
    };
    Storage.prototype.setItem = function (key, value) {
      return setItem.call(this, key, historyKeys.includes(key) ? withoutHeaders(String(value)) : value);
    };
    for (const key of historyKeys) {
      const stored = localStorage.getItem(key);
      if (stored !== null) localStorage.setItem(key, stored);
    }
  })();
</script>`;

/**
 * Renders the page once, at start-up, and returns what fills in each answer's nonce: every `<script>`
 * ruru writes gets it, so an answer costs one join instead of rendering ruru's HTML again.
 */
export function graphiqlPageRenderer(options: GraphiqlPageOptions): (nonce: string) => string {
  const withNonce = (original: string) => original.replaceAll('<script', `<script nonce="${NONCE_SLOT}"`);
  const parts = ruruHTML({
    endpoint: options.endpoint,
    staticPath: options.staticPath,
    // ruru's props type picks from GraphiQL's, which is not installed here, so every prop reads as required.
    clientConfig: { defaultQuery: defaultQuery(options) } as RuruClientConfig,
    htmlParts: {
      titleTag: '<title>Fanout Gateway · GraphiQL</title>',
      configScript: withNonce,
      // Before ruru's own scripts, so the wrapper is in place before GraphiQL stores anything.
      headerScripts: (original) => withNonce(`${HISTORY_WITHOUT_HEADERS}\n${original}`),
      bodyScripts: withNonce,
      bodyInitScript: withNonce,
    },
  }).split(NONCE_SLOT);
  return (nonce) => parts.join(nonce);
}

/** Private: the first tab's text (until the browser has tabs of its own saved): how to call this gateway. */
function defaultQuery(options: GraphiqlPageOptions): string {
  const lines = [
    '# Fanout Gateway explorer: served by this gateway,',
    '# it loads nothing from the internet.',
    '#',
    '# With caller authentication on, operations need a',
    '# credential: open "Headers" below and add',
    '#   {"x-api-key": "<key>"}',
    '# or',
    '#   {"authorization": "Bearer <token>"}',
    '# then refetch the schema (the circling arrows).',
  ];
  if (options.trustedDocumentsOnly) {
    lines.push(
      '#',
      '# This gateway runs only its trusted documents:',
      '# the schema (an introspection query) does not load,',
      '# and an operation runs only when its text is exactly',
      '# a document of the manifest.',
    );
  }
  return `${lines.join('\n')}\n`;
}
