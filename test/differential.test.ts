/**
 * Differential test: `keepalived -t` (inside a network namespace that has an
 * eth0) against kalint on every fixture and every Debian sample. Every line
 * keepalived reports must be reported by kalint, and a file keepalived
 * accepts must get no kalint error. The differences we accept on purpose are
 * listed below and explained in docs/differences.md.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Diagnostic, flatten, nodeHost, readConfig, type Version } from '../grammar/index.ts';
import { createNamespace, keepalivedVersion, type Namespace, namespaceUnavailable } from './helpers/netns.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures/keepalived');
const DEBIAN_SAMPLES = '/usr/share/doc/keepalived/samples';
const CONFIG_ID = 'node1';

/** keepalived messages kalint does not reproduce, each documented in docs/differences.md. */
const INTENTIONAL: { message: RegExp; why: string }[] = [
  { message: /Error setting global script uid\/gid|Unable to set default user|user .* not found/i, why: 'users and groups exist only on the target host' },
];

interface Reported {
  file: string;
  line: number;
  message: string;
}

function keepalivedLines(output: string, mainFile: string): Reported[] {
  const out: Reported[] = [];
  for (const m of output.matchAll(/^\((?:(.+?): )?Line (\d+)\) (.*)$/gm)) {
    out.push({ file: m[1] ?? mainFile, line: Number(m[2]), message: m[3]! });
  }
  return out;
}

function fixtureFiles(): string[] {
  const own = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.conf'))
    .map((f) => join(FIXTURES, f));
  const debian = existsSync(DEBIAN_SAMPLES)
    ? readdirSync(DEBIAN_SAMPLES)
        .filter((f) => f.startsWith('keepalived.conf.'))
        .map((f) => join(DEBIAN_SAMPLES, f))
    : [];
  return [...own, ...debian];
}

const unavailable = namespaceUnavailable();
if (unavailable && !process.env['KALINT_SKIP_NETNS']) {
  throw new Error(`differential test ${unavailable}; set KALINT_SKIP_NETNS=1 to skip it on this machine`);
}

describe.skipIf(!!unavailable)('kalint reads files as keepalived -t does', () => {
  let ns: Namespace;
  let version: Version;
  let compared = 0;

  beforeAll(() => {
    ns = createNamespace();
    version = keepalivedVersion() as Version;
  });
  afterAll(() => ns?.remove());

  it('covers the Debian samples', () => {
    expect(fixtureFiles().filter((f) => f.startsWith(DEBIAN_SAMPLES)).length).toBeGreaterThan(20);
  });

  for (const path of fixtureFiles()) {
    it(basename(path), () => {
      const dir = dirname(path);
      const file = basename(path);
      const ka = ns.run('keepalived', ['-t', '-f', file, '-i', CONFIG_ID], dir);
      const expected = keepalivedLines(ka.stderr + ka.stdout, file).filter((r) => !INTENTIONAL.some((i) => i.message.test(r.message)));

      const result = readConfig(file, { host: nodeHost(dir), targetVersion: version, configId: CONFIG_ID, interfaces: ns.interfaces() });
      if ('error' in result) throw new Error(result.error);
      const ours = result.diagnostics.map((d: Diagnostic) => flatten(d));
      compared += expected.length;
      const covered = new Set(ours.map((d) => `${d.file}:${d.line}`));
      const missing = expected.filter((r) => !covered.has(`${r.file}:${r.line}`)).map((r) => `${r.file}:${r.line} ${r.message}`);
      expect(missing, 'lines keepalived reports that kalint does not').toEqual([]);

      if (ka.status === 0) {
        const errors = ours.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line} ${d.message}`);
        expect(errors, 'kalint errors on a file keepalived accepts').toEqual([]);
      }
    });
  }

  it('compared a meaningful number of keepalived errors', () => {
    expect(compared).toBeGreaterThan(100);
  });
});
