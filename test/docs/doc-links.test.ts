// Every relative link in README.md and docs/*.md points at a file (and heading) inside this repository.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PAGES = [
  'README.md',
  ...readdirSync(resolve(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** Private: the page's Markdown with fenced code blocks and inline code spans blanked out. */
function proseOf(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Private: every `[text](target)` link target in the page's prose. */
function linkTargets(markdown: string): string[] {
  return [...proseOf(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1] ?? '');
}

/** Private: GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slugOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Private: the anchors of a Markdown file's headings (repeats get -1, -2 … as on GitHub). */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = slugOf(match[1] ?? '');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Private: what is wrong with one relative link, or undefined when it resolves. */
function problemWith(page: string, target: string): string | undefined {
  const [path = '', anchor] = target.split('#');
  const file = path === '' ? resolve(ROOT, page) : resolve(ROOT, dirname(page), decodeURI(path));
  const inRepo = relative(ROOT, file);
  if (inRepo.startsWith('..') || target.includes('shared/')) return 'points outside the repository';
  if (!existsSync(file)) return 'no such file';
  if (anchor && file.endsWith('.md') && statSync(file).isFile()) {
    if (!anchorsOf(readFileSync(file, 'utf8')).has(anchor)) return `no heading #${anchor} in ${inRepo}`;
  }
  return undefined;
}

describe('documentation links', () => {
  it.each(PAGES)('every relative link in %s resolves inside the repository', (page) => {
    const targets = linkTargets(readFileSync(resolve(ROOT, page), 'utf8')).filter(
      (target) => !/^[a-z][a-z0-9+.-]*:/i.test(target),
    );
    const problems = targets
      .map((target) => ({ target, problem: problemWith(page, target) }))
      .filter((link) => link.problem !== undefined);

    expect(problems).toEqual([]);
  });

  it('keeps the upstream contracts in the repository and links them from the README', () => {
    const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');

    expect(readme).toContain('](contracts/inventory-api.yaml)');
    expect(readme).toContain('](contracts/crm-api.yaml)');
    expect(existsSync(resolve(ROOT, 'contracts/inventory-api.yaml'))).toBe(true);
    expect(existsSync(resolve(ROOT, 'contracts/crm-api.yaml'))).toBe(true);
  });

  it('finds the GitHub anchors of headings with punctuation and code', () => {
    expect(anchorsOf('# A\n## Try it: open a circuit\n## `FANOUT_X` and Y\n## A\n')).toEqual(
      new Set(['a', 'try-it-open-a-circuit', 'fanout_x-and-y', 'a-1']),
    );
  });
});
