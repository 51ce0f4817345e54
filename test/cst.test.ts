import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CstDocument, type CstItem, type CstStatement, parseCst, printTokens } from '../grammar/cst/index.ts';
import { tokenize, withWhitespace } from '../grammar/cst/lexer.ts';
import { KeepalivedCstParser, MAX_BLOCK_DEPTH } from '../grammar/cst/parser.ts';
import { decomment, findBrace, Line, splitWords } from '../grammar/line.ts';
import { createSourceFile, positionAt } from '../grammar/source.ts';

const SAMPLES = '/usr/share/doc/keepalived/samples';
const samples = existsSync(SAMPLES)
  ? readdirSync(SAMPLES)
      .filter((name) => statSync(join(SAMPLES, name)).isFile())
      .map((name) => ({ name, text: createSourceFile(name, readFileSync(join(SAMPLES, name))).text }))
  : [];
const configs = samples.filter((s) => s.name.startsWith('keepalived.conf'));
const samplesTitle = samples.length
  ? `Debian samples (${SAMPLES})`
  : `Debian samples: SKIPPED, ${SAMPLES} is absent (install Debian's keepalived package to run these)`;

/** Structural errors this tree reports itself; anything else would come from Chevrotain's recovery. */
const STRUCTURAL = /^'\}' without a matching '\{'$|^'\{' is never closed|^blocks nested deeper than/;

const TRICKY: string[] = [
  '',
  'global_defs{\n  router_id a\n}\n',
  'vrrp_instance A {\n  state MASTER\n} vrrp_instance B {\n  state BACKUP\n}\n',
  'virtual_ipaddress { 10.0.0.1/24 }\nunicast_peer{\n10.0.0.2}\n',
  'priority 100#x\nprio!rity 1\n',
  'router_id ab"cd ef"gh "x # y" "{" z\n',
  'notify "/bin/echo {y}" \'{x}\'\n',
  'a "unterminated # not a comment\nb\n',
  'global_defs {\r\n  router_id a\r\n}\r\n',
  '\ufeffglobal_defs {\n}\n',
  '\ufeff\n',
  '\ufeff# comment\n',
  'a\0b \0\n\0',
  '\t\tpriority\t100\t\n\f\v x \r y\r\r\n\r',
  'label v0\\#1 v\\!2 "q\\#" \\\\#c\n',
  'include {a,b}.conf\nincludea /etc/k/{x,y}/*.conf # c\n} include y{z}.conf\ninclude\ninclude \t\n',
  '@main vrrp_instance X {\n@^main priority 1\n}\n@alone\n@a{ b\n@a include x.conf\n@a $X=1\n',
  '$DEF=line one \\\n  # a comment\n  line two \\\n\n  line three \\\n  last\nnext\n',
  '$A=x\\\n$B=y\n$C =z\n$_1=\n$1=x\n',
  '~SEQ(i, 1, 3) real_server 10.0.0.$i 80 {\n}\n~SEQx(i,10) @a ~LST(j, a, b) x$j\n~SEQ no paren {\n~LST({a,b},{1,2}) $a $b\n',
  'label ${IFNAME}x ${_RANDOM 1 10} ${X 1 } ${UNDEF\n~x ${A}\n',
  'advert_int 1 \\\nadvert_int "1" \\\nx { \\\n',
  '}}}\n{{{\n',
  'a { b } }\n c\n',
  '\n\n\n',
  '#',
  '"',
  '\\',
  '\r',
];

/** Words and braces in source order, as keepalived's reader would deliver them. */
function flatten(items: CstItem[], out: { value: string; start: number }[] = []): { value: string; start: number }[] {
  for (const item of items) {
    if (item.kind === 'strayBrace') out.push({ value: item.brace, start: item.start });
    if (item.kind === 'statement') {
      for (const w of item.words) if (!w.unterminated) out.push({ value: w.value, start: w.start });
      if (item.block) flatten([item.block], out);
    }
    if (item.kind === 'block') {
      out.push({ value: '{', start: item.open.start });
      flatten(item.items, out);
      if (item.close) out.push({ value: '}', start: item.close.start });
    }
  }
  return out;
}

/** keepalived's reading of one physical line without preprocessing: decomment, cut at braces, split words. */
function readerWords(raw: string): string[] {
  let len = raw.length;
  while (len && (raw[len - 1] === '\r' || raw[len - 1] === '\n')) len--;
  const file = createSourceFile('line', raw);
  let t = decomment(Line.fromSource(file, 0, raw.slice(0, len)), true).line.text;
  const words: string[] = [];
  // LineReader.cutAtBrace: a brace first on the line is a line of its own, else the line ends before it.
  while (t.length) {
    const p = findBrace(t);
    let piece: string;
    if (p < 0) {
      piece = t;
      t = '';
    } else if (p === 0) {
      piece = t[0]!;
      t = t.slice(1).replace(/^[ \t]+/, '');
    } else {
      piece = t.slice(0, p);
      t = t.slice(p);
    }
    words.push(...splitWords(piece).words.map((w) => w.text));
  }
  return words;
}

function statementPaths(items: CstItem[], prefix = ''): string[] {
  const out: string[] = [];
  for (const item of items) {
    if (item.kind === 'statement') {
      const path = prefix + (item.words[0]?.value ?? item.prefixes[0]?.text ?? '');
      out.push(path);
      if (item.block) out.push(...statementPaths(item.block.items, `${path}>`));
    }
    if (item.kind === 'block') out.push(...statementPaths(item.items, `${prefix}{}>`));
  }
  return out;
}

function checkLossless(text: string): void {
  const { tokens, errors, cst } = parseCst(text);
  expect(printTokens(tokens)).toBe(text);
  let at = 0;
  const gaps: number[] = [];
  for (const t of tokens) {
    if (t.startOffset !== at || t.image.length === 0) gaps.push(at);
    at += t.image.length;
  }
  expect(gaps).toEqual([]);
  for (const e of errors) expect(e.message).toMatch(STRUCTURAL);
  expect(cst.end).toBe(text.length);
  expect(misplaced(cst.items, 0, text.length)).toEqual([]);
}

/** Items that are out of order, overlap, or lie outside their parent. */
function misplaced(items: CstItem[], from: number, to: number, out: CstItem[] = []): CstItem[] {
  let at = from;
  for (const item of items) {
    if (item.start < at || item.end <= item.start || item.end > to) out.push(item);
    at = item.end;
    const block = item.kind === 'block' ? item : item.kind === 'statement' ? item.block : undefined;
    if (block) misplaced(block.items, block.open.end, block.end, out);
  }
  return out;
}

const only = <K extends CstItem['kind']>(doc: CstDocument, kind: K): Extract<CstItem, { kind: K }> => {
  expect(doc.items.map((i) => i.kind)).toEqual([kind]);
  return doc.items[0] as Extract<CstItem, { kind: K }>;
};

describe('lossless', () => {
  it.each(TRICKY.map((t) => [JSON.stringify(t), t]))('%s', (_, text) => checkLossless(text));

  it('keepalived-ish text', () => {
    const fragment = fc.constantFrom(
      ...[' ', '\t', '\n', '\r\n', '\r', '\f', '\v', '\0', '{', '}', '"', '#', '!', '\\', '@', '@^', '$', '${', '$X=', '~SEQ(', '~LST(', ')', 'include ', 'includew\t'],
      ...['a', 'b1', '_', '=', ',', '/', 'vrrp_instance', '\u00e9', '\ufeff', '\ud83d', '\ude00', '😀'],
    );
    fc.assert(fc.property(fc.array(fragment, { maxLength: 80 }), (parts) => checkLossless(parts.join(''))), { numRuns: 3000 });
  });

  it('arbitrary unicode, UTF-16 code units and bytes', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), checkLossless), { numRuns: 1000 });
    const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    fc.assert(fc.property(fc.string({ unit: codeUnit, maxLength: 200 }), checkLossless), { numRuns: 1000 });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => checkLossless(createSourceFile('x', bytes).text)),
      { numRuns: 1000 },
    );
  });

  it('the tokens cover the text on any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 300 }), (text) => {
        const all = withWhitespace(text, tokenize(text));
        expect(printTokens(all)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  // No quadratic blow-up: the test's own timeout catches a hang.
  it('reads large and pathological input', () => {
    const big = [
      'a'.repeat(200_000),
      ' '.repeat(200_000),
      '"'.repeat(100_001),
      '\\"#'.repeat(50_000),
      '${a '.repeat(50_000),
      `\${a${' '.repeat(100_000)}`,
      '{'.repeat(20_000) + '}'.repeat(20_000),
      '$X=\\\n'.repeat(20_000),
      '$X=\\\n' + '# c\n'.repeat(50_000),
      '@'.repeat(100_000),
      '~SEQ('.repeat(40_000),
      'vrrp_instance A { priority 100 # c\n'.repeat(10_000),
    ];
    for (const text of big) checkLossless(text);
  });
});

describe('grammar', () => {
  it("passes Chevrotain's validations", () => {
    expect(() => new KeepalivedCstParser({ validate: true })).not.toThrow();
  });
});

describe('structure', () => {
  it('nests blocks', () => {
    const doc = parseCst(
      'global_defs {\n router_id x\n}\nvrrp_instance A {\n  virtual_ipaddress {\n   10.0.0.1/24\n  }\n  track_script { chk }\n}\n',
    );
    expect(doc.errors).toEqual([]);
    expect(statementPaths(doc.cst.items)).toEqual([
      'global_defs',
      'global_defs>router_id',
      'vrrp_instance',
      'vrrp_instance>virtual_ipaddress',
      'vrrp_instance>virtual_ipaddress>10.0.0.1/24',
      'vrrp_instance>track_script',
      'vrrp_instance>track_script>chk',
    ]);
  });

  it('cuts lines at braces', () => {
    expect(statementPaths(parseCst('a{b{c}} d').cst.items)).toEqual(['a', 'a>b', 'a>b>c', 'd']);
    const text = 'vrrp_instance A {\n state MASTER\n virtual_router_id 51 }\n} vrrp_instance B {\n state BACKUP\n}\n';
    const doc = parseCst(text);
    expect(statementPaths(doc.cst.items)).toEqual(['vrrp_instance', 'vrrp_instance>state', 'vrrp_instance>virtual_router_id', 'vrrp_instance', 'vrrp_instance>state']);
    expect(doc.errors).toEqual([{ message: "'}' without a matching '{'", offset: text.indexOf('\n}') + 1 }]);
    expect(statementPaths(parseCst('a "{" x{ b "}" }\n').cst.items)).toEqual(['a', 'a>b']);
  });

  it('attaches a block on a later line when only blank lines come between', () => {
    const doc = parseCst('vrrp_instance A # main\n\n{\n state MASTER\n}\nb\n# c\n{\n}\n');
    expect(doc.errors).toEqual([]);
    expect(doc.cst.items.map((i) => i.kind)).toEqual(['statement', 'statement', 'comment', 'block']);
    const a = doc.cst.items[0] as CstStatement;
    expect(a.trailingComment?.text).toBe('# main');
    expect(statementPaths([a])).toEqual(['vrrp_instance', 'vrrp_instance>state']);
  });

  it('closes open blocks at the end and keeps a stray close apart', () => {
    const open = parseCst('a {\n b {\n  c\n');
    expect(statementPaths(open.cst.items)).toEqual(['a', 'a>b', 'a>b>c']);
    expect(open.errors.map((e) => e.offset)).toEqual([2, 7]);
    const stray = parseCst('a { b } } # x\n c\n');
    expect(stray.cst.items.map((i) => i.kind)).toEqual(['statement', 'strayBrace', 'statement']);
    expect(stray.cst.items[1]).toMatchObject({ kind: 'strayBrace', brace: '}', trailingComment: { text: '# x' } });
  });

  it('nests at most MAX_BLOCK_DEPTH deep', () => {
    const doc = parseCst(`${'a {\n'.repeat(150)}b\n${'}\n'.repeat(150)}`);
    let depth = 0;
    let items = doc.cst.items;
    for (let s = items[0]; s?.kind === 'statement' && s.block; s = items[0]) {
      depth++;
      items = s.block.items;
    }
    expect(depth).toBe(MAX_BLOCK_DEPTH);
    // The 50 deeper `a {` lines stay in the deepest block, whose `}` is then the first of them.
    expect(items.filter((i) => i.kind === 'strayBrace')).toHaveLength(50);
    expect(doc.errors.filter((e) => e.message.startsWith('blocks nested deeper'))).toHaveLength(50);
  });

  it('reads an include pattern verbatim: its braces are no block', () => {
    const doc = parseCst('include {a,b}.conf # c\n');
    expect(doc.errors).toEqual([]);
    expect(only(doc.cst, 'include')).toMatchObject({
      keyword: 'include',
      pattern: { text: '{a,b}.conf', value: '{a,b}.conf' },
      trailingComment: { text: '# c' },
    });
    const nested = parseCst('global_defs {\n  includeb /etc/k/{x,y}\\#1.conf\n} include {c,d}.conf\n');
    expect(nested.errors).toEqual([]);
    const block = (nested.cst.items[0] as CstStatement).block!;
    expect(block.items[0]).toMatchObject({ kind: 'include', keyword: 'includeb', pattern: { text: '/etc/k/{x,y}\\#1.conf', value: '/etc/k/{x,y}#1.conf' } });
    expect(nested.cst.items[1]).toMatchObject({ kind: 'include', pattern: { text: '{c,d}.conf' } });
    expect(only(parseCst('includes {a}').cst, 'statement').words.map((w) => w.value)).toEqual(['includes']);
  });

  it('keeps a multi-line definition as one node', () => {
    const text = '$DEF=one \\\n  # skipped\n  two \\\n  three # end\n\nnext\n';
    const doc = parseCst(text);
    expect(doc.cst.items.map((i) => i.kind)).toEqual(['definition', 'blankLine', 'statement']);
    expect(doc.cst.items[0]).toMatchObject({
      name: 'DEF',
      multiline: true,
      text: '$DEF=one \\\n  # skipped\n  two \\\n  three',
      trailingComment: { text: '# end' },
    });
    // An empty line ends a definition; a comment-only line after the last continuation is not part of it.
    const ended = parseCst('$A=x \\\n\n$B=y \\\n# c\n');
    expect(ended.cst.items.map((i) => i.kind)).toEqual(['definition', 'blankLine', 'definition', 'comment']);
    expect(ended.cst.items[2]).toMatchObject({ text: '$B=y \\', multiline: true });
    expect(only(parseCst('$X =1').cst, 'statement').words.map((w) => w.value)).toEqual(['$X', '=1']);
  });

  it('reads conditionals and generators as prefixes of the line', () => {
    const doc = parseCst('@main vrrp_instance X {\n @^b priority 1\n}\n~SEQ(i, 1, 3) @a real_server 10.0.0.$i 80 {\n}\n@a include x.conf\n@c\n');
    expect(doc.errors).toEqual([]);
    const [vi, seq, inc, alone] = doc.cst.items as [CstStatement, CstStatement, CstItem, CstStatement];
    expect(vi.prefixes).toMatchObject([{ kind: 'conditional', id: 'main', negated: false }]);
    expect(vi.block!.items[0]).toMatchObject({ prefixes: [{ id: 'b', negated: true }], words: [{ value: 'priority' }, { value: '1' }] });
    expect(seq.prefixes).toMatchObject([
      { kind: 'generator', name: '~SEQ', text: '~SEQ(i, 1, 3)' },
      { kind: 'conditional', id: 'a' },
    ]);
    expect(seq.words.map((w) => w.value)).toEqual(['real_server', '10.0.0.$i', '80']);
    expect(seq.block).toBeDefined();
    expect(inc).toMatchObject({ kind: 'include', prefixes: [{ id: 'a' }], pattern: { text: 'x.conf' } });
    expect(alone).toMatchObject({ prefixes: [{ id: 'c' }], words: [] });
  });

  it('gives words as written and as keepalived reads them', () => {
    const words = (text: string) => parseCst(text).cst.items.flatMap((i) => (i.kind === 'statement' ? i.words : []));
    expect(words('router_id ab"cd ef"gh a\\#b "q\\#" x\\ y').map((w) => [w.text, w.value, w.quoted])).toEqual([
      ['router_id', 'router_id', false],
      ['ab', 'ab', false],
      ['"cd ef"', 'cd ef', true],
      ['gh', 'gh', false],
      ['a\\#b', 'a#b', false],
      ['"q\\#"', 'q\\#', true],
      ['x\\', 'x\\', false],
      ['y', 'y', false],
    ]);
    expect(words('advert_int 1 \\').map((w) => [w.text, w.value])).toEqual([
      ['advert_int', 'advert_int'],
      ['1 \\', '1\\'],
    ]);
    expect(words('a "b # c')).toMatchObject([{ value: 'a' }, { text: '"b # c', value: 'b # c', unterminated: true }]);
    expect(words('\ufeffglobal_defs \ufeff').map((w) => w.value)).toEqual(['\ufeffglobal_defs', '\ufeff']);
    expect(words('label ${_RANDOM 1 10}x ${A}{').map((w) => w.value)).toEqual(['label', '${_RANDOM 1 10}x', '${A}']);
  });

  it('parses never throwing and never needing recovery', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('{', '}', '\n', 'a', ' ', '#', '"', '@a ', '~SEQ(i,2) ', 'include x', '$A=\\'), maxLength: 60 }), (text) => {
        const { errors } = parseCst(text);
        for (const e of errors) expect(e.message).toMatch(STRUCTURAL);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('agreement with the semantic reader', () => {
  const alphabet = fc.constantFrom(' ', '\t', '\r', '\f', '\v', '\0', '{', '}', '"', '#', '!', '\\', 'a', 'b', '1', '/', '.', '\u00e9', '\ufeff', '\ud83d');

  it('gives the same words and braces on lines without preprocessing', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: alphabet, maxLength: 40 }), { minLength: 1, maxLength: 4 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => {
        const text = lines.join(eol);
        expect(flatten(parseCst(text).cst.items).map((w) => w.value)).toEqual(lines.flatMap(readerWords));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees on the tricky inputs without preprocessing', () => {
    for (const text of TRICKY.filter((t) => !/[@$~]|include/.test(t))) {
      expect(flatten(parseCst(text).cst.items).map((w) => w.value)).toEqual(text.split('\n').flatMap(readerWords));
    }
  });
});

describe.skipIf(!samples.length)(samplesTitle, () => {
  it('are read losslessly', () => {
    for (const { text } of samples) checkLossless(text);
  });

  it('parse without errors', () => {
    expect(configs.length).toBeGreaterThan(10);
    for (const { name, text } of configs) expect(parseCst(text).errors, name).toEqual([]);
  });

  it('give the words of the semantic reader on every line without preprocessing', () => {
    let compared = 0;
    for (const { name, text } of configs) {
      const file = createSourceFile(name, text);
      const byLine = new Map<number, string[]>();
      for (const w of flatten(parseCst(text).cst.items)) {
        const line = positionAt(file, w.start).line;
        byLine.set(line, [...(byLine.get(line) ?? []), w.value]);
      }
      text.split('\n').forEach((raw, i) => {
        if (/[@$~]|include/.test(raw)) return;
        expect(byLine.get(i + 1) ?? [], `${name}:${i + 1}`).toEqual(readerWords(raw));
        compared++;
      });
    }
    expect(compared).toBeGreaterThan(500);
  });
});
