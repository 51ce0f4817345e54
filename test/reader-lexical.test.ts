import { describe, expect, it } from 'vitest';
import { blocksOf, childrenNamed, commandArgs, valueOf } from '../grammar/index.ts';
import { diags, read, where } from './helpers/read.ts';

/** An instance with its required VRID on line 2; `body` starts on line 3. */
const instance = (body: string) => `vrrp_instance VI_1 {\n    virtual_router_id 1\n${body}\n}\n`;

describe('words and comments', () => {
  it('ends a word at # and ! even mid-word', () => {
    const r = read(instance('    priority 100#x\n    advert_int 2!y'));
    const vi = blocksOf(r.config, 'vrrp_instance')[0]!;
    expect(valueOf(vi, 'priority')).toBe(100);
    expect(valueOf(vi, 'advert_int')).toBe(2);
  });

  it('keeps # inside double quotes and unescapes an unquoted \\#', () => {
    const r = read('global_defs {\n  router_id "a#b"\n  smtp_helo_name c\\#d\n}\n');
    const g = blocksOf(r.config, 'global_defs')[0]!;
    expect(valueOf(g, 'router_id')).toBe('a#b');
    expect(valueOf(g, 'smtp_helo_name')).toBe('c#d');
    // keepalived's child processes read \# as a comment: warned.
    expect(diags(r).map((d) => d.line)).toEqual([3]);
  });

  it('starts a new word at a double quote inside a word', () => {
    const r = read('global_defs {\n  router_id ab"cd ef"gh\n}\n');
    const g = blocksOf(r.config, 'global_defs')[0]!;
    expect(valueOf(g, 'router_id')).toBe('ab');
    expect(where(r)).toEqual(['2:15 extra-argument']);
    expect(diags(r)[0]!.message).toContain("'cd ef gh'");
  });

  it('does not continue a line with a trailing backslash', () => {
    const r = read(instance('    advert_int 1 \\\n    priority 50'));
    expect(diags(r)[0]).toMatchObject({ line: 3, ruleId: 'invalid-value' });
    expect(diags(r)[0]!.message).toContain("'1\\'");
    expect(valueOf(blocksOf(r.config, 'vrrp_instance')[0]!, 'priority')).toBe(50);
  });

  it('reports an unmatched quote and drops the rest of the line', () => {
    const r = read('global_defs {\n  router_id "abc\n}\n');
    expect(where(r)).toEqual(['2:12 missing-argument', '2:13 syntax']);
  });
});

describe('braces', () => {
  it('needs no spaces around braces', () => {
    const r = read(
      'vrrp_instance VI_1{\ninterface eth0\nvirtual_router_id 1\nunicast_peer{10.0.0.2\n10.0.0.3}\nvirtual_ipaddress{10.0.0.1/24}}\n',
    );
    expect(where(r)).toEqual([]);
    const vi = blocksOf(r.config, 'vrrp_instance')[0]!;
    expect(childrenNamed(vi, 'unicast_peer')[0]).toMatchObject({ type: 'List' });
  });

  it('closes one block and opens the next on one line', () => {
    const r = read('vrrp_script a {\n  script "/bin/true"\n} vrrp_script b {\n  script "/bin/false"\n}\n');
    expect(blocksOf(r.config, 'vrrp_script').map((b) => b.name)).toEqual(['a', 'b']);
    expect(where(r)).toEqual([]);
  });

  it('reads a whole block on one line', () => {
    const r = read('vrrp_instance VI_1 { interface eth0 virtual_router_id 5 }\n');
    // keepalived sees `interface eth0 virtual_router_id 5` as one statement: the VRID is ignored.
    expect(where(r)).toEqual(['1:37 extra-argument', '1:57 missing-argument']);
    expect(diags(r)[0]!.message).toContain("'virtual_router_id' is a keyword here");
  });

  it("reads an unknown block's contents into the enclosing block, whose end its '}' becomes", () => {
    const r = read(instance('    unknown_block {\n        priority 10\n    }\n    advert_int 3'));
    const vi = blocksOf(r.config, 'vrrp_instance')[0]!;
    expect(valueOf(vi, 'priority')).toBe(10);
    expect(valueOf(vi, 'advert_int')).toBeUndefined();
    expect(where(r)).toEqual([
      '3:5 unknown-keyword',
      '3:19 syntax',
      '5:5 syntax',
      '6:5 wrong-block',
      '7:1 unknown-keyword',
    ]);
  });

  it("reports an extra '}' and a block left open", () => {
    expect(where(read('global_defs {\n}\n}\n'))).toEqual(['3:1 syntax', '3:1 unknown-keyword']);
    const open = read('global_defs {\n  router_id x\n');
    expect(where(open)).toEqual(['1:1 syntax']);
    expect(diags(open)[0]!.message).toContain('never closed');
  });

  it("reports a missing '{' and still reads the block", () => {
    const r = read('vrrp_script chk\n  script "/bin/true"\n}\n');
    // keepalived also counts the '}' as extra: no '{' was ever opened.
    expect(where(r)).toEqual(['2:3 syntax', '3:1 syntax']);
    expect(blocksOf(r.config, 'vrrp_script')[0]!.children).toHaveLength(1);
  });
});

describe('bytes and line endings', () => {
  it('reads CRLF files like LF files', () => {
    const lf = read(instance('    interface eth0\n    priority 120'));
    const crlf = read(instance('    interface eth0\n    priority 120').replace(/\n/g, '\r\n'));
    expect(where(crlf)).toEqual(where(lf));
    expect(valueOf(blocksOf(crlf.config, 'vrrp_instance')[0]!, 'priority')).toBe(120);
  });

  it('keeps a byte order mark in the first word, as keepalived does', () => {
    const r = read('\uFEFFglobal_defs {\n  router_id x\n}\n');
    expect(where(r)[0]).toBe('1:1 unknown-keyword');
  });

  it('drops a line with a NUL byte (2.4) but truncates it (2.2.7)', () => {
    const text = instance('    priority 90\0 junk\n    advert_int 2');
    const latest = read(text);
    expect(where(latest)).toEqual(['3:16 syntax']);
    expect(valueOf(blocksOf(latest.config, 'vrrp_instance')[0]!, 'priority')).toBeUndefined();
    const old = read(text, {}, { targetVersion: '2.2.7' });
    expect(valueOf(blocksOf(old.config, 'vrrp_instance')[0]!, 'priority')).toBe(90);
  });

  it('drops the first 1023 bytes of an over-long line and reads the rest as a line', () => {
    const long = `    router_id ${'x'.repeat(1100)}`;
    const r = read(`global_defs {\n${long}\n}\n`);
    expect(diags(r).map((d) => [d.line, d.ruleId])).toEqual([
      [2, 'syntax'],
      [2, 'unknown-keyword'],
    ]);
  });

  it('never throws on arbitrary bytes', () => {
    const bytes = new Uint8Array(2000).map((_, i) => (i * 7919) % 256);
    expect(() => read('', { '/etc/keepalived/keepalived.conf': bytes })).not.toThrow();
  });
});

describe("a script's command split into argv, as keepalived's alloc_strvec_quoted_escaped does", () => {
  const argv = (command: string) => commandArgs(command)?.map((a) => a.text);

  it('joins adjacent quoted and bare pieces and lets both quotes quote', () => {
    expect(argv(`/bin/echo a#b!c {x}`)).toEqual(['/bin/echo', 'a#b!c', '{x}']);
    expect(argv(`/bin/sh -c 'echo "$1"' x"y z"w`)).toEqual(['/bin/sh', '-c', 'echo "$1"', 'xy zw']);
  });

  it('decodes escapes inside and outside quotes', () => {
    expect(argv(String.raw`a\tb "c\nd" \x41\x4 \101\7z \cA\q \\`)).toEqual(['a\tb', 'c\nd', 'A\x04', 'A\x07z', '\x01q', '\\']);
    expect(argv(String.raw`\xZ \E`)).toEqual(['xZ', '\x1b']);
  });

  it('marks arguments that were quoted or escaped', () => {
    expect(commandArgs(String.raw`a "b" \;`)?.map((a) => a.plain)).toEqual([true, false, false]);
  });

  it('gives up, as keepalived does, on an open quote or a trailing backslash', () => {
    expect(commandArgs(`/bin/echo 'a`)).toBeUndefined();
    expect(commandArgs(`/bin/echo a\\`)).toBeUndefined();
    expect(commandArgs('   ')).toEqual([]);
  });
});
