/**
 * The formatter against keepalived itself: every directory of the corpus is
 * copied twice, one copy formatted file by file, and `keepalived -t` (in a
 * network namespace with an eth0) must give the same exit status and the same
 * messages, line numbers aside, for every configuration in both copies.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { format } from '../format/index.ts';
import { CORPUS, CORPUS_DIRS } from './helpers/corpus.ts';
import { CONFIG_IDS } from './helpers/meaning.ts';
import { createNamespace, type Namespace, namespaceUnavailable } from './helpers/netns.ts';

const unavailable = namespaceUnavailable();
if (unavailable && !process.env['KALINT_SKIP_NETNS']) {
  throw new Error(`keepalived comparison ${unavailable}; set KALINT_SKIP_NETNS=1 to skip it on this machine`);
}

/** The configurations keepalived is started on: included fragments are checked through their includers. */
const MAIN_FILES = CORPUS.filter((f) => f.endsWith('.conf') || basename(f).startsWith('keepalived.conf.')).filter(
  (f) => !f.includes('/inc/') && !f.includes('/common/'),
);

describe.skipIf(!!unavailable)('keepalived -t reads the formatted corpus as the original', () => {
  let ns: Namespace;
  let work: string;

  beforeAll(() => {
    ns = createNamespace();
    work = mkdtempSync(join(tmpdir(), 'kalint-fmt-ka-'));
    for (const dir of CORPUS_DIRS) {
      for (const copy of ['original', 'formatted']) cpSync(dir, join(work, copy, dir), { recursive: true });
    }
    for (const file of readdirSync(join(work, 'formatted'), { recursive: true, withFileTypes: true })) {
      if (!file.isFile() || file.name.endsWith('.md')) continue;
      const path = join(file.parentPath, file.name);
      writeFileSync(path, format(readFileSync(path, 'utf8')));
    }
  });
  afterAll(() => {
    ns?.remove();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('has configurations to compare', () => {
    expect(MAIN_FILES.length).toBeGreaterThanOrEqual(60);
  });

  const verdict = (copy: string, file: string, configId: string) => {
    const r = ns.run('keepalived', ['-t', '-f', basename(file), '-i', configId], join(work, copy, dirname(file)));
    const messages = (r.stderr + r.stdout)
      .split('\n')
      .map((line) => line.replace(/^\((?:.+?: )?Line \d+\) /, ''))
      .filter(Boolean)
      .sort();
    return { status: r.status, messages };
  };

  it.each(MAIN_FILES.map((f) => [relative(CORPUS_DIRS[0]!, f), f]))('%s', (_, file) => {
    for (const configId of CONFIG_IDS.slice(0, 2)) expect(verdict('formatted', file, configId)).toEqual(verdict('original', file, configId));
  });
});
