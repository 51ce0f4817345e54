import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A file as given, or the `*.conf` files under a directory in name order; a missing path is recorded in `failures`. */
export function expandPaths(path: string, failures: { path: string; error: string }[]): string[] {
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
      else if (entry.isFile() && entry.name.endsWith('.conf')) found.push(full);
    }
  };
  walk(path);
  return found;
}
