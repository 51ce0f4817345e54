/**
 * Keeps docs/rules true: every rule has a page, and for single-file rules
 * the page's "Incorrect" example triggers the rule while its "Correct" one
 * does not. (Cluster rules are tested on clusters in test/cluster.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReadOptions } from '../grammar/index.ts';
import { allRuleMetas, lint, lintRules } from '../lint/index.ts';
import { simulationRules } from '../runtime/sim/findings.ts';
import { project } from './helpers/project.ts';
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

/** The files of an example section: each fenced block follows the line with its file name. */
function exampleFiles(page: string, heading: string): Record<string, string> | undefined {
  const at = page.search(new RegExp(`^## ${heading}`, 'm'));
  if (at < 0) return undefined;
  const section = page.slice(at).split(/^## /m)[1]!;
  return Object.fromEntries([...section.matchAll(/^(\S+)\n```\n([\s\S]*?)```/gm)].map((m) => [m[1]!, m[2]!]));
}

describe('simulator rule documentation', () => {
  const SIM = join(DOCS, 'sim');
  const ids = Object.values(simulationRules).map((r) => r.id);

  it('has a page for every simulator rule', () => {
    expect(readdirSync(SIM).map((f) => `sim/${f.replace(/\.md$/, '')}`).sort()).toEqual([...ids].sort());
  });

  /** The rule ids `kalint simulate` finds on the example's configurations and scenario. */
  const findingsOf = (files: Record<string, string>) => {
    const dir = project(files);
    const confs = Object.keys(files).filter((f) => f.endsWith('.conf'));
    const r = spawnSync(process.execPath, [join(import.meta.dirname, '../bin/kalint.js'), 'simulate', ...confs, '--scenario', 'scenario.yaml', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    return (JSON.parse(r.stdout) as { cases: { findings: { ruleId: string }[] }[] }).cases.flatMap((c) => c.findings.map((f) => f.ruleId));
  };

  for (const id of ids) {
    const text = readFileSync(join(DOCS, `${id}.md`), 'utf8');
    const incorrect = exampleFiles(text, 'Incorrect');
    const correct = exampleFiles(text, 'Correct');
    it(`${id}: the incorrect example is reported`, () => {
      expect(findingsOf(incorrect!)).toContain(id);
    });
    it.skipIf(!correct)(`${id}: the correct example is not`, () => {
      expect(findingsOf(correct!)).not.toContain(id);
    });
  }
});
