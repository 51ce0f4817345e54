/**
 * The lexer of the concrete syntax tree: Chevrotain token types, every
 * character of the input in exactly one token, so concatenating the images
 * gives the input back.
 *
 * keepalived's lexical rules cannot be written as independent regular
 * expressions: where a comment starts depends on the double-quote state since
 * the start of the line (with decomment's `\` escapes, which the word splitter
 * does not know), every brace cut starts a new logical line on which `@id`,
 * `$NAME=`, `~SEQ` and `include` are recognised again, and a multi-line
 * definition swallows the following lines. So the lexer lays out one unit at a
 * time (a physical line, or a definition with its continuation lines) with the
 * algorithm of keepalived's `read_line` (the same steps as grammar/line.ts and
 * grammar/preprocess.ts), and `tokenize` turns the layout into Chevrotain
 * tokens for the parser directly. (Chevrotain's own lexer, driven by custom
 * patterns that looked the layout up, took three times as long.)
 *
 * Differences from keepalived's own reading, all deliberate:
 * - `${NAME}` / `${NAME params}` is part of a word: keepalived substitutes it
 *   before cutting at braces, so its braces are never block braces (unless
 *   the name is undefined, which only a full read can know).
 * - Preprocessing is purely lexical: `@id` lines are read as if the condition
 *   held, `$NAME` is not expanded, and `~SEQ` bodies are read once.
 * - NUL bytes and lines over 1022 bytes are ordinary text here.
 * - A generator header ends at its first `)`.
 *
 * Words, strings, prefixes, include keywords and patterns, and definitions
 * carry as `payload` the text keepalived reads for them (after decomment:
 * `\#` and `\!` unescaped, and a line-final `\` glued to the word before it
 * across blanks). A UTF-8 byte order mark, which keepalived reads as the
 * start of the first word, is a token of its own; the word token after it
 * carries the whole word, mark included.
 */
import { createToken, type IToken, Lexer, type TokenType } from 'chevrotain';

type Kind =
  | 'Whitespace'
  | 'Newline'
  | 'Comment'
  | 'Word'
  | 'QuotedString'
  | 'LBrace'
  | 'RBrace'
  | 'Conditional'
  | 'Generator'
  | 'Include'
  | 'IncludePattern'
  | 'Definition'
  | 'Bom';

interface Planned {
  kind: Kind;
  start: number;
  end: number;
  /**
   * What keepalived reads for this token where that is not its source text
   * (after `\#` unescaping or a glued line-final `\`, a definition's first
   * line, a word with the byte order mark); undefined otherwise.
   */
  value: string | undefined;
}

const isBlank = (c: number) => c === 32 || c === 9;
/** keepalived's word separators: space, tab, LF, VT, FF, CR. */
const isWordSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/** `${NAME}` or `${NAME params}`; one character class, so that a failed match costs linear time. */
const REFERENCE = /\$\{[A-Za-z_][\w \t]*\}/y;
const DEFINITION = /\$[A-Za-z_]\w*=/y;
const INCLUDE = /(include[rmwba]?)[ \t\n\r\f\v]/y;

function skipBlanks(s: string, p: number): number {
  while (p < s.length && isBlank(s.charCodeAt(p))) p++;
  return p;
}

/** End of a `${NAME ...}` reference starting at `i`, or -1 (keepalived's `find_definition`). */
function referenceEnd(s: string, i: number): number {
  REFERENCE.lastIndex = i;
  if (!REFERENCE.test(s)) return -1;
  const end = REFERENCE.lastIndex;
  // Parameters may not end with a blank (a name followed by blanks only is fine).
  const inner = s.slice(i + 2, end - 1);
  if (isBlank(inner.charCodeAt(inner.length - 1)) && /[ \t]/.test(inner.trimEnd())) return -1;
  return end;
}

interface PhysicalLine {
  start: number;
  /** End of the text keepalived keeps: before the `\r`s and `\n` that end the line. */
  contentEnd: number;
  /** Index of the `\n`, or the text length on the last line. */
  end: number;
}

function physicalLine(text: string, start: number): PhysicalLine {
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  let contentEnd = end;
  while (contentEnd > start && text.charCodeAt(contentEnd - 1) === 13) contentEnd--;
  return { start, contentEnd, end };
}

/** A physical line after keepalived's `decomment`, with every character mapped back to the source. */
interface Decommented {
  line: PhysicalLine;
  /** The text keepalived goes on with. */
  d: string;
  /**
   * Source span of d[i]: an unescaped `#` starts at its backslash. Absent
   * when d is a plain slice of the source starting at `base` (most lines).
   */
  from?: Int32Array;
  to?: Int32Array;
  base: number;
  /** Where the comment starts, or -1. */
  comment: number;
}

const sourceStart = (dec: Decommented, i: number) => (dec.from ? dec.from[i]! : dec.base + i);
const sourceEnd = (dec: Decommented, i: number) => (dec.to ? dec.to[i]! : dec.base + i + 1);

/** grammar/line.ts `decomment`, keeping positions (and keepalived ≥ 2.4's stop at the comment). */
function decomment(text: string, line: PhysicalLine): Decommented {
  const ce = line.contentEnd;
  let lead = line.start;
  while (lead < ce && isBlank(text.charCodeAt(lead))) lead++;
  let quote = false;
  let cut = ce;
  let comment = -1;
  let backslash = -1;
  const removed: number[] = [];
  for (let i = lead; i < ce; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      quote = !quote;
    } else if (c === 92) {
      if (i + 1 === ce) {
        cut = backslash = i;
        break;
      }
      const n = text.charCodeAt(i + 1);
      if (!quote && (n === 35 || n === 33)) removed.push(i);
      i++;
    } else if (!quote && (c === 35 || c === 33)) {
      cut = comment = i;
      break;
    }
  }
  let end = cut;
  while (end > lead && isBlank(text.charCodeAt(end - 1))) end--;
  if (!removed.length && backslash < 0) return { line, d: text.slice(lead, end), base: lead, comment };
  const size = end - lead - removed.length + (backslash >= 0 ? 1 : 0);
  const from = new Int32Array(size);
  const to = new Int32Array(size);
  let d = '';
  let k = 0;
  let r = 0;
  let chunk = lead;
  for (let i = lead; i < end; i++) {
    if (removed[r] === i) {
      d += text.slice(chunk, i);
      chunk = i + 1;
      r++;
      from[k] = i;
      to[k++] = i + 2;
      i++;
      continue;
    }
    from[k] = i;
    to[k++] = i + 1;
  }
  d += text.slice(chunk, end);
  if (backslash >= 0) {
    d += '\\';
    from[k] = backslash;
    to[k] = backslash + 1;
  }
  return { line, d, from, to, base: lead, comment };
}

/**
 * keepalived's logical-line processing on one decommented line, from text
 * index `a`: `@id`, `$NAME=`, `~SEQ`/`~LST`, `include`, then the cut at the
 * first brace, whose remainder is a logical line of its own.
 * Returns true when the line ends in a definition that continues on the next lines.
 */
function layoutLogical(d: string, a: number, emit: (kind: Kind, s: number, e: number) => void): boolean {
  const n = d.length;
  let conditionAllowed = true;
  while (a < n) {
    if (conditionAllowed && d.charCodeAt(a) === 64 /* @ */) {
      let sp = a + (d.charCodeAt(a + 1) === 94 /* ^ */ ? 2 : 1);
      while (sp < n && !isBlank(d.charCodeAt(sp))) sp++;
      emit('Conditional', a, sp);
      // A line that is only `@id` is dropped whole; otherwise one prefix per logical line.
      a = skipBlanks(d, sp);
      conditionAllowed = false;
      continue;
    }
    DEFINITION.lastIndex = a;
    if (DEFINITION.test(d)) {
      emit('Definition', a, n);
      return d.charCodeAt(n - 1) === 92;
    }
    if (d.startsWith('~SEQ', a) || d.startsWith('~LST', a)) {
      const close = d.indexOf(')', a);
      const end = close < 0 ? n : close + 1;
      emit('Generator', a, end);
      // The body is read again as a new logical line for every value.
      a = skipBlanks(d, end);
      conditionAllowed = true;
      continue;
    }
    INCLUDE.lastIndex = a;
    const inc = INCLUDE.exec(d);
    if (inc) {
      emit('Include', a, a + inc[1]!.length);
      const p = skipBlanks(d, INCLUDE.lastIndex);
      if (p < n) emit('IncludePattern', p, n);
      return false;
    }
    // keepalived does not substitute `$` on lines starting with `~`.
    const references = d.charCodeAt(a) !== 126;
    const brace = findBrace(d, a, references);
    if (brace < 0) {
      layoutWords(d, a, n, references, emit);
      return false;
    }
    layoutWords(d, a, brace, references, emit);
    emit(d.charCodeAt(brace) === 123 ? 'LBrace' : 'RBrace', brace, brace + 1);
    a = skipBlanks(d, brace + 1);
    conditionAllowed = true;
  }
  return false;
}

/** grammar/line.ts `findBrace` from index `a`, skipping `${...}` references. */
function findBrace(d: string, a: number, references: boolean): number {
  for (let i = a; i < d.length; ) {
    const c = d.charCodeAt(i);
    if (c === 123 || c === 125) return i;
    if (c === 34) {
      const close = d.indexOf('"', i + 1);
      if (close < 0) return -1;
      i = close + 1;
      continue;
    }
    if (references && c === 36) {
      const r = referenceEnd(d, i);
      if (r > 0) {
        i = r;
        continue;
      }
    }
    i++;
  }
  return -1;
}

/** grammar/line.ts `splitWords` on d[a, e); an unmatched quote runs to e. */
function layoutWords(d: string, a: number, e: number, references: boolean, emit: (kind: Kind, s: number, e: number) => void): void {
  let i = a;
  while (true) {
    while (i < e && isWordSpace(d.charCodeAt(i))) i++;
    if (i >= e) return;
    const start = i;
    if (d.charCodeAt(i) === 34) {
      const close = d.indexOf('"', i + 1);
      if (close < 0 || close >= e) {
        emit('QuotedString', start, e);
        return;
      }
      i = close + 1;
      emit('QuotedString', start, i);
      continue;
    }
    while (i < e) {
      const c = d.charCodeAt(i);
      if (c === 34 || isWordSpace(c)) break;
      const r = references && c === 36 ? referenceEnd(d, i) : -1;
      i = r > 0 ? r : i + 1;
    }
    emit('Word', start, i);
  }
}

/**
 * The tokens of the unit starting at `start`: a physical line, or a
 * definition line with its continuation lines. `start` is taken as the start
 * of a physical line.
 */
function layoutUnit(text: string, start: number): Planned[] {
  const out: Planned[] = [];
  const first = decomment(text, physicalLine(text, start));
  // A value only where keepalived reads other text than the source's (see Planned.value).
  const emitFrom = (dec: Decommented) => (kind: Kind, s: number, e: number) => {
    out.push({ kind, start: sourceStart(dec, s), end: sourceEnd(dec, e - 1), value: dec.from || kind === 'Definition' ? dec.d.slice(s, e) : undefined });
  };
  let last = first;
  if (layoutLogical(first.d, 0, emitFrom(first))) {
    const cont = continuation(text, first.line);
    if (cont) {
      out[out.length - 1]!.end = sourceEnd(cont, cont.d.length - 1);
      last = cont;
    }
  }
  // keepalived does not skip a UTF-8 byte order mark: it is the start of the first word.
  const head = out[0];
  if (start === 0 && text.charCodeAt(0) === 0xfeff && head) {
    out.splice(0, 1, { kind: 'Bom', start: 0, end: 1, value: '\ufeff' });
    if (head.end > 1) out.splice(1, 0, { ...head, start: 1, value: head.value ?? text.slice(0, head.end) });
  }
  const { line, comment } = last;
  if (comment >= 0) out.push({ kind: 'Comment', start: comment, end: line.contentEnd, value: undefined });
  if (line.end < text.length) out.push({ kind: 'Newline', start: line.contentEnd, end: line.end + 1, value: undefined });
  return out;
}

/**
 * The last line of a multi-line definition after `line`: lines are taken
 * while they end in `\`; a line that is empty ends the definition, one that
 * decomments to nothing is skipped.
 */
function continuation(text: string, line: PhysicalLine): Decommented | undefined {
  let last: Decommented | undefined;
  let pos = line.end + 1;
  while (pos < text.length) {
    const next = physicalLine(text, pos);
    if (next.contentEnd === next.start) break;
    pos = next.end + 1;
    const dec = decomment(text, next);
    if (dec.d.length === 0) continue;
    last = dec;
    if (dec.d.charCodeAt(dec.d.length - 1) !== 92) break;
  }
  return last;
}


function tokenType(name: Kind, label: string = name): TokenType {
  // The tokens come from `tokenize`, not from patterns: Lexer.NA.
  return createToken({ name, label, pattern: Lexer.NA });
}

export const Whitespace = tokenType('Whitespace');
export const Newline = tokenType('Newline', 'end of line');
export const Comment = tokenType('Comment');
export const Word = tokenType('Word');
export const QuotedString = tokenType('QuotedString', 'quoted string');
export const LBrace = tokenType('LBrace', "'{'");
export const RBrace = tokenType('RBrace', "'}'");
export const Conditional = tokenType('Conditional', '@id');
export const Generator = tokenType('Generator', '~SEQ/~LST');
export const Include = tokenType('Include', 'include');
export const IncludePattern = tokenType('IncludePattern', 'include pattern');
export const Definition = tokenType('Definition', '$NAME=');
export const Bom = tokenType('Bom', 'byte order mark');

export const allTokens: TokenType[] = [Whitespace, Word, Newline, LBrace, RBrace, QuotedString, Comment, Conditional, Generator, Include, IncludePattern, Definition, Bom];

const TYPES: Record<Kind, TokenType> = {
  Whitespace,
  Newline,
  Comment,
  Word,
  QuotedString,
  LBrace,
  RBrace,
  Conditional,
  Generator,
  Include,
  IncludePattern,
  Definition,
  Bom,
};

/** Chevrotain's token shape, built directly and always with the same fields (one hidden class). */
class Token implements IToken {
  readonly endOffset: number;
  readonly tokenTypeIdx: number;
  constructor(
    readonly tokenType: TokenType,
    readonly image: string,
    readonly startOffset: number,
    readonly startLine: number,
    readonly endLine: number,
    readonly startColumn: number,
    readonly endColumn: number,
    /** What keepalived reads for the token, where that differs from the image (Planned.value). */
    readonly payload: string | undefined,
  ) {
    this.endOffset = startOffset + image.length - 1;
    this.tokenTypeIdx = tokenType.tokenTypeIdx!;
  }
}

/**
 * The significant tokens of `text` (all but whitespace), unit after unit,
 * with 1-based lines and columns (lines counted by `\n` only, as keepalived
 * does). Whatever lies between them is whitespace (see `withWhitespace`).
 */
export function tokenize(text: string): IToken[] {
  const tokens: IToken[] = [];
  const lines = new LineCounter(text);
  for (let pos = 0; pos < text.length; ) {
    const unit = layoutUnit(text, pos);
    for (const p of unit) tokens.push(lines.token(TYPES[p.kind], p.start, p.end, p.value));
    // A unit ends with its line end, or at the end of the text.
    const last = unit[unit.length - 1];
    pos = last?.kind === 'Newline' ? last.end : text.length;
  }
  return tokens;
}

/** Every token of `text`: `significant` (from `tokenize`) with whitespace tokens filling the gaps. */
export function withWhitespace(text: string, significant: readonly IToken[]): IToken[] {
  const out: IToken[] = [];
  const lines = new LineCounter(text);
  let at = 0;
  for (const t of significant) {
    if (t.startOffset > at) out.push(lines.token(Whitespace, at, t.startOffset, undefined));
    out.push(t);
    at = t.startOffset + t.image.length;
  }
  if (at < text.length) out.push(lines.token(Whitespace, at, text.length, undefined));
  return out;
}

/** Builds tokens in increasing offsets, counting lines on the way. */
class LineCounter {
  private line = 1;
  private lineStart = 0;
  /** The first `\n` not counted yet. */
  private nextNewline: number;

  constructor(private readonly text: string) {
    this.nextNewline = this.find(0);
  }

  token(type: TokenType, start: number, end: number, value: string | undefined): IToken {
    this.countBefore(start);
    const startLine = this.line;
    const startColumn = start - this.lineStart + 1;
    // A token ending in its line's `\n` ends on that line, as Chevrotain counts.
    this.countBefore(end - 1);
    return new Token(type, this.text.slice(start, end), start, startLine, this.line, startColumn, end - this.lineStart, value);
  }

  private countBefore(offset: number): void {
    while (this.nextNewline < offset) {
      this.line++;
      this.lineStart = this.nextNewline + 1;
      this.nextNewline = this.find(this.lineStart);
    }
  }

  private find(from: number): number {
    const nl = this.text.indexOf('\n', from);
    return nl < 0 ? Number.POSITIVE_INFINITY : nl;
  }
}
