/** Every sample configuration Debian's keepalived package ships is read without a syntax error. */
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flatten, nodeHost, readConfig } from '../grammar/index.ts';

const SAMPLES = '/usr/share/doc/keepalived/samples';

if (!existsSync(SAMPLES) && !process.env['KALINT_SKIP_NETNS']) {
  throw new Error(`${SAMPLES} is missing: install Debian's keepalived package (apt-get install keepalived)`);
}

const samples = existsSync(SAMPLES) ? readdirSync(SAMPLES).filter((f) => f.startsWith('keepalived.conf.')) : [];

describe.skipIf(!samples.length)("Debian's keepalived samples", () => {
  it('are all here', () => {
    expect(samples.length).toBeGreaterThanOrEqual(24);
  });

  for (const sample of samples) {
    it(`${sample} has no syntax error`, () => {
      // The conditional sample is meant for `-i high` or `-i low`.
      const result = readConfig(sample, { host: nodeHost(SAMPLES), configId: 'high' });
      if ('error' in result) throw new Error(result.error);
      const syntax = result.diagnostics.filter((d) => d.ruleId === 'syntax' && d.severity === 'error').map((d) => flatten(d));
      expect(syntax).toEqual([]);
      expect(result.config.children.length).toBeGreaterThan(0);
    });
  }
});
