// Prints where a .cpuprofile (node --cpu-prof) spent its self time: top functions and top packages.
// Usage: tsx bench/summarize-cpu-profile.ts <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self milliseconds per key, largest first. */
type Tally = Map<string, number>;

function add(tally: Tally, key: string, ms: number): void {
  tally.set(key, (tally.get(key) ?? 0) + ms);
}

// Private: group a script URL as the package or area it belongs to, so "who costs what" reads at a glance.
function areaOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native / V8 builtins)';
  const inModules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (inModules?.[1]) return inModules[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const inProject = url.match(/\/(src|bench)\/([^/]+)/);
  return inProject ? `${inProject[1]}/${inProject[2]}` : url;
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\/.*?node_modules\//, '').replace(/^file:\/\/.*?\/(src|bench)\//, '$1/');
}

/** Sums each node's sampled self time, by function and by area. */
export function summarizeCpuProfile(profile: CpuProfile): {
  totalMs: number;
  byFunction: Tally;
  byArea: Tally;
} {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  const byFunction: Tally = new Map();
  const byArea: Tally = new Map();
  let totalMs = 0;
  for (const [id, ms] of selfMs) {
    const frame = nodes.get(id)?.callFrame;
    if (frame === undefined) continue;
    const name = frame.functionName || '(anonymous)';
    const where = frame.url ? ` ${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    add(byFunction, `${name}${where}`, ms);
    add(byArea, areaOf(frame.url, name), ms);
    totalMs += ms;
  }
  return { totalMs, byFunction, byArea };
}

function printTop(title: string, tally: Tally, totalMs: number, top: number): void {
  process.stdout.write(`\n${title}\n`);
  const rows = [...tally].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [key, ms] of rows) {
    process.stdout.write(
      `${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / totalMs).toFixed(1).padStart(5)}%  ${key}\n`,
    );
  }
}

const [file, topArg] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write('usage: tsx bench/summarize-cpu-profile.ts <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const { totalMs, byFunction, byArea } = summarizeCpuProfile(
  JSON.parse(readFileSync(file, 'utf8')) as CpuProfile,
);
process.stdout.write(`${file}: ${totalMs.toFixed(0)} ms sampled\n`);
printTop('Self time by package / area', byArea, totalMs, top);
printTop('Self time by function', byFunction, totalMs, top);
