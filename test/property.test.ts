/**
 * The reader never throws and never hangs, whatever it is given: random
 * bytes, random mutations of the fixtures, random include graphs. Every
 * diagnostic points inside the file it names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryHost, readConfig, type ReadResult, schema } from '../grammar/index.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures/keepalived');
const fixtures = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.conf'))
  .map((f) => readFileSync(join(FIXTURES, f), 'latin1'));

const keywords = [...new Set([...schema.blocks.values()].flatMap((b) => b.keywords.map((k) => k.name)))];

function readAll(files: Record<string, string | Uint8Array>, configId = 'n1'): ReadResult {
  const host = memoryHost(files, '/etc/keepalived');
  const r = readConfig('/etc/keepalived/keepalived.conf', { host, configId });
  if ('error' in r) throw new Error(r.error);
  return r;
}

function expectSaneDiagnostics(r: ReadResult): void {
  for (const d of r.diagnostics) {
    expect(d.range.start).toBeGreaterThanOrEqual(0);
    expect(d.range.end).toBeGreaterThanOrEqual(d.range.start);
    expect(d.range.end).toBeLessThanOrEqual(d.range.file.text.length);
    expect(d.message.length).toBeGreaterThan(0);
  }
}

/** Pieces keepalived's reader treats specially, to make random text interesting. */
const token = fc.oneof(
  fc.constantFrom(...keywords),
  fc.constantFrom('{', '}', '"', "'", '#', '!', '\\', '\\#', '$', '${', '@', '@^', '~SEQ(', '~LST(', ')', ',', '=', ' ', '\t', '\n', '\r\n', '\0'),
  fc.constantFrom('include ', 'includea ', '*.conf', '{a,b}', '$A=', '$A', '${A}', '${_RANDOM 1 5}', '@n1 ', '@^n1 ', '~SEQ(i,1,3) ', '~SEQx(i,1,3) '),
  fc.string({ maxLength: 6 }),
  fc.integer({ min: -300, max: 70000 }).map(String),
);
const configText = fc.array(token, { maxLength: 300 }).map((parts) => parts.join(''));

describe('reader robustness', () => {
  it('reads random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        expectSaneDiagnostics(readAll({ 'keepalived.conf': bytes }));
      }),
      { numRuns: 300 },
    );
  });

  it('reads random keepalived-like text', () => {
    fc.assert(
      fc.property(configText, (text) => {
        expectSaneDiagnostics(readAll({ 'keepalived.conf': text }));
      }),
      { numRuns: 500 },
    );
  });

  it('reads random mutations of the fixtures', () => {
    const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 40 }), insert: configText });
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.array(edit, { minLength: 1, maxLength: 8 }), (base, edits) => {
        let text = base;
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
        }
        expectSaneDiagnostics(readAll({ 'keepalived.conf': text }));
      }),
      { numRuns: 300 },
    );
  });

  it('reads random include graphs, cycles included', () => {
    const name = fc.constantFrom('a.conf', 'b.conf', 'c.conf', 'sub/d.conf', 'missing.conf', '*.conf', 'sub/*.conf', '{a,c}.conf');
    const file = fc.array(fc.oneof(name.map((n) => `include ${n}\n`), configText), { maxLength: 6 }).map((p) => p.join('\n'));
    fc.assert(
      fc.property(file, file, file, file, file, (main, a, b, c, d) => {
        expectSaneDiagnostics(readAll({ 'keepalived.conf': main, 'a.conf': a, 'b.conf': b, 'c.conf': c, 'sub/d.conf': d }));
      }),
      { numRuns: 200 },
    );
  });

  it('stops runaway expansions', () => {
    const bomb = ['$A=$B $B', '$B=$C $C', '$C=$D $D', '$D=x x', 'global_defs {', ' router_id $A$A$A$A', '}', '~SEQ(i,1,100000) ~SEQ(j,1,100000) $A'].join('\n');
    const r = readAll({ 'keepalived.conf': bomb });
    expect(r.diagnostics.some((d) => d.ruleId === 'syntax')).toBe(true);
  });

  it('gives up a line whose brace cuts keep expanding (keepalived reads $A=}$A forever)', () => {
    // Found by the include-graph property: the brace cut leaves `$A`, which expands into `}$A` again.
    const r = readAll({ 'keepalived.conf': '$A=}$A\n$A\nglobal_defs {\n    router_id n1\n}\n' });
    expect(r.diagnostics.filter((d) => d.message.includes('keepalived never finishes reading this line'))).toHaveLength(1);
    expect(r.config.children.map((n) => n.keyword.text)).toContain('global_defs');
    const included = readAll({ 'keepalived.conf': 'include *\ninclude sub/d.conf\n', 'b.conf': 'include sub/d.conf\n', 'sub/d.conf': '${A}$A=}$A' });
    expectSaneDiagnostics(included);
  });
});
