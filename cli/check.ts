/**
 * `kalint check PATH...`: reads each configuration as keepalived would, runs
 * the lint rules, and optionally fixes what can be fixed. Directories are
 * searched for `*.conf` files; a file that another checked file includes is
 * checked through that include, not again on its own.
 */
import { writeFileSync } from 'node:fs';
import { join, posix, relative, resolve } from 'node:path';
import { type Diagnostic, type Host, nodeHost, readConfig, type ReadOptions, type ReadResult, rootedHost, type SourceFile } from '../grammar/index.ts';
import { applyFixes, lint, type LintRule, type RuleTimes, type SeveritySetting } from '../lint/index.ts';
import { expandPaths } from './paths.ts';

export interface CheckRequest {
  paths: string[];
  read: Omit<ReadOptions, 'host'>;
  rules: readonly LintRule[];
  severities: Readonly<Record<string, SeveritySetting>>;
  /** Directory standing for `/` (absolute includes of a checkout of /etc). */
  includeRoot?: string;
  fix: 'none' | 'apply' | 'dry-run';
  cwd: string;
  /** When given, the time spent reading and in each rule is added to it. */
  timing?: Timing;
}

/** Where `kalint check --timing` says the time went, in milliseconds. */
export interface Timing {
  reading: number;
  rules: RuleTimes;
}

export interface CheckedFile {
  path: string;
  diagnostics: Diagnostic[];
  /** Files read for this configuration, itself and its includes. */
  files: number;
  result: ReadResult;
}

export interface CheckOutcome {
  results: CheckedFile[];
  /** Paths that could not be read at all. */
  failures: { path: string; error: string }[];
  /** Unified diffs of the fixes (dry run) or of the files written (apply). */
  patches: string[];
  /** The real path of a file as kalint read it (virtual paths under includeRoot mapped back). */
  realPath: (file: SourceFile) => string;
}

/**
 * How many times fixes are applied and the files read again, for fixes that
 * enable others: a block squashed onto one line splits one statement a pass.
 */
const FIX_PASSES = 100;

/** A host that serves edited texts in place of the files. */
function overlay(base: Host, edits: ReadonlyMap<string, string>, cwd: string): Host {
  const key = (p: string) => posix.resolve(cwd, p);
  return {
    ...base,
    readFile: (p) => {
      const text = edits.get(key(p));
      return text === undefined ? base.readFile(p) : new TextEncoder().encode(text);
    },
  };
}

export async function check(req: CheckRequest): Promise<CheckOutcome> {
  const failures: CheckOutcome['failures'] = [];
  const root = req.includeRoot;
  const base = root ? rootedHost(nodeHost(req.cwd), root, `/${relative(root, req.cwd)}`) : nodeHost(req.cwd);
  const realPath = (file: SourceFile) => (root ? join(root, file.absolutePath) : file.absolutePath);
  const patches: string[] = [];
  const candidates = req.paths.flatMap((p) => expandPaths(p, failures));
  const checked = new Map<string, CheckedFile & { included: Set<string> }>();

  for (const path of candidates) {
    if (root && relative(root, resolve(req.cwd, path)).startsWith('..')) {
      failures.push({ path, error: `not inside the include root ${root}` });
      continue;
    }
    const edits = new Map<string, string>();
    const originals = new Map<string, SourceFile>();
    let outcome: { result: ReadResult; diagnostics: Diagnostic[] } | { error: string };
    for (let pass = 0; ; pass++) {
      const readStart = performance.now();
      const result = readConfig(path, { ...req.read, host: overlay(base, edits, base.cwd()) });
      if (req.timing) req.timing.reading += performance.now() - readStart;
      if ('error' in result) {
        outcome = result;
        break;
      }
      const diagnostics = lint(result, {
        rules: req.rules,
        severities: req.severities,
        ...(req.read.targetVersion ? { targetVersion: req.read.targetVersion } : {}),
        ...(req.timing ? { timing: req.timing.rules } : {}),
      });
      outcome = { result, diagnostics };
      if (req.fix === 'none' || pass === FIX_PASSES) break;
      let applied = 0;
      for (const file of result.config.files) {
        const fixed = applyFixes(file, diagnostics);
        if (!fixed.applied) continue;
        if (!originals.has(file.absolutePath)) originals.set(file.absolutePath, file);
        edits.set(file.absolutePath, fixed.text);
        applied += fixed.applied;
      }
      if (!applied) break;
    }
    if ('error' in outcome) {
      failures.push({ path, error: outcome.error });
      continue;
    }
    const { createTwoFilesPatch } = originals.size ? await import('diff') : { createTwoFilesPatch: undefined };
    for (const [abs, original] of originals) {
      const text = edits.get(abs)!;
      const shown = relative(req.cwd, realPath(original)) || realPath(original);
      patches.push(createTwoFilesPatch!(`a/${shown}`, `b/${shown}`, original.text, text));
      if (req.fix === 'apply') writeFileSync(realPath(original), text);
    }
    const { result, diagnostics } = outcome;
    const included = new Set(result.config.files.slice(1).map(realPath));
    checked.set(path, { path, diagnostics, files: result.config.files.length, result, included });
  }

  const includedSomewhere = new Set<string>();
  for (const r of checked.values()) for (const f of r.included) includedSomewhere.add(f);
  const results = [...checked.values()]
    .filter((r) => checked.size === 1 || !includedSomewhere.has(resolve(req.cwd, r.path)))
    .map(({ path, diagnostics, files, result }) => ({ path, diagnostics, files, result }));
  return { results, failures, patches, realPath };
}
