import { describe, expect, it } from 'vitest';
import { readerRule } from '../grammar/diagnostics.ts';
import { compareVersions, LATEST_VERSION, schema } from '../grammar/schema/index.ts';
import type { ItemKind, ValueType } from '../grammar/schema/types.ts';

/**
 * Keywords registered per block by keepalived at git HEAD (9cbce3e2, after
 * 2.4.3) with every build option on: counted from the install_keyword*
 * calls of global_parser.c, vrrp_parser.c, check_parser.c, check_*.c,
 * bfd_parser.c and track_file.c. docs/schema.md explains the count.
 */
const REGISTERED: Record<string, number> = {
  root: 25,
  global_defs: 140,
  vrrp_instance: 70,
  authentication: 2,
  auth_hmac: 5,
  vrrp_sync_group: 15,
  garp_group: 4,
  vrrp_script: 8,
  vrrp_track_process: 9,
  track_group: 1,
  track_file: 3,
  bfd_instance: 15,
  SSL: 4,
  virtual_server: 39,
  real_server: 26,
  TCP_CHECK: 13,
  PING_CHECK: 13,
  UDP_CHECK: 17,
  DNS_CHECK: 15,
  SMTP_CHECK: 15,
  'SMTP_CHECK.host': 13,
  MISC_CHECK: 10,
  HTTP_GET: 20,
  SSL_GET: 21,
  'HTTP_GET.url': 10,
  'SSL_GET.url': 11,
  FILE_CHECK: 2,
  BFD_CHECK: 2,
};

const allKeywords = [...schema.blocks.values()].flatMap((b) => b.keywords.map((k) => ({ block: b.id, k })));

function valueTypes(t: ValueType): ValueType[] {
  return t.kind === 'union' ? [t, ...t.of.flatMap(valueTypes)] : [t];
}

describe('keyword schema', () => {
  it('has exactly the keywords keepalived registers in each block', () => {
    const counts = Object.fromEntries([...schema.blocks.values()].map((b) => [b.id, b.keywords.length]));
    expect(counts).toEqual(REGISTERED);
  });

  it('names each keyword once per block', () => {
    for (const b of schema.blocks.values()) {
      const names = b.keywords.map((k) => k.name);
      expect(new Set(names).size, b.id).toBe(names.length);
    }
  });

  it('describes every keyword with a summary and a release', () => {
    for (const { block, k } of allKeywords) {
      expect(k.summary.length, `${block}.${k.name}`).toBeGreaterThan(10);
      expect(/^\d+\.\d+\.\d+$/.test(k.since), `${block}.${k.name} since`).toBe(true);
      expect(compareVersions(k.since, LATEST_VERSION), `${block}.${k.name}`).toBeLessThanOrEqual(0);
    }
  });

  it('links blocks, aliases, items and deprecations consistently', () => {
    for (const { block, k } of allKeywords) {
      const at = `${block}.${k.name}`;
      if (k.kind === 'block') expect(schema.blocks.has(k.block), at).toBe(true);
      if (k.kind === 'list') expect(schema.items.has(k.item as ItemKind), at).toBe(true);
      if (k.aliasOf) expect(schema.blocks.get(block)!.keywords.some((o) => o.name === k.aliasOf), at).toBe(true);
      if (k.deprecated) expect(k.deprecated.message.length, at).toBeGreaterThan(10);
    }
  });

  it('uses value types that are well formed', () => {
    const syntaxes = [
      ...allKeywords.flatMap(({ k }) => (k.kind === 'list' ? (k.syntax ? [k.syntax] : []) : 'forms' in k.syntax ? k.syntax.forms.map((f) => f.syntax) : [k.syntax])),
      ...[...schema.items.values()].flatMap((i) => ('forms' in i.syntax ? i.syntax.forms.map((f) => f.syntax) : [i.syntax])),
    ];
    for (const s of syntaxes) {
      const names = s.params.map((p) => p.name);
      expect(new Set(names).size, names.join(',')).toBe(names.length);
      const params = [...s.params, ...(s.options ?? []).flatMap((o) => o.params ?? [])];
      for (const id of params.flatMap((p) => Object.values(p.rules ?? {}))) expect(() => readerRule(id)).not.toThrow();
      for (const t of params.flatMap((p) => valueTypes(p.type))) {
        if (t.kind === 'int' || t.kind === 'uint' || t.kind === 'decimal' || t.kind === 'timer') expect(t.min).toBeLessThanOrEqual(t.max);
        if (t.kind === 'enum') expect(t.values.length).toBeGreaterThan(0);
      }
    }
  });

  it('knows the keywords users most often get wrong', () => {
    const names = new Set(allKeywords.map(({ k }) => k.name));
    for (const k of ['unicast_src_ip', 'nopreempt', 'auth_pass', 'lvs_method', 'lb_kind', 'track_script', 'garp_master_delay']) {
      expect(names.has(k), k).toBe(true);
    }
    expect(schema.removed.map((r) => r.name)).toEqual(expect.arrayContaining(['lvs_id', 'nat_mask']));
  });
});
