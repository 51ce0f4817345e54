/**
 * Prints keepalived.conf from its concrete syntax tree (grammar/cst) as
 * lines: `kalint fmt` joins them, the Prettier plugin hands them to Prettier
 * as a document, so both give the same bytes.
 *
 * The layout changes keepalived's reading never sees, and nothing else:
 * - one logical line per output line: lines are split where keepalived cuts
 *   them anyway (at braces), and a `{` on a later line joins its keyword's line;
 * - indentation by block depth, one space between words, one before a
 *   trailing comment, blank lines collapsed to one and dropped at the start
 *   and end of blocks;
 * - words, comments, include patterns and definitions are printed as written.
 *
 * Some text has to stay as it is because moving it would change what
 * keepalived reads. Such a segment is printed verbatim up to the end of its
 * physical line, and whatever else the line holds (braces, further items) is
 * skipped by the walk:
 * - a line starting with `@id` or `~SEQ(...)`: the condition or repetition
 *   covers the whole rest of the physical line, braces included;
 * - a statement with a `$NAME` reference: keepalived substitutes before it
 *   cuts at braces, depending on what follows the reference on the line;
 * - a word ending in `\` with more after it on its line: a line break after
 *   it would make it a continuation;
 * - an item after a `# prettier-ignore` comment (all of its lines);
 * - a physical line near keepalived's line length limit (it cuts lines by
 *   bytes), with a NUL byte (it stops reading there), or with a carriage
 *   return inside, a vertical tab or a form feed (they separate words but are
 *   no blanks, so `\r@id` is no condition), or with `\"` (where comments
 *   start depends on the whole line): kept whole, indentation included.
 * A `{` on a later line is not joined onto a line ending in such a segment,
 * in a line-final `\`, or in an unterminated quote; a line that indentation
 * would push over the limit is printed unindented.
 */
import { builders } from 'prettier/doc';
import type { CstBlock, CstComment, CstDocument, CstItem, CstStatement, CstWord } from '../grammar/cst/index.ts';

type Doc = builders.Doc;

const { literallineWithoutBreakParent: literalline } = builders;

export interface PrintOptions {
  tabWidth: number;
  useTabs: boolean;
}

/** keepalived reads lines of at most this many bytes; longer ones are cut (2.4.0+: dropped). */
const MAX_LINE_BYTES = 1022;
/**
 * Physical lines from this many bytes on are kept as written: normalising
 * them could move keepalived's cut. Formatting adds at most a space (before a
 * trailing comment) to a line's content, so what is below stays below the limit.
 */
const RAW_LINE_BYTES = MAX_LINE_BYTES - 2;

const IGNORE_COMMENT = /^[#!]\s*prettier-ignore\s*$/;

/** `# prettier-ignore`: the next item is printed as written. */
export const isIgnoreComment = (comment: string) => IGNORE_COMMENT.test(comment);

/** One output line, indentation included, and for verbatim segments the following physical lines as written. */
interface Line {
  text: string;
  more?: string[];
}
interface Nested {
  nested: Out[];
}
const BLANK = Symbol('blank line');
type Out = Line | Nested | typeof BLANK;

/** The formatted text as lines (without line ends), and whether a line end follows the last. */
export interface PrintedLines {
  lines: string[];
  finalLineEnd: boolean;
}

export function printLines(cst: CstDocument, text: string, options: PrintOptions): PrintedLines {
  const printer = new Printer(text, options);
  const lines: string[] = [];
  flatten(printer.items(cst.items, 0), lines);
  return { lines, finalLineEnd: lines.length > 0 && !printer.endsInUnterminatedNulLine };
}

/**
 * The lines as a Prettier document, joined by literal line breaks: the
 * printer indents them itself, because Prettier's indenting line break trims
 * trailing blanks, which are part of some verbatim lines (`\` before them is
 * no continuation).
 */
export function printDocument(cst: CstDocument, text: string, options: PrintOptions): Doc {
  const { lines, finalLineEnd } = printLines(cst, text, options);
  const parts: Doc[] = [];
  lines.forEach((line, i) => {
    if (i) parts.push(literalline);
    parts.push(line);
  });
  if (finalLineEnd) parts.push(literalline);
  return parts;
}

/**
 * The output lines in order; blank lines at the start and end of a block
 * dropped, runs of them collapsed. An empty line after a line ending in `\`
 * stays wherever it is: it ends a definition, which would otherwise go on
 * with the next line.
 */
function flatten(outs: Out[], lines: string[], state = { afterBackslash: false, blankNeeded: false }): void {
  let blank = false;
  let any = false;
  for (const out of outs) {
    if (out === BLANK) {
      if (state.afterBackslash) state.blankNeeded = true;
      else blank = any;
      continue;
    }
    if ('nested' in out) {
      flatten(out.nested, lines, state);
      blank = false;
      continue;
    }
    if (blank || state.blankNeeded) lines.push('');
    lines.push(out.text);
    if (out.more) for (const line of out.more) lines.push(line);
    state.afterBackslash = lines[lines.length - 1]!.endsWith('\\');
    state.blankNeeded = false;
    blank = false;
    any = true;
  }
}

class Printer {
  /** Text before this offset has been printed verbatim already. */
  private skipUntil = -1;
  private readonly rawLines: Set<number>;
  private readonly indentations: string[] = [];
  /**
   * The file ends in a line with a NUL byte and no line end, printed as
   * written: it keeps having no line end, since keepalived 2.4.0+ drops such
   * a line when it is not the last.
   */
  endsInUnterminatedNulLine = false;

  constructor(
    private readonly text: string,
    private readonly options: PrintOptions,
  ) {
    this.rawLines = rawLines(text);
  }

  items(items: readonly CstItem[], depth: number): Out[] {
    const outs: Out[] = [];
    let ignoreNext = false;
    for (const item of items) {
      if (item.kind === 'blankLine') {
        if (item.start >= this.skipUntil) outs.push(BLANK);
        continue;
      }
      // An unclosed block's range ends after its last blank line, on the line after it.
      if (ignoreNext) this.emitVerbatim(outs, depth, item.start, this.text.charCodeAt(item.end - 1) === 10 ? item.end - 1 : item.end);
      else this.item(item, outs, depth);
      ignoreNext = item.kind === 'comment' && isIgnoreComment(item.text);
    }
    return outs;
  }

  private item(item: Exclude<CstItem, { kind: 'blankLine' }>, outs: Out[], depth: number): void {
    switch (item.kind) {
      case 'comment':
        this.emit(outs, depth, item.start, commentText(item));
        return;
      case 'strayBrace':
        this.emit(outs, depth, item.start, withComment(item.brace, item.trailingComment));
        return;
      case 'include':
      case 'definition':
        this.emitVerbatim(outs, depth, item.start, item.end);
        return;
      case 'block':
        this.block(item, outs, depth);
        return;
      case 'statement':
        this.statement(item, outs, depth);
    }
  }

  private statement(s: CstStatement, outs: Out[], depth: number): void {
    const lastWord = s.words[s.words.length - 1];
    if (s.prefixes.length || s.words.some(hasReference) || (lastWord && this.backslashBeforeMore(lastWord))) {
      this.emitVerbatim(outs, depth, s.start, lastWord?.end ?? s.prefixes[s.prefixes.length - 1]!.end);
    } else {
      const head = joinWords(s.words);
      if (s.block && s.start >= this.skipUntil && joinable(lastWord!) && !this.isRaw(s.start) && !this.isRaw(s.block.open.start)) {
        this.block(s.block, outs, depth, { text: head + ' ', start: s.start, comment: s.trailingComment });
        return;
      }
      this.emit(outs, depth, s.start, withComment(head, s.trailingComment));
    }
    // A block whose `{` cannot join the head's line, or which goes on after a segment printed as written.
    if (s.block) this.block(s.block, outs, depth);
  }

  /**
   * The word ends in `\\` and more follows on its line, if only blanks
   * (`a \\{`, `a \\ `): a line ending right after it would make the `\\` a
   * continuation, which keepalived glues to the word.
   */
  private backslashBeforeMore(word: CstWord): boolean {
    if (word.unterminated || !word.text.endsWith('\\')) return false;
    const text = this.text;
    let i = word.end;
    while (text.charCodeAt(i) === 13) i++;
    return i < text.length && text.charCodeAt(i) !== 10;
  }

  /**
   * A block: `head {` (or `{` alone), its items one level deeper, `}`. The
   * comment of a head whose block started on a later line goes after the `{`,
   * and the block's own comment after `{` then becomes its first line.
   */
  private block(b: CstBlock, outs: Out[], depth: number, head?: { text: string; start: number; comment: CstComment | undefined }): void {
    const inner: Out[] = [];
    const [first, second] = [head?.comment, b.openComment].filter((c): c is CstComment => c !== undefined);
    this.emit(outs, depth, head?.start ?? b.open.start, withComment((head?.text ?? '') + '{', first));
    if (second) this.emit(inner, depth + 1, second.start, commentText(second));
    for (const out of this.items(b.items, depth + 1)) inner.push(out);
    if (inner.length) outs.push({ nested: inner });
    if (b.close) this.emit(outs, depth, b.close.start, withComment('}', b.closeComment));
  }

  /** A formatted line for the text starting at `start`, unless that text's physical line has to stay as written. */
  private emit(outs: Out[], depth: number, start: number, text: string): void {
    if (start < this.skipUntil) return;
    if (this.isRaw(start)) this.emitRaw(outs, start, start);
    else outs.push({ text: this.indented(depth, text) });
  }

  /** The source from `start` to the end of the physical line holding `end`, as written. */
  private emitVerbatim(outs: Out[], depth: number, start: number, end: number): void {
    if (start < this.skipUntil) return;
    if (this.isRaw(start)) {
      this.emitRaw(outs, start, end);
      return;
    }
    // The following lines stay exactly as written: a line of blanks in a definition is skipped, an empty one ends it.
    const [text, ...more] = this.lines(start, end);
    const line: Line = { text: this.indented(depth, withoutTrailingBlanks(text!)) };
    if (more.length) line.more = more;
    outs.push(line);
  }

  /** The physical lines from the one holding `start` to the one holding `end`, indentation and all. */
  private emitRaw(outs: Out[], start: number, end: number): void {
    const [text, ...more] = this.lines(this.text.lastIndexOf('\n', start - 1) + 1, end);
    const line: Line = { text: text! };
    if (more.length) line.more = more;
    outs.push(line);
  }

  /**
   * Source lines of [start, end of the physical line holding `end`), without
   * line ends and the carriage returns before them, which keepalived drops
   * too; they are skipped from now on.
   */
  private lines(start: number, end: number): string[] {
    const text = this.text;
    let stop = text.indexOf('\n', end);
    if (stop < 0) stop = text.length;
    this.skipUntil = stop;
    const lines = text.slice(start, stop).split('\n');
    for (let i = 0; i < lines.length; i++) lines[i] = lines[i]!.replace(/\r+$/, '');
    this.endsInUnterminatedNulLine = stop === text.length && lines[lines.length - 1]!.includes('\0');
    return lines;
  }

  /** `text` after the indentation of `depth`, or unindented where that would take it over keepalived's line limit. */
  private indented(depth: number, text: string): string {
    if (depth === 0) return text;
    const indentation = (this.indentations[depth] ??= this.options.useTabs ? '\t'.repeat(depth) : ' '.repeat(depth * this.options.tabWidth));
    if (indentation.length + text.length * 3 > MAX_LINE_BYTES && indentation.length + utf8Length(text) > MAX_LINE_BYTES) return text;
    return indentation + text;
  }

  /** The physical line holding `offset` is printed as written. */
  private isRaw(offset: number): boolean {
    return this.rawLines.size > 0 && this.rawLines.has(this.text.lastIndexOf('\n', offset - 1) + 1);
  }
}

/**
 * The starts of the physical lines whose reading depends on their exact
 * bytes: lines near keepalived's length limit, where it cuts by bytes; lines
 * with NUL bytes, where it stops reading; and lines with a carriage return
 * inside, a vertical tab or a form feed, which separate words but are not
 * blanks, so that moving them changes what starts a line (`\r@id` is no
 * condition); and lines with `\"`, which keepalived's comment stripping takes
 * as an escaped quote and its word splitting as a quote, so that what is a
 * comment depends on what went before on the line.
 */
function rawLines(text: string): Set<number> {
  const out = new Set<number>();
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if ((end - start) * 3 >= RAW_LINE_BYTES && utf8Length(text.slice(start, end)) >= RAW_LINE_BYTES) out.add(start);
    start = end + 1;
  }
  for (const m of text.matchAll(ODD_CHARACTER)) out.add(text.lastIndexOf('\n', m.index - 1) + 1);
  return out;
}

const ODD_CHARACTER = /[\0\v\f]|\r+(?=[^\r\n])|\\"/g;

/** Trailing blanks are dropped by keepalived, except that they make a `\` before them no continuation. */
function withoutTrailingBlanks(line: string): string {
  const trimmed = line.replace(/[ \t]+$/, '');
  return trimmed.endsWith('\\') ? line : trimmed;
}

function withComment(text: string, comment: CstComment | undefined): string {
  return comment ? `${text} ${commentText(comment)}` : text;
}

/** Comments end their line, so their trailing blanks mean nothing. */
function commentText(comment: CstComment): string {
  return comment.text.replace(/[ \t]+$/, '');
}

/**
 * The words with one space between them, and none where the source has none
 * (`a"b"`): a space there can change how keepalived pairs `\\` escapes and quotes.
 */
function joinWords(words: readonly CstWord[]): string {
  let out = words[0]?.text ?? '';
  for (let i = 1; i < words.length; i++) out += (words[i]!.start === words[i - 1]!.end ? '' : ' ') + words[i]!.text;
  return out;
}

/**
 * A `$NAME` or `${NAME}` reference: what keepalived substitutes depends on
 * what follows on the line (`$A{` is no reference, `$A {` is), a `${NAME}`
 * with NAME undefined is cut at its `{`, and what the substitution leaves at
 * the start of a line (`include`, `@id` after a cut) takes the rest of it.
 */
const hasReference = (word: CstWord) => word.text.includes('$');

/** A `{` may follow this word on its line without becoming part of it. */
function joinable(last: CstWord): boolean {
  return !last.unterminated && !last.text.endsWith('\\');
}

function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Two extra bytes for U+0800..U+FFFF, one for U+0080..U+07FF; a surrogate pair is 4 bytes in 2 units.
    if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return n;
}
