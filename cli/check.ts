/**
 * `kalint check PATH...`: reads each configuration as keepalived would and
 * prints every diagnostic. Directories are searched for `*.conf` files; a
 * file that another checked file includes is checked through that include,
 * not again on its own.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Diagnostic, type Host, nodeHost, readConfig, type ReadOptions } from '../grammar/index.ts';

export interface CheckedFile {
  path: string;
  diagnostics: Diagnostic[];
  /** Files read for this configuration, itself and its includes. */
  files: number;
}

export interface CheckOutcome {
  results: CheckedFile[];
  /** Paths that could not be read at all. */
  failures: { path: string; error: string }[];
}

function expand(path: string, failures: CheckOutcome['failures']): string[] {
  let info;
  try {
    info = statSync(path);
  } catch {
    failures.push({ path, error: 'No such file or directory' });
    return [];
  }
  if (!info.isDirectory()) return [path];
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && (entry.name.endsWith('.conf') || entry.name === 'keepalived.conf')) found.push(full);
    }
  };
  walk(path);
  return found;
}

export function check(paths: string[], options: ReadOptions): CheckOutcome {
  const failures: CheckOutcome['failures'] = [];
  const host: Host = options.host ?? nodeHost();
  const candidates = paths.flatMap((p) => expand(p, failures));
  const read = new Map<string, CheckedFile & { included: Set<string> }>();
  for (const path of candidates) {
    const result = readConfig(path, { ...options, host });
    if ('error' in result) {
      failures.push({ path, error: result.error });
      continue;
    }
    const included = new Set(result.config.files.slice(1).map((f) => f.absolutePath));
    read.set(path, { path, diagnostics: result.diagnostics, files: result.config.files.length, included });
  }
  const includedSomewhere = new Set<string>();
  for (const r of read.values()) for (const f of r.included) includedSomewhere.add(f);
  const results = [...read.values()]
    .filter((r) => read.size === 1 || !includedSomewhere.has(resolve(host.cwd(), r.path)))
    .map(({ path, diagnostics, files }) => ({ path, diagnostics, files }));
  return { results, failures };
}

