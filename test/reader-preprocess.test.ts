import { describe, expect, it } from 'vitest';
import { blocksOf, itemsOf, valueOf } from '../grammar/index.ts';
import { diags, read, where } from './helpers/read.ts';

const vrrp = (name: string, vrid: number, extra = '') =>
  `vrrp_instance ${name} {\n    interface eth0\n    virtual_router_id ${vrid}\n${extra}    virtual_ipaddress {\n        10.0.0.${vrid}/24\n    }\n}\n`;

describe('include', () => {
  it('splices included files in place, relative to the including file', () => {
    const r = read('global_defs {\n  router_id a\n}\ninclude conf.d/*.conf\n', {
      '/etc/keepalived/conf.d/b.conf': vrrp('VI_B', 2),
      '/etc/keepalived/conf.d/a.conf': `${vrrp('VI_A', 1)}include ../more/c.conf\n`,
      '/etc/keepalived/more/c.conf': vrrp('VI_C', 3),
    });
    expect(where(r)).toEqual([]);
    expect(blocksOf(r.config, 'vrrp_instance').map((b) => b.name)).toEqual(['VI_A', 'VI_C', 'VI_B']);
    expect(r.config.files.map((f) => f.path)).toEqual([
      '/etc/keepalived/keepalived.conf',
      'conf.d/a.conf',
      '../more/c.conf',
      'conf.d/b.conf',
    ]);
  });

  it('expands csh braces, each alternative in order', () => {
    const r = read('include {z,a}.conf\n', { '/etc/keepalived/z.conf': vrrp('VI_Z', 1), '/etc/keepalived/a.conf': vrrp('VI_A', 2) });
    expect(blocksOf(r.config, 'vrrp_instance').map((b) => b.name)).toEqual(['VI_Z', 'VI_A']);
  });

  it('reads an include inside a block as part of that block', () => {
    const r = read('vrrp_instance VI_1 {\n    include vrid.conf\n    interface eth0\n}\n', { '/etc/keepalived/vrid.conf': 'virtual_router_id 9\n' });
    expect(valueOf(blocksOf(r.config, 'vrrp_instance')[0]!, 'virtual_router_id')).toBe(9);
  });

  it('reports a missing file: a warning for include and includer, an error for includem', () => {
    expect(diags(read('include nothere.conf\n'))).toMatchObject([{ line: 1, ruleId: 'include-not-found', severity: 'warning' }]);
    expect(diags(read('includer nothere.conf\n'))).toMatchObject([{ line: 1, ruleId: 'include-not-found', severity: 'warning' }]);
    expect(diags(read('includem nothere.conf\n'))).toMatchObject([{ line: 1, ruleId: 'include-not-found', severity: 'error' }]);
    expect(diags(read('includew conf.d/*.conf\n'))).toMatchObject([{ ruleId: 'include-not-found', severity: 'error' }]);
  });

  it('reports a wildcard that matches nothing only when asked to', () => {
    const files = { '/etc/keepalived/conf.d/readme': 'x' };
    expect(diags(read('include conf.d/*.conf\n', files))).toMatchObject([{ severity: 'warning' }]);
    expect(diags(read('includew conf.d/*.conf\n', files))).toMatchObject([{ severity: 'error' }]);
  });

  it('skips directories and executable files', () => {
    const r = read('includer sub\nincluder run.sh\n', {
      '/etc/keepalived/sub/x.conf': '',
      '/etc/keepalived/run.sh': { text: '', executable: true } as never,
    });
    expect(where(r)).toEqual(['1:1 include-not-found', '2:1 include-not-found']);
  });

  it('stops an include cycle instead of recursing', () => {
    const r = read('include a.conf\n', { '/etc/keepalived/a.conf': 'include b.conf\n', '/etc/keepalived/b.conf': 'include a.conf\n' });
    expect(diags(r)).toMatchObject([{ file: 'b.conf', line: 1, ruleId: 'include-cycle' }]);
  });

  it('points diagnostics at the included file', () => {
    const r = read('include sub/x.conf\n', { '/etc/keepalived/sub/x.conf': 'global_defs {\n  routr_id a\n}\n' });
    expect(diags(r)).toMatchObject([{ file: 'sub/x.conf', line: 2, column: 3, ruleId: 'unknown-keyword' }]);
    expect(diags(r)[0]!.message).toContain("did you mean 'router_id'");
  });

  it('warns that include behind @id or $NAME breaks keepalived', () => {
    const r = read('@node1 include a.conf\n', { '/etc/keepalived/a.conf': '' });
    expect(where(r)).toEqual(['1:8 syntax']);
  });

  it('honours the include variants only from 2.2.0', () => {
    expect(where(read('includer a.conf\n', { '/etc/keepalived/a.conf': '' }, { targetVersion: '2.1.5' }))).toEqual(['1:1 unknown-keyword']);
  });
});

describe('@id conditions', () => {
  const text = vrrp('VI_1', 1, '@node1 priority 200\n@node2 priority 50\n@^node2 advert_int 2\n@^node1 advert_int 3\n');

  it('keeps lines for the config id and drops the others', () => {
    const vi = blocksOf(read(text).config, 'vrrp_instance')[0]!;
    expect(valueOf(vi, 'priority')).toBe(200);
    expect(valueOf(vi, 'advert_int')).toBe(2);
    const other = blocksOf(read(text, {}, { configId: 'node2' }).config, 'vrrp_instance')[0]!;
    expect(valueOf(other, 'priority')).toBe(50);
    expect(valueOf(other, 'advert_int')).toBe(3);
  });

  it('records the lines it dropped', () => {
    expect(read(text).config.inactiveRanges).toHaveLength(2);
  });
});

describe('$NAME definitions', () => {
  it('substitutes $NAME and ${NAME}, and reports at the use with the definition as related information', () => {
    const r = read(`$PRIO=300\n$IF=eth0\n${vrrp('VI_1', 1, '    priority $PRIO\n    track_interface {\n        ${IF}\n    }\n')}`);
    const vi = blocksOf(r.config, 'vrrp_instance')[0]!;
    expect(itemsOf(vi, 'track_interface')[0]!.params).toEqual({ interface: 'eth0' });
    const d = r.diagnostics[0]!;
    expect(diags(r)[0]).toMatchObject({ line: 6, column: 14, endColumn: 19, ruleId: 'priority-out-of-range' });
    expect(d.related?.[0]?.message).toBe('expanded from $PRIO, defined here');
  });

  it('expands a multi-line definition into several lines', () => {
    const r = read('$VIPS=virtual_ipaddress { \\\n  10.0.0.1/24 \\\n  10.0.0.2/24 \\\n}\nvrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 1\n  $VIPS\n}\n');
    expect(where(r)).toEqual([]);
    const vi = blocksOf(r.config, 'vrrp_instance')[0]!;
    expect(itemsOf(vi, 'virtual_ipaddress').map((i) => i.params['address'])).toEqual([
      { address: '10.0.0.1', family: 4, prefix: 24 },
      { address: '10.0.0.2', family: 4, prefix: 24 },
    ]);
  });

  it('ends a multi-line definition at an empty line', () => {
    const r = read('$A=priority 1 \\\n\npriority 2\n');
    expect(where(r)).toEqual(['3:1 wrong-block']);
  });

  it('leaves undefined names alone', () => {
    const r = read('global_defs {\n  router_id $UNDEFINED\n}\n');
    expect(valueOf(blocksOf(r.config, 'global_defs')[0]!, 'router_id')).toBe('$UNDEFINED');
  });

  it('offers built-in definitions', () => {
    const r = read('global_defs {\n  router_id ${_INSTANCE}\n  smtp_helo_name x${_HASH}y\n}\n', {}, { configId: 'lb1' });
    const g = blocksOf(r.config, 'global_defs')[0]!;
    expect(valueOf(g, 'router_id')).toBe('lb1');
    // A substituted # starts a comment: keepalived decomments again after substitution.
    expect(valueOf(g, 'smtp_helo_name')).toBe('x');
  });

  it('reports a definition that never stops expanding instead of hanging', () => {
    const r = read('$A=$A\nglobal_defs {\n  router_id $A\n}\n');
    expect(diags(r)[0]).toMatchObject({ line: 3, ruleId: 'syntax' });
  });

  it('reads a substituted @id prefix as a condition before 2.4.0 only', () => {
    const text = '$IF1=@node1\nvrrp_script s {\n  script "/bin/true"\n  $IF1 weight 10\n}\n';
    const old = read(text, {}, { targetVersion: '2.3.3' });
    expect(where(old)).toEqual([]);
    expect(valueOf(blocksOf(old.config, 'vrrp_script')[0]!, 'weight')).toBe(10);
    expect(where(read(text))).toEqual(['4:3 unknown-keyword', '4:3 syntax']);
  });
});

describe('~SEQ and ~LST', () => {
  it('generates one line per value', () => {
    const r = read('~SEQ(i, 1, 3) vrrp_instance VI_$i { virtual_router_id $i }\n');
    expect(blocksOf(r.config, 'vrrp_instance').map((b) => b.name)).toEqual(['VI_1', 'VI_2', 'VI_3']);
  });

  it('supports steps, hex and value lists', () => {
    const seq = read('global_defs {\n~SEQ(n, 10, -5, 0) vrrp_garp_master_repeat $n\n}\n');
    // Three statements from one line: the repetition is noted once, and the value 0 where $n is written.
    expect(where(seq)).toEqual(['2:20 duplicate-keyword', '2:44 invalid-value']);
    const hex = read('~SEQx(v, 9, 11) vrrp_script s$v { script x }\n');
    expect(blocksOf(hex.config, 'vrrp_script').map((b) => b.name)).toEqual(['s9', 'sa', 'sb']);
    const lst = read('~LST({N,P}, {a,1}, {b,2}) vrrp_script $N { script x weight $P }\n');
    expect(blocksOf(lst.config, 'vrrp_script').map((b) => [b.name])).toEqual([['a'], ['b']]);
  });

  it('reports invalid generators', () => {
    expect(where(read('~SEQ(i, 1, 0, 3) x\n'))).toContain('1:1 syntax');
    expect(where(read('~SEQ(i 3 x\n'))).toContain('1:1 syntax');
    expect(where(read('~LST(a, 1, 2\n'))).toContain('1:1 syntax');
  });

  it('caps the lines a generator may produce', () => {
    const r = read('~SEQ(i, 1, 10000000) ~SEQ(j, 1, 10000000) global_defs { }\n');
    expect(diags(r).some((d) => d.message.includes('kalint stops expanding'))).toBe(true);
  });
});
