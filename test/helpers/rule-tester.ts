/**
 * ESLint's RuleTester, for kalint rules: each valid configuration gets no
 * diagnostic from the rule; each invalid one gets exactly the listed ones,
 * and, when `output` is given, applying the rule's fixes yields it.
 */
import { describe, expect, it } from 'vitest';
import { memoryHost, readConfig, type ReadOptions } from '../../grammar/index.ts';
import { positionAt } from '../../grammar/source.ts';
import { runRules } from '../../lint/engine.ts';
import { applyFixes } from '../../lint/fix.ts';
import type { LintRule } from '../../lint/rule.ts';

export interface RuleCase {
  code: string;
  /** Other files, for includes. */
  files?: Record<string, string>;
  options?: ReadOptions;
}

export interface InvalidCase extends RuleCase {
  /** Expected diagnostics: line, and optionally a message fragment. */
  errors: { line: number; message?: string }[];
  output?: string;
}

function run(rule: LintRule, c: RuleCase) {
  const host = memoryHost({ '/etc/keepalived/keepalived.conf': c.code, ...c.files }, '/etc/keepalived');
  const read = readConfig('/etc/keepalived/keepalived.conf', { configId: 'node1', ...c.options, host });
  if ('error' in read) throw new Error(read.error);
  const diagnostics = runRules(read.config, [rule], c.options?.targetVersion);
  return { read, diagnostics };
}

const asCase = (c: string | RuleCase): RuleCase => (typeof c === 'string' ? { code: c } : c);

export function testRule(rule: LintRule, cases: { valid: (string | RuleCase)[]; invalid: InvalidCase[] }): void {
  describe(rule.meta.id, () => {
    cases.valid.map(asCase).forEach((c, i) => {
      it(`accepts valid case ${i + 1}`, () => {
        const { diagnostics } = run(rule, c);
        expect(diagnostics.map((d) => d.message)).toEqual([]);
      });
    });
    cases.invalid.forEach((c, i) => {
      it(`reports invalid case ${i + 1}`, () => {
        const { read, diagnostics } = run(rule, c);
        const found = diagnostics.map((d) => ({ line: positionAt(d.range.file, d.range.start).line, message: d.message }));
        expect(found.map((f) => f.line)).toEqual(c.errors.map((e) => e.line));
        c.errors.forEach((e, k) => {
          if (e.message) expect(found[k]!.message).toContain(e.message);
        });
        if (c.output !== undefined) expect(applyFixes(read.config.file, diagnostics).text).toBe(c.output);
      });
    });
  });
}
