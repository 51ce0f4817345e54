import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits, format, formatEdits, formatRangeEdits } from '../format/index.ts';
import { CORPUS, ROOT } from './helpers/corpus.ts';
import { CONFIG_IDS, meaning } from './helpers/meaning.ts';

const fmt = (text: string, options = {}) => format(text, options);

describe('canonical layout', () => {
  it('puts one logical line on each line and indents blocks by four spaces', () => {
    expect(fmt('vrrp_instance VI_1 {state MASTER\ninterface eth0\n authentication {auth_type PASS\nauth_pass 1111}}')).toBe(
      'vrrp_instance VI_1 {\n    state MASTER\n    interface eth0\n    authentication {\n        auth_type PASS\n        auth_pass 1111\n    }\n}\n',
    );
  });

  it('joins a brace on a later line to its keyword and splits at every brace', () => {
    expect(fmt('vrrp_script chk{\n script x\n} vrrp_instance A\n\n{\n}\n')).toBe('vrrp_script chk {\n    script x\n}\nvrrp_instance A {\n}\n');
  });

  it('keeps the words of a squashed line on one line: splitting them is kalint check --fix', () => {
    expect(fmt('vrrp_instance A { state MASTER interface eth0 }\n')).toBe('vrrp_instance A {\n    state MASTER interface eth0\n}\n');
  });

  it('normalises blanks between words and before a trailing comment', () => {
    expect(fmt('global_defs {\n\trouter_id\t  KA1#main\n   script_user  root   ! who\n}\n')).toBe(
      'global_defs {\n    router_id KA1 #main\n    script_user root ! who\n}\n',
    );
  });

  it('keeps blank lines between items, collapsed to one, and drops them at the start and end of blocks and the file', () => {
    expect(fmt('\n\na {\n\n  b\n\n\n  c\n\n}\n\n\n\nd\n\n')).toBe('a {\n    b\n\n    c\n}\n\nd\n');
  });

  it('keeps comments where they are: own lines, trailing, after braces, inside empty blocks, # and !', () => {
    const text = '# head\n! bang\na { # open\n  # inside\n} # close\nb {\n    ! only a comment\n}\n';
    expect(fmt(text)).toBe('# head\n! bang\na { # open\n    # inside\n} # close\nb {\n    ! only a comment\n}\n');
  });

  it('moves the comment of a keyword whose brace is on a later line after the brace', () => {
    expect(fmt('vrrp_instance A # main\n{ # block\n  state BACKUP\n}\n')).toBe('vrrp_instance A { # main\n    # block\n    state BACKUP\n}\n');
  });

  it('keeps quoted strings byte for byte', () => {
    const text = 'vrrp_script s {\n  script   "/bin/check  --x\t\'a b\' # not a comment"\n}\n';
    expect(fmt(text)).toBe('vrrp_script s {\n    script "/bin/check  --x\t\'a b\' # not a comment"\n}\n');
  });

  it('prints includes, definitions and their continuation lines as written', () => {
    const text = 'include   /etc/keepalived/{a,b}*.conf  # all\n$IF=eth0\n  $LONG=a \\\n      b \\\n  c\nglobal_defs {\n$INNER=x\n}\n';
    expect(fmt(text)).toBe('include   /etc/keepalived/{a,b}*.conf  # all\n$IF=eth0\n$LONG=a \\\n      b \\\n  c\nglobal_defs {\n    $INNER=x\n}\n');
  });

  it('keeps the lines after a definition\'s first exactly, blank ones too', () => {
    expect(fmt('$B=x \\\r\n  \r\n  y  \n')).toBe('$B=x \\\n  \n  y  \n');
  });

  it('keeps the empty line that ends a definition with a final backslash', () => {
    expect(fmt('a {\n$X=b \\\n\n}\n~SEQ(i,1,2) {$B=x \\\n\nc\n')).toBe('a {\n    $X=b \\\n\n}\n~SEQ(i,1,2) {$B=x \\\n\n    c\n');
  });

  it('keeps a line with @id or ~SEQ whole: the condition and the repetition cover the rest of the line, braces included', () => {
    expect(fmt('a {\n@node1   b { c }\n  ~SEQ(i,1,3)  d$i\n}\n')).toBe('a {\n    @node1   b { c }\n    ~SEQ(i,1,3)  d$i\n}\n');
    expect(fmt('x { @node1 y } z\n')).toBe('x {\n    @node1 y } z\n');
  });

  it('does not join a later brace onto an @id line, a line-final backslash or an unterminated quote', () => {
    expect(fmt('@node1 vrrp_instance A\n{\nstate MASTER\n}\n')).toBe('@node1 vrrp_instance A\n{\n    state MASTER\n}\n');
    expect(fmt('a \\\n{\nb\n}\n')).toBe('a \\\n{\n    b\n}\n');
    expect(fmt('a "open\n{\nb\n}\n')).toBe('a "open\n{\n    b\n}\n');
  });

  it('keeps lines near the 1022-byte limit and lines with NUL bytes as written', () => {
    const long = `    router_id ${'x'.repeat(1020)} {a}`;
    expect(fmt(`global_defs {\n${long}\n}\n`)).toBe(`global_defs {\n${long}\n}\n`);
    expect(fmt('a {\n  b\0c { d }\n}\n')).toBe('a {\n  b\0c { d }\n}\n');
  });

  it('keeps a last line with a NUL byte without a line end, as keepalived 2.4 reads only such a line', () => {
    expect(fmt('a {\n}\nb\0c')).toBe('a {\n}\nb\0c');
  });

  it('prints a line unindented when indentation would push it over the limit', () => {
    const words = `k ${'y'.repeat(1010)}`;
    expect(fmt(`a {\nb {\nc {\n${words}\n}}}\n`)).toBe(`a {\n    b {\n        c {\n${words}\n        }\n    }\n}\n`);
  });

  it('leaves the item after # prettier-ignore as written', () => {
    expect(fmt('# prettier-ignore\nvrrp_instance A {state MASTER\n      priority 100 }\nb{c}\n')).toBe(
      '# prettier-ignore\nvrrp_instance A {state MASTER\n      priority 100 }\nb {\n    c\n}\n',
    );
  });

  it('keeps stray and missing braces as they are', () => {
    expect(fmt('}\na {\nb\n')).toBe('}\na {\n    b\n');
  });

  it('honours tabWidth, useTabs and endOfLine', () => {
    const text = 'a {\r\nb {\r\nc\r\n}\r\n}\r\n';
    expect(fmt(text, { tabWidth: 2 })).toBe('a {\n  b {\n    c\n  }\n}\n');
    expect(fmt(text, { useTabs: true })).toBe('a {\n\tb {\n\t\tc\n\t}\n}\n');
    expect(fmt(text, { endOfLine: 'auto' })).toBe('a {\r\n    b {\r\n        c\r\n    }\r\n}\r\n');
  });

  it('keeps a byte order mark, which keepalived reads as part of the first word', () => {
    expect(fmt('\ufeffglobal_defs {\n}\n')).toBe('\ufeffglobal_defs {\n}\n');
  });

  it('formats empty and blank input to nothing', () => {
    expect(fmt('')).toBe('');
    expect(fmt('\n \n\t\n')).toBe('');
  });
});

describe('on large and pathological input', () => {
  // No quadratic blow-up: the test's own timeout catches a hang.
  it('formats idempotently', () => {
    const big = [
      'a'.repeat(200_000),
      '{'.repeat(20_000) + '}'.repeat(20_000),
      'a { '.repeat(30_000),
      '@node1 x {\n'.repeat(20_000),
      '$X=\\\n'.repeat(20_000),
      '# prettier-ignore\n$X=a \\\n' + '  b \\\n'.repeat(150_000) + 'end\n',
      'vrrp_instance A { priority 100 # c\n'.repeat(10_000),
      `virtual_ipaddress {\n${'10.0.0.1\n'.repeat(200_000)}}\n`,
    ];
    for (const text of big) {
      const once = fmt(text);
      expect(fmt(once)).toBe(once);
    }
  });
});

describe('on every fixture, seed article configuration and Debian sample', () => {
  it('has the corpus', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(CORPUS.map((f) => [relative(ROOT, f), f]))('%s: idempotent, same meaning for every config id', (_, file) => {
    const text = readFileSync(file, 'utf8');
    const once = fmt(text);
    expect(fmt(once)).toBe(once);
    for (const configId of CONFIG_IDS) expect(meaning(once, file, { configId })).toEqual(meaning(text, file, { configId }));
  });
});

const piece = fc.oneof(
  fc.constantFrom('vrrp_instance', 'state', 'MASTER', 'virtual_ipaddress', 'track_script', 'priority', '10.0.0.1/24', 'global_defs'),
  fc.constantFrom('{', '}', ' {', '} ', '"', '"a b"', '#', '!', '# c', '\\', '\\#', '$A=', '$A', '${A}', '$B=x \\', '@node1 ', '@^node1 '),
  fc.constantFrom('~SEQ(i,1,2) ', 'include x.conf', ' ', '  ', '\t', '\n', '\n\n', '\r\n', '\r', '\0', '# prettier-ignore\n', '\ufeff'),
  fc.string({ maxLength: 4 }),
);
const configText = fc.array(piece, { maxLength: 120 }).map((p) => p.join(''));

describe('on generated configurations', () => {
  it('is idempotent and keeps the meaning', () => {
    fc.assert(
      fc.property(configText, fc.constantFrom('node1', 'node2'), (text, configId) => {
        const once = fmt(text);
        expect(fmt(once)).toBe(once);
        expect(meaning(once, 'gen.conf', { configId })).toEqual(meaning(text, 'gen.conf', { configId }));
      }),
      { numRuns: 400 },
    );
  });
});

describe('range formatting', () => {
  it('formats the top-level items on the lines the range touches', () => {
    const text = 'a {\nb\n}\nc {\nd\n}\ne  f\n';
    const start = text.indexOf('d');
    expect(applyEdits(text, formatRangeEdits(text, { start, end: start + 1 }))).toBe('a {\nb\n}\nc {\n    d\n}\ne  f\n');
    expect(applyEdits(text, formatRangeEdits(text, { start: 0, end: text.indexOf('c') }))).toBe('a {\n    b\n}\nc {\nd\n}\ne  f\n');
  });

  it('takes in the items sharing a line with the range and a prettier-ignore before it', () => {
    const text = 'a {\nb\n} c {\nd }\n# prettier-ignore\ne  f\n';
    expect(applyEdits(text, formatRangeEdits(text, { start: 0, end: 1 }))).toBe('a {\n    b\n}\nc {\n    d\n}\n# prettier-ignore\ne  f\n');
    expect(formatRangeEdits(text, { start: text.indexOf('e'), end: text.length })).toEqual([]);
  });

  it('gives no edits for formatted text and whole-line edits otherwise', () => {
    expect(formatEdits('a {\n    b\n}\n')).toEqual([]);
    const text = 'a {b}\n';
    expect(formatEdits(text)).toEqual([{ start: 0, end: 6, text: 'a {\n    b\n}\n' }]);
  });

  it('keeps the meaning for any range of any fixture', () => {
    const fixtures = CORPUS.filter((f) => f.includes('/fixtures/keepalived/') || f.includes('/seeds/'));
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.nat(), fc.nat({ max: 400 }), (file, at, length) => {
        const text = readFileSync(file, 'utf8');
        const start = at % (text.length + 1);
        const formatted = applyEdits(text, formatRangeEdits(text, { start, end: start + length }));
        expect(meaning(formatted, file, { configId: 'node1' })).toEqual(meaning(text, file, { configId: 'node1' }));
      }),
      { numRuns: 150 },
    );
  });
});
