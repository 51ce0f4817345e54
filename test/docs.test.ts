/**
 * Keeps docs/rules true: every rule has a page, and for single-file rules
 * the page's "Incorrect" example triggers the rule while its "Correct" one
 * does not. (Cluster rules are tested on clusters in test/cluster.test.ts.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReadOptions } from '../grammar/index.ts';
import { allRuleMetas, lint, lintRules } from '../lint/index.ts';
import { read } from './helpers/read.ts';

const DOCS = join(import.meta.dirname, '../docs/rules');

/** What a page's examples need besides their text. */
const CONTEXT: Record<string, { options?: ReadOptions; correctFiles?: Record<string, string> }> = {
  'interface-not-found': { options: { interfaces: new Set(['eth0']) } },
  'include-not-found': { correctFiles: { '/etc/keepalived/conf.d/web.conf': '' } },
};

/** The first fenced block after a heading starting with `heading`, when it is the only one there. */
function example(page: string, heading: string): string | undefined {
  const at = page.search(new RegExp(`^## ${heading}`, 'm'));
  if (at < 0) return undefined;
  const section = page.slice(at).split(/^## /m)[1]!;
  const blocks = [...section.matchAll(/```\n([\s\S]*?)```/g)];
  return blocks.length === 1 ? blocks[0]![1] : undefined;
}

function ruleIdsFor(text: string, files: Record<string, string> = {}, options?: ReadOptions): string[] {
  return lint(read(text, files, options), { rules: lintRules }).map((d) => d.ruleId);
}

describe('rule documentation', () => {
  const pages = readdirSync(DOCS).filter((f) => f.endsWith('.md'));
  const metas = allRuleMetas();

  it('has a page for every rule', () => {
    expect(pages.map((p) => p.replace(/\.md$/, '')).sort()).toEqual(metas.map((r) => r.id).sort());
  });

  for (const meta of metas.filter((m) => m.source !== 'cluster')) {
    const text = readFileSync(join(DOCS, `${meta.id}.md`), 'utf8');
    const incorrect = example(text, 'Incorrect');
    const correct = example(text, 'Correct');
    const ctx = CONTEXT[meta.id] ?? {};
    it.skipIf(!incorrect || incorrect.includes('\n# '))(`${meta.id}: the incorrect example triggers it`, () => {
      expect(ruleIdsFor(incorrect!, {}, ctx.options)).toContain(meta.id);
    });
    it.skipIf(!correct)(`${meta.id}: the correct example does not`, () => {
      expect(ruleIdsFor(correct!, ctx.correctFiles, ctx.options)).not.toContain(meta.id);
    });
  }
});
