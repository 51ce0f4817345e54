/**
 * Logical lines: text that keepalived's `read_line` hands to its keyword
 * matcher, with a map from every character back to the source. Text copied
 * from the file maps one to one; text produced by an expansion ($NAME,
 * multi-line definitions, ~SEQ) maps to the span that caused it, and carries
 * the expansion chain as a Frame.
 */
import type { Range, SourceFile } from './source.ts';

/** One step of an expansion chain. */
export interface Frame {
  kind: 'definition' | 'seq' | 'list';
  /** The definition or generator variable. */
  name: string;
  /** For generators: the value of this iteration. */
  value?: string;
  /** Where the definition or generator was written. */
  origin?: Range;
  parent?: Frame;
}

interface Segment {
  /** First text index the segment covers. */
  at: number;
  /** Source offset of text[at] (identity), or start of the span that produced the text (expansion). */
  src: number;
  /** -1 for identity; otherwise end of the producing span. */
  srcEnd: number;
  frame: Frame | undefined;
}

export class Line {
  /**
   * `segs` is null for text copied verbatim from the file (the common case,
   * kept allocation-free): then text[i] comes from offset `base + i`.
   */
  private constructor(
    readonly text: string,
    readonly file: SourceFile,
    private readonly base: number,
    private readonly segs: readonly Segment[] | null,
  ) {}

  /** Text copied verbatim from `file` starting at offset `src`. */
  static fromSource(file: SourceFile, src: number, text: string): Line {
    return new Line(text, file, src, null);
  }

  /** Text produced by an expansion: every character maps to the span [srcStart, srcEnd). */
  static expansion(file: SourceFile, text: string, srcStart: number, srcEnd: number, frame: Frame): Line {
    return new Line(text, file, srcStart, [{ at: 0, src: srcStart, srcEnd, frame }]);
  }

  get length(): number {
    return this.text.length;
  }

  private segments(): readonly Segment[] {
    return this.segs ?? [{ at: 0, src: this.base, srcEnd: -1, frame: undefined }];
  }

  private segIndex(i: number): number {
    const segs = this.segs!;
    let k = segs.length - 1;
    while (k > 0 && segs[k]!.at > i) k--;
    return k;
  }

  /** Source offset where the character at text index `i` comes from. */
  srcStart(i: number): number {
    if (!this.segs) return this.base + i;
    const s = this.segs[this.segIndex(i)]!;
    return s.srcEnd < 0 ? s.src + (i - s.at) : s.src;
  }

  /** Source offset just after the character at text index `i`. */
  srcEnd(i: number): number {
    if (!this.segs) return this.base + i + 1;
    const s = this.segs[this.segIndex(i)]!;
    return s.srcEnd < 0 ? s.src + (i - s.at) + 1 : s.srcEnd;
  }

  frameAt(i: number): Frame | undefined {
    return this.segs ? this.segs[this.segIndex(i)]!.frame : undefined;
  }

  /** The first expansion frame among text[a, b), if any character there was produced by one. */
  frameIn(a: number, b: number): Frame | undefined {
    if (!this.segs) return undefined;
    const first = this.segIndex(a);
    for (let k = first; k < this.segs.length; k++) {
      const s = this.segs[k]!;
      if (k > first && s.at >= b) break;
      if (s.frame) return s.frame;
    }
    return undefined;
  }

  /** The source range of text[a, b); an empty span maps to a point. */
  range(a: number, b: number): Range {
    const n = this.text.length;
    if (!this.segs) return { file: this.file, start: this.base + Math.min(a, n), end: this.base + Math.max(Math.min(b, n), Math.min(a, n)) };
    if (n === 0) return { file: this.file, start: this.base, end: this.base };
    const start = a < n ? this.srcStart(a) : this.srcEnd(n - 1);
    const end = b > a ? this.srcEnd(b - 1) : start;
    return { file: this.file, start, end: Math.max(start, end) };
  }

  slice(a: number, b: number = this.text.length): Line {
    if (a === 0 && b === this.text.length) return this;
    if (!this.segs) return new Line(this.text.slice(a, b), this.file, this.base + a, null);
    const segs: Segment[] = [];
    for (let k = 0; k < this.segs.length; k++) {
      const s = this.segs[k]!;
      const sEnd = k + 1 < this.segs.length ? this.segs[k + 1]!.at : this.text.length;
      if (sEnd <= a || s.at >= b) continue;
      const from = Math.max(s.at, a);
      segs.push({ at: from - a, src: s.srcEnd < 0 ? s.src + (from - s.at) : s.src, srcEnd: s.srcEnd, frame: s.frame });
    }
    if (segs.length === 0) {
      const n = this.text.length;
      const p = a < n ? this.srcStart(a) : n ? this.srcEnd(n - 1) : this.base;
      segs.push({ at: 0, src: p, srcEnd: -1, frame: n ? this.frameAt(Math.min(a, n - 1)) : undefined });
    }
    return new Line(this.text.slice(a, b), this.file, segs[0]!.src, segs);
  }

  /** Joins lines of one file; `parts` must not be empty. */
  static concat(parts: readonly Line[]): Line {
    const nonEmpty = parts.filter((p) => p.length > 0);
    if (nonEmpty.length <= 1) return nonEmpty[0] ?? parts[0]!;
    const first = nonEmpty[0]!;
    const verbatim = nonEmpty.every((p, i) => !p.segs && (i === 0 || p.base === nonEmpty[i - 1]!.base + nonEmpty[i - 1]!.length));
    const text = nonEmpty.map((p) => p.text).join('');
    if (verbatim) return new Line(text, first.file, first.base, null);
    const segs: Segment[] = [];
    let offset = 0;
    for (const p of nonEmpty) {
      for (const s of p.segments()) {
        const prev = segs[segs.length - 1];
        const at = s.at + offset;
        // Merge identity segments that continue each other in the source.
        if (prev && prev.srcEnd < 0 && s.srcEnd < 0 && prev.frame === s.frame && prev.src + (at - prev.at) === s.src) continue;
        segs.push({ at, src: s.src, srcEnd: s.srcEnd, frame: s.frame });
      }
      offset += p.length;
    }
    return new Line(text, first.file, segs[0]!.src, segs);
  }

  /** Replaces text[a, b) with `replacement`, whose characters all map to the source span of text[a, b). */
  replace(a: number, b: number, replacement: string, frame: Frame): Line {
    const span = this.range(a, b);
    const inserted = new Line(replacement, this.file, span.start, [{ at: 0, src: span.start, srcEnd: span.end, frame }]);
    return Line.concat([this.slice(0, a), inserted, this.slice(b)]);
  }

  /** The same text, marked as produced by `frame` (characters already produced by an expansion keep theirs). */
  withFrame(frame: Frame): Line {
    return new Line(
      this.text,
      this.file,
      this.base,
      this.segments().map((s) => ({ ...s, frame: s.frame ?? frame })),
    );
  }
}

/** keepalived's WHITE_SPACE for word splitting: space, tab, form feed, newline, carriage return, vertical tab. */
export function isWordSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

const isBlank = (c: number) => c === 32 || c === 9;

export interface DecommentResult {
  line: Line;
  /** Source offsets of unquoted `\#`/`\!` that were unescaped: keepalived's child processes read them as comments. */
  unescapedCommentChar: number[];
}

/**
 * keepalived's `decomment()`: strips leading blanks, the comment (from an
 * unquoted `#` or `!`), the `\` of an unquoted `\#`/`\!`, and trailing
 * blanks; a final `\` is kept and glued to the text before it.
 */
export function decomment(line: Line, commentEndsScan: boolean): DecommentResult {
  const t = line.text;
  let lead = 0;
  while (lead < t.length && isBlank(t.charCodeAt(lead))) lead++;
  let quote = false;
  let cont = false;
  let cut = t.length;
  let comment = -1;
  let removed: number[] | undefined;
  for (let i = lead; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 34 /* " */) {
      if (comment < 0) quote = !quote;
      continue;
    }
    if (c === 92 /* \ */) {
      if (i + 1 < t.length) {
        const n = t.charCodeAt(i + 1);
        if (!quote && (n === 35 || n === 33)) (removed ??= []).push(i);
        i++;
        continue;
      }
      cut = Math.min(cut, i);
      cont = true;
      break;
    }
    if (!quote && comment < 0 && (c === 35 /* # */ || c === 33) /* ! */) {
      comment = i;
      if (commentEndsScan) break;
    }
  }
  if (comment >= 0) cut = Math.min(cut, comment);
  let end = cut;
  while (end > lead && isBlank(t.charCodeAt(end - 1))) end--;
  const kept = removed?.filter((i) => i < cut) ?? [];
  let out: Line;
  if (kept.length === 0) {
    out = line.slice(lead, end);
  } else {
    const parts: Line[] = [];
    let from = lead;
    for (const r of kept) {
      parts.push(line.slice(from, r));
      from = r + 1;
    }
    parts.push(line.slice(from, end));
    out = Line.concat(parts);
  }
  if (cont) {
    const backslashAt = t.length - 1;
    out = Line.concat([out, line.slice(backslashAt, backslashAt + 1)]);
  }
  return { line: out, unescapedCommentChar: kept.length ? kept.map((r) => line.srcStart(r)) : NONE };
}

const NONE: number[] = [];

export interface WordSpan {
  text: string;
  quoted: boolean;
  /** Text index of the word, including its quotes. */
  start: number;
  end: number;
}

export interface SplitResult<T = WordSpan> {
  words: T[];
  /** Text index of a `"` that has no closing quote (the rest of the line is dropped), or -1. */
  unmatchedQuote: number;
}

const span = (text: string, quoted: boolean, start: number, end: number): WordSpan => ({ text, quoted, start, end });

/**
 * keepalived's `alloc_strvec_r`: splits on white space; `"` starts a quoted
 * word wherever it appears. `make` builds each word (text, whether quoted,
 * and its text indices including quotes).
 */
export function splitWords(text: string): SplitResult;
export function splitWords<T>(text: string, make: (text: string, quoted: boolean, start: number, end: number) => T): SplitResult<T>;
export function splitWords<T>(text: string, make?: (text: string, quoted: boolean, start: number, end: number) => T): SplitResult<T | WordSpan> {
  const build = make ?? span;
  const words: (T | WordSpan)[] = [];
  const n = text.length;
  let i = 0;
  while (true) {
    while (i < n && isWordSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    if (text.charCodeAt(i) === 34) {
      const close = text.indexOf('"', i + 1);
      if (close < 0) return { words, unmatchedQuote: start };
      words.push(build(text.slice(i + 1, close), true, start, close + 1));
      i = close + 1;
    } else {
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === 34 || isWordSpace(c)) break;
        i++;
      }
      words.push(build(text.slice(start, i), false, start, i));
    }
  }
  return { words, unmatchedQuote: -1 };
}

/**
 * Where keepalived cuts a logical line at a brace (`read_line`): the first `{`
 * or `}` outside double quotes. Returns the text index of the brace, or -1.
 */
export function findBrace(text: string): number {
  const first = text.charCodeAt(0);
  if (first === 123 || first === 125) return 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 123 || c === 125) return i;
    if (c === 34) {
      const close = text.indexOf('"', i + 1);
      if (close < 0) return -1;
      i = close + 1;
      continue;
    }
    i++;
  }
  return -1;
}

/**
 * keepalived's `alloc_strvec_quoted` (no escape decoding), used to re-read the
 * lines of script keywords: `'` and `"` both quote, quoted and unquoted pieces
 * of one word are joined, and a backslash keeps the next character.
 * Returns undefined when a quote is not closed.
 */
export function splitQuoted(text: string): WordSpan[] | undefined {
  const words: WordSpan[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && isWordSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    let out = '';
    let quote = '';
    let quoted = false;
    while (i < n) {
      const c = text[i]!;
      if (c === '\\') {
        if (i + 1 >= n) return undefined;
        out += '\\' + text[i + 1];
        i += 2;
        continue;
      }
      if (quote) {
        if (c === quote) quote = '';
        else out += c;
        i++;
        continue;
      }
      if (c === '"' || c === "'") {
        quote = c;
        quoted = true;
        i++;
        continue;
      }
      if (isWordSpace(text.charCodeAt(i))) break;
      out += c;
      i++;
    }
    if (quote) return undefined;
    words.push({ text: out, quoted, start, end: i });
  }
  return words;
}

/** One argument of a script's command; `plain` when no part of it was quoted or escaped. */
export interface CommandArg {
  text: string;
  plain: boolean;
}

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
const isOctal = (c: string | undefined) => c !== undefined && c >= '0' && c <= '7';
const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/**
 * keepalived's `alloc_strvec_quoted_escaped`: the argv of a script keyword's
 * command. `'` and `"` quote, adjacent pieces join, and backslash escapes are
 * decoded everywhere (`\n`, `\x41`, `\101`, `\cA`, any other `\C` is `C`).
 * Undefined where keepalived gives up: a quote left open or a trailing `\`.
 */
export function commandArgs(command: string): CommandArg[] | undefined {
  const argv: CommandArg[] = [];
  const n = command.length;
  let i = 0;
  while (i < n) {
    while (i < n && isWordSpace(command.charCodeAt(i))) i++;
    if (i >= n) break;
    let out = '';
    let quote = '';
    let plain = true;
    while (i < n) {
      const c = command[i]!;
      if (c === '\\') {
        if (++i >= n) return undefined;
        plain = false;
        const e = command[i]!;
        if (e === 'x' && isHex(command[i + 1])) {
          const digits = isHex(command[i + 2]) ? 2 : 1;
          out += String.fromCharCode(parseInt(command.slice(i + 1, i + 1 + digits), 16));
          i += 1 + digits;
        } else if (e === 'c' && i + 1 < n) {
          out += String.fromCharCode(command.charCodeAt(i + 1) & 0x1f);
          i += 2;
        } else if (isOctal(e)) {
          let digits = 1;
          while (digits < 3 && isOctal(command[i + digits])) digits++;
          out += String.fromCharCode(parseInt(command.slice(i, i + digits), 8) & 0xff);
          i += digits;
        } else {
          out += SIMPLE_ESCAPES[e] ?? e;
          i++;
        }
        continue;
      }
      if (quote) {
        if (c === quote) quote = '';
        else out += c;
      } else if (c === '"' || c === "'") {
        quote = c;
        plain = false;
      } else if (isWordSpace(command.charCodeAt(i))) {
        break;
      } else {
        out += c;
      }
      i++;
    }
    if (quote) return undefined;
    argv.push({ text: out, plain });
  }
  return argv;
}
