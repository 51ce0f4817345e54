/** The formatter's corpus: every fixture, the seed articles' configurations, the examples and Debian's samples. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '../..');
export const DEBIAN_SAMPLES = '/usr/share/doc/keepalived/samples';

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.md'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Directories whose files are configurations (includes and fragments too), each read with its own directory as working directory. */
export const CORPUS_DIRS = [
  join(ROOT, 'test/fixtures/keepalived'),
  join(ROOT, 'test/fixtures/cluster'),
  join(ROOT, 'test/fixtures/seeds'),
  join(ROOT, 'examples'),
  DEBIAN_SAMPLES,
];

export const CORPUS = CORPUS_DIRS.flatMap((dir) => filesUnder(dir).filter((f) => dir !== DEBIAN_SAMPLES || f.includes('keepalived.conf')));
