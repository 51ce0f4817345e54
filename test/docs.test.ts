/**
 * Keeps docs/rules true: every reader rule has a page, and each page's
 * "Incorrect" example triggers the rule while its "Correct" one does not.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readerRules, type ReadOptions } from '../grammar/index.ts';
import { read } from './helpers/read.ts';

const DOCS = join(import.meta.dirname, '../docs/rules');

/** What a page's examples need besides their text. */
const CONTEXT: Record<string, { options?: ReadOptions; correctFiles?: Record<string, string> }> = {
  'interface-not-found': { options: { interfaces: new Set(['eth0']) } },
  'include-not-found': { correctFiles: { '/etc/keepalived/conf.d/web.conf': '' } },
};

/** The first fenced block after a heading starting with `heading`. */
function example(page: string, heading: string): string | undefined {
  const at = page.search(new RegExp(`^## ${heading}`, 'm'));
  if (at < 0) return undefined;
  return /```\n([\s\S]*?)```/.exec(page.slice(at))?.[1];
}

describe('rule documentation', () => {
  const pages = readdirSync(DOCS).filter((f) => f.endsWith('.md'));

  it('has a page for every reader rule', () => {
    expect(pages.map((p) => p.replace(/\.md$/, '')).sort()).toEqual(Object.values(readerRules).map((r) => r.id).sort());
  });

  for (const page of pages) {
    const id = page.replace(/\.md$/, '');
    const text = readFileSync(join(DOCS, page), 'utf8');
    const incorrect = example(text, 'Incorrect');
    const correct = example(text, 'Correct');
    const ctx = CONTEXT[id] ?? {};
    it.skipIf(!incorrect || incorrect.includes('\n# '))(`${id}: the incorrect example triggers it`, () => {
      const ids = read(incorrect!, {}, ctx.options).diagnostics.map((d) => d.ruleId);
      expect(ids).toContain(id);
    });
    it.skipIf(!correct)(`${id}: the correct example does not`, () => {
      const ids = read(correct!, ctx.correctFiles ?? {}, ctx.options).diagnostics.map((d) => d.ruleId);
      expect(ids).not.toContain(id);
    });
  }
});
