/**
 * Every sample configuration Debian's keepalived package ships is read without a syntax error, and the lint
 * rules find exactly the problems listed in docs/differences.md: no false positives.
 */
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flatten, nodeHost, readConfig } from '../grammar/index.ts';
import { runRules } from '../lint/engine.ts';
import { lintRules } from '../lint/rules/index.ts';

const SAMPLES = '/usr/share/doc/keepalived/samples';

if (!existsSync(SAMPLES) && !process.env['KALINT_SKIP_NETNS']) {
  throw new Error(`${SAMPLES} is missing: install Debian's keepalived package (apt-get install keepalived)`);
}

/** What the lint rules find in the samples, each a true positive (see docs/differences.md). */
const LINT_FINDINGS = [
  'keepalived.conf.SSL_GET:14 ah-auth-requires-backup',
  'keepalived.conf.conditional_conf:7 script-security-missing',
  'keepalived.conf.conditional_conf:10 script-timeout-exceeds-interval',
  'keepalived.conf.fwmark:12 virtual-server-protocol-missing',
  'keepalived.conf.misc_check:24 script-security-missing',
  'keepalived.conf.misc_check_arg:23 script-security-missing',
  'keepalived.conf.quorum:33 script-security-missing',
  'keepalived.conf.vrrp.localcheck:12 script-not-absolute',
  'keepalived.conf.vrrp.localcheck:12 script-security-missing',
  'keepalived.conf.vrrp.localcheck:20 script-not-absolute',
  'keepalived.conf.vrrp.scripts:11 script-security-missing',
  'keepalived.conf.vrrp.sync:13 script-security-missing',
];

const samples = existsSync(SAMPLES) ? readdirSync(SAMPLES).filter((f) => f.startsWith('keepalived.conf.')) : [];

describe.skipIf(!samples.length)("Debian's keepalived samples", () => {
  it('are all here', () => {
    expect(samples.length).toBeGreaterThanOrEqual(24);
  });

  it('give the lint rules nothing to report but the documented findings', () => {
    const found = samples.flatMap((sample) => {
      const result = readConfig(sample, { host: nodeHost(SAMPLES), configId: 'high' });
      if ('error' in result) throw new Error(result.error);
      return runRules(result.config, lintRules).map((d) => `${sample}:${flatten(d).line} ${d.ruleId}`);
    });
    expect(found.sort()).toEqual([...LINT_FINDINGS].sort());
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
