// Replays the Dockerfile without Docker: each stage in its own directory, its COPY and RUN steps in order (test/production-build.test.ts).
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';

/** One build step: a shell command, or a copy from the build context or an earlier stage. */
export type DockerStep =
  | { readonly kind: 'run'; readonly command: string }
  | {
      readonly kind: 'copy';
      readonly from: string | undefined;
      readonly sources: readonly string[];
      readonly destination: string;
    };

/** A stage as the replay needs it; `cmd` and `healthcheck` are exec-form argument lists. */
export interface DockerStage {
  readonly name: string;
  readonly image: string;
  workdir: string;
  readonly env: Record<string, string>;
  readonly steps: DockerStep[];
  user: string | undefined;
  readonly expose: string[];
  cmd: string[] | undefined;
  healthcheck: string[] | undefined;
}

/** Private: instructions the replay cannot reproduce are refused, so the Dockerfile cannot drift past the test. */
const KNOWN_INSTRUCTIONS = new Set([
  'ARG',
  'FROM',
  'WORKDIR',
  'COPY',
  'RUN',
  'ENV',
  'USER',
  'EXPOSE',
  'HEALTHCHECK',
  'CMD',
]);

/** Private: splits `--flag=value` options off the front of an instruction's arguments. */
function takeFlags(args: string): { flags: Map<string, string>; rest: string } {
  const flags = new Map<string, string>();
  let rest = args;
  for (
    let match = /^--([a-z-]+)(?:=(\S*))?\s+/.exec(rest);
    match;
    match = /^--([a-z-]+)(?:=(\S*))?\s+/.exec(rest)
  ) {
    flags.set(match[1] ?? '', match[2] ?? '');
    rest = rest.slice(match[0].length);
  }
  return { flags, rest };
}

/** Private: an exec-form list (`["node", "dist/main.js"]`); the shell form is refused, since PID 1 must be node. */
function execForm(args: string, instruction: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string')) {
    throw new Error(`${instruction} must be in exec form (a JSON array of strings): ${args}`);
  }
  return parsed;
}

/** Parses the subset of Dockerfile syntax the replay supports; anything else is an error naming the line. */
export function parseDockerfile(text: string): DockerStage[] {
  const args = new Map<string, string>();
  const stages: DockerStage[] = [];
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  for (const line of lines) {
    const keyword = (/^\S+/.exec(line)?.[0] ?? '').toUpperCase();
    const rest = line.slice(keyword.length).trim();
    if (!KNOWN_INSTRUCTIONS.has(keyword)) throw new Error(`the replay does not understand: ${line}`);
    if (keyword === 'ARG') {
      const [name = '', value = ''] = rest.split('=');
      args.set(name, value);
    } else if (keyword === 'FROM') {
      stages.push(
        newStage(
          rest.replace(/\$\{(\w+)\}/g, (_, arg: string) => args.get(arg) ?? ''),
          line,
        ),
      );
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`an instruction before the first FROM: ${line}`);
      applyInstruction(stage, keyword, rest, line);
    }
  }
  return stages;
}

/** Private: `FROM image AS name`; a stage without a name could not be the source of a COPY --from. */
function newStage(rest: string, line: string): DockerStage {
  const [image = '', as, name] = rest.split(/\s+/);
  if (as?.toUpperCase() !== 'AS' || !name) throw new Error(`name every stage (FROM image AS name): ${line}`);
  return {
    name,
    image,
    workdir: '/',
    env: {},
    steps: [],
    user: undefined,
    expose: [],
    cmd: undefined,
    healthcheck: undefined,
  };
}

/** Private: records one instruction of a stage. */
function applyInstruction(stage: DockerStage, keyword: string, rest: string, line: string): void {
  if (keyword === 'WORKDIR') stage.workdir = posix.resolve(stage.workdir, rest);
  else if (keyword === 'USER') stage.user = rest;
  else if (keyword === 'EXPOSE') stage.expose.push(...rest.split(/\s+/));
  else if (keyword === 'CMD') stage.cmd = execForm(rest, 'CMD');
  else if (keyword === 'ENV') {
    for (const pair of rest.split(/\s+/)) {
      const match = /^(\w+)=([^"'\s]*)$/.exec(pair);
      if (!match?.[1]) throw new Error(`ENV must be unquoted key=value pairs: ${line}`);
      stage.env[match[1]] = match[2] ?? '';
    }
  } else if (keyword === 'HEALTHCHECK') {
    const { rest: command } = takeFlags(rest);
    if (!command.startsWith('CMD ')) throw new Error(`HEALTHCHECK must run CMD [...]: ${line}`);
    stage.healthcheck = execForm(command.slice('CMD '.length), 'HEALTHCHECK');
  } else if (keyword === 'RUN') {
    // Flags such as --mount=type=cache change only where npm keeps its cache, not what the step does.
    stage.steps.push({ kind: 'run', command: takeFlags(rest).rest });
  } else {
    const { flags, rest: paths } = takeFlags(rest);
    const parts = paths.split(/\s+/);
    const destination = parts.pop();
    if (!destination || parts.length === 0) throw new Error(`COPY needs a source and a destination: ${line}`);
    stage.steps.push({ kind: 'copy', from: flags.get('from'), sources: parts, destination });
  }
}

/**
 * The build context `docker build .` would send: the working tree's files that git does not ignore
 * (tracked or not, as Docker reads the directory, not the commit), filtered by an allowlist .dockerignore.
 */
export async function contextFiles(repository: string): Promise<string[]> {
  const rules = (await readFile(join(repository, '.dockerignore'), 'utf8'))
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const [first, ...allowed] = rules;
  if (first !== '*' || !allowed.every((rule) => rule.startsWith('!'))) {
    throw new Error('.dockerignore must be an allowlist: `*`, then one `!path` per line');
  }
  const roots = allowed.map((rule) => rule.slice(1).replace(/\/$/, ''));
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repository,
    encoding: 'utf8',
  });
  const files = listed
    .split('\0')
    .filter((file) => roots.some((root) => file === root || file.startsWith(`${root}/`)));
  const present = await Promise.all(
    files.map((file) =>
      stat(join(repository, file)).then(
        () => file,
        () => undefined,
      ),
    ),
  );
  return present.filter((file) => file !== undefined);
}

export interface ReplayOptions {
  /** The directory holding the Dockerfile and the build context. */
  readonly repository: string;
  /** An empty directory; each stage's WORKDIR becomes `<into>/<stage name>`. */
  readonly into: string;
  /** Environment for RUN steps, under the stage's ENV (e.g. PATH, HOME for npm's cache). */
  readonly env: Record<string, string>;
  /** Called with each RUN command before it starts (progress for a slow build). @default no report */
  readonly onRun?: (command: string) => void;
}

/** Private: runs one RUN step with `sh -c`; throws with the step's output when it fails. */
async function runStep(command: string, cwd: string, env: Record<string, string>): Promise<void> {
  const child = spawn('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`RUN ${command} exited ${code}:\n${output}`);
}

/**
 * Private: Docker's COPY for one source: a directory's contents into `destination`; a file into it when
 * `intoDirectory` (the destination ends with `/` or is `.`), else as it.
 */
async function copyInto(source: string, destination: string, intoDirectory = false): Promise<void> {
  const directory = (await stat(source)).isDirectory();
  const target = !directory && intoDirectory ? join(destination, basename(source)) : destination;
  await mkdir(directory ? target : dirname(target), { recursive: true });
  await cp(source, target, { recursive: true, verbatimSymlinks: true });
}

/** Builds every stage in order and returns them; the last is the image that runs. */
export async function replayDockerfile(
  options: ReplayOptions,
): Promise<{ stages: DockerStage[]; dirs: Map<string, string> }> {
  const stages = parseDockerfile(await readFile(join(options.repository, 'Dockerfile'), 'utf8'));
  const context = join(options.into, 'context');
  for (const file of await contextFiles(options.repository)) {
    await copyInto(join(options.repository, file), join(context, file));
  }
  const dirs = new Map<string, string>();
  for (const stage of stages) {
    const dir = join(options.into, stage.name);
    await mkdir(dir, { recursive: true });
    dirs.set(stage.name, dir);
    for (const step of stage.steps) {
      if (step.kind === 'run') {
        options.onRun?.(step.command);
        await runStep(step.command, dir, { ...options.env, ...stage.env });
        continue;
      }
      const intoDirectory = step.destination.endsWith('/') || step.destination === '.';
      for (const source of step.sources) {
        const from = resolveSource(step.from, source, stages, dirs, context);
        await copyInto(from, join(dir, step.destination), intoDirectory);
      }
    }
  }
  return { stages, dirs };
}

/** Private: where a COPY source lives here: in the context, or under an earlier stage's WORKDIR. */
function resolveSource(
  from: string | undefined,
  source: string,
  stages: readonly DockerStage[],
  dirs: ReadonlyMap<string, string>,
  context: string,
): string {
  if (from === undefined) return join(context, source);
  const stage = stages.find((candidate) => candidate.name === from);
  const dir = dirs.get(from);
  if (!stage || !dir) throw new Error(`COPY --from=${from}: no earlier stage of that name`);
  const relative = posix.relative(stage.workdir, posix.resolve(stage.workdir, source));
  if (relative.startsWith('..'))
    throw new Error(`COPY --from=${from} ${source}: only files under its WORKDIR replay`);
  return join(dir, relative);
}
