/**
 * Chevrotain parser for the concrete syntax tree. Whitespace never reaches it
 * (the lexer puts it in a group), but line ends do: keepalived is line based,
 * and the formatter needs to know which comments trail a line and where the
 * blank lines are.
 *
 *   document   := (item | strayClose)*
 *   item       := blankLine | commentLine | block | line
 *   blankLine  := Newline
 *   commentLine:= Comment Newline?
 *   strayClose := '}' lineEnd?                      a '}' with no open block
 *   deepOpen   := '{' lineEnd?                      a '{' beyond MAX_BLOCK_DEPTH, not nested
 *   line       := (prefix+ head? | head) tail
 *   prefix     := Conditional | Generator            @id, @^id, ~SEQ(...), ~LST(...)
 *   head       := Include IncludePattern? | Definition | word+
 *   word       := Word | QuotedString | Bom
 *   tail       := block
 *               | lineEnd (Newline* block)?          the block only after words, and only
 *                                                    when blank lines alone separate it
 *               | ε                                  before '}' or at the end of the input
 *   block      := '{' lineEnd? (item | deepOpen)* ('}' lineEnd?)?
 *   lineEnd    := Comment Newline? | Newline
 *
 * Why this shape:
 * - A line ends at its Newline, which it owns, so a Newline at the start of an
 *   item is a blank line. A line also ends before a brace: keepalived cuts
 *   lines at braces (`} vrrp_instance B {` is a close, then a new line).
 * - `name` followed by `{` on a later line is one statement with its block, as
 *   keepalived reads it, so outline and folding need no pairing; comments in
 *   between would have no place in that node, so then the block stands alone.
 * - The close brace is optional: at the end of the input keepalived closes
 *   open blocks (with an error), and so does this tree. A '}' at top level
 *   is a node of its own instead of an error that would end the parse.
 * Every token sequence the lexer can produce is accepted, so the parser never
 * has to recover; recovery stays enabled so that a bug there would still give
 * a tree and an error instead of an exception.
 *
 * The rules build the tree's nodes (index.ts) as they go, with embedded
 * actions: building Chevrotain's generic CST first and converting it took
 * longer than the parse itself. The alternatives of each OR are built once.
 */
import { EmbeddedActionsParser, type IOrAlt, type IToken } from 'chevrotain';
import type {
  CstBlock,
  CstComment,
  CstDefinition,
  CstError,
  CstInclude,
  CstItem,
  CstPrefix,
  CstSpan,
  CstStatement,
  CstStrayBrace,
  CstWord,
} from './index.ts';
import {
  allTokens,
  Bom,
  Comment,
  Conditional,
  Definition,
  Generator,
  Include,
  IncludePattern,
  LBrace,
  Newline,
  QuotedString,
  RBrace,
  Word,
} from './lexer.ts';

/**
 * Blocks nest at most this deep (keepalived's own go about six levels). The
 * parser recurses per level, so without a limit a long run of `{` would
 * exhaust the stack; deeper `{` become items of their own.
 */
export const MAX_BLOCK_DEPTH = 100;

/** What ends a line: a block, the comment ending it, or both (a block on a later line). */
type Tail = { block: CstBlock | undefined; comment?: IToken | undefined };
type Head = { kind: 'include'; keyword: IToken; pattern?: IToken } | { kind: 'definition'; token: IToken } | { kind: 'words'; tokens: IToken[] };

export class KeepalivedCstParser extends EmbeddedActionsParser {
  /** Chevrotain's grammar validations (ambiguities, left recursion) slow the start down; the tests run them. */
  constructor(options: { validate?: boolean } = {}) {
    super(allTokens, { recoveryEnabled: true, skipValidations: !options.validate });
    this.performSelfAnalysis();
  }

  /** Blocks open around the current position. */
  private depth = 0;
  /** The head just read is words, after which a block may follow on a later line. */
  private afterWords = false;
  /** Structural problems found while building (unclosed blocks, stray braces). */
  problems: CstError[] = [];

  override reset(): void {
    super.reset();
    this.depth = 0;
    this.problems = [];
  }

  readonly document = this.RULE('document', (): CstItem[] => {
    const items: CstItem[] = [];
    this.MANY(() => {
      const item = this.OR((this.documentAlts ??= [...this.itemAlternatives(), { ALT: () => this.SUBRULE(this.strayClose) }]));
      if (item) items.push(item);
    });
    return items;
  });

  private documentAlts?: IOrAlt<CstItem | undefined>[];
  private blockAlts?: IOrAlt<CstItem | undefined>[];
  private itemAlts?: IOrAlt<CstItem | undefined>[];
  private prefixAlts?: IOrAlt<IToken>[];
  private headAlts?: IOrAlt<Head>[];
  private wordAlts?: IOrAlt<IToken>[];
  private tailAlts?: IOrAlt<Tail>[];
  private lineEndAlts?: IOrAlt<IToken | undefined>[];

  readonly blankLine = this.RULE('blankLine', (): CstItem | undefined => {
    const nl = this.CONSUME(Newline);
    return this.ACTION(() => (real(nl) ? { kind: 'blankLine', start: nl.startOffset, end: endOf(nl) } : undefined));
  });

  readonly commentLine = this.RULE('commentLine', (): CstItem | undefined => {
    const c = this.CONSUME(Comment);
    this.OPTION(() => this.CONSUME(Newline));
    return this.ACTION(() => (real(c) ? comment(c) : undefined));
  });

  /** A `}` at top level. */
  readonly strayClose = this.RULE('strayClose', (): CstItem | undefined => {
    const brace = this.CONSUME(RBrace);
    const end = this.OPTION(() => this.SUBRULE(this.lineEnd));
    return this.ACTION(() => this.strayBrace(brace, end));
  });

  /** A `{` that would nest deeper than MAX_BLOCK_DEPTH. */
  readonly deepOpen = this.RULE('deepOpen', (): CstItem | undefined => {
    const brace = this.CONSUME(LBrace);
    const end = this.OPTION(() => this.SUBRULE(this.lineEnd));
    return this.ACTION(() => this.strayBrace(brace, end));
  });

  readonly line = this.RULE('line', (): CstItem | undefined => {
    const prefixes: IToken[] = [];
    let head: Head | undefined;
    this.OR([
      {
        ALT: () => {
          this.AT_LEAST_ONE(() => prefixes.push(this.OR1((this.prefixAlts ??= [{ ALT: () => this.CONSUME(Conditional) }, { ALT: () => this.CONSUME(Generator) }]))));
          this.OPTION(() => (head = this.SUBRULE(this.head)));
        },
      },
      { ALT: () => (head = this.SUBRULE1(this.head)) },
    ]);
    this.ACTION(() => (this.afterWords = head?.kind === 'words'));
    const tail: Tail = this.OR2(
      (this.tailAlts ??= [
        { GATE: () => this.depth < MAX_BLOCK_DEPTH, ALT: () => ({ block: this.SUBRULE(this.block), comment: undefined }) },
        {
          ALT: () => {
            const c = this.SUBRULE(this.lineEnd);
            const block = this.OPTION1({
              GATE: () => this.afterWords && this.depth < MAX_BLOCK_DEPTH && this.blockAfterBlankLines(),
              DEF: () => {
                this.MANY(() => this.CONSUME(Newline));
                return this.SUBRULE1(this.block);
              },
            });
            return { comment: c, block };
          },
        },
        { ALT: () => ({ comment: undefined, block: undefined }) },
      ]),
    );
    return this.ACTION(() => buildLine(prefixes.map(prefix), head, tail.comment, tail.block));
  });

  readonly head = this.RULE('head', (): Head => {
    return this.OR(
      (this.headAlts ??= [
        {
          ALT: () => {
            const keyword = this.CONSUME(Include);
            const pattern = this.OPTION(() => this.CONSUME(IncludePattern));
            return pattern && real(pattern) ? { kind: 'include', keyword, pattern } : { kind: 'include', keyword };
          },
        },
        { ALT: () => ({ kind: 'definition', token: this.CONSUME(Definition) }) },
        {
          ALT: () => {
            const tokens: IToken[] = [];
            this.AT_LEAST_ONE(() =>
              tokens.push(
                this.OR1(
                  (this.wordAlts ??= [{ ALT: () => this.CONSUME(Word) }, { ALT: () => this.CONSUME(QuotedString) }, { ALT: () => this.CONSUME(Bom) }]),
                ),
              ),
            );
            return { kind: 'words', tokens };
          },
        },
      ]),
    );
  });

  readonly block = this.RULE('block', (): CstBlock | undefined => {
    const open = this.CONSUME(LBrace);
    this.ACTION(() => this.depth++);
    const openEnd = this.OPTION(() => this.SUBRULE(this.lineEnd));
    const items: CstItem[] = [];
    this.MANY(() => {
      const item = this.OR((this.blockAlts ??= [...this.itemAlternatives(), { ALT: () => this.SUBRULE(this.deepOpen), IGNORE_AMBIGUITIES: true }]));
      if (item) items.push(item);
    });
    this.ACTION(() => this.depth--);
    let close: IToken | undefined;
    let closeEnd: IToken | undefined;
    this.OPTION1(() => {
      close = this.CONSUME(RBrace);
      closeEnd = this.OPTION2(() => this.SUBRULE1(this.lineEnd));
    });
    return this.ACTION(() => this.buildBlock(open, openEnd, items, close, closeEnd));
  });

  /** The comment ending the line, if any. */
  readonly lineEnd = this.RULE('lineEnd', (): IToken | undefined => {
    return this.OR(
      (this.lineEndAlts ??= [
        {
          ALT: () => {
            const c = this.CONSUME(Comment);
            this.OPTION(() => this.CONSUME(Newline));
            return c;
          },
        },
        {
          ALT: () => {
            this.CONSUME1(Newline);
            return undefined;
          },
        },
      ]),
    );
  });

  private itemAlternatives(): IOrAlt<CstItem | undefined>[] {
    return (this.itemAlts ??= [
      { ALT: () => this.SUBRULE(this.blankLine) },
      { ALT: () => this.SUBRULE(this.commentLine) },
      { GATE: () => this.depth < MAX_BLOCK_DEPTH, ALT: () => this.SUBRULE(this.block) },
      { ALT: () => this.SUBRULE(this.line) },
    ]);
  }

  /** Only end-of-line tokens between here and a `{`. */
  private blockAfterBlankLines(): boolean {
    let i = 1;
    while (this.LA(i).tokenType === Newline) i++;
    return this.LA(i).tokenType === LBrace;
  }

  private strayBrace(brace: IToken, end: IToken | undefined): CstStrayBrace | undefined {
    if (!real(brace)) return undefined;
    const message = brace.image === '}' ? "'}' without a matching '{'" : `blocks nested deeper than ${MAX_BLOCK_DEPTH} levels: this '{' is not nested`;
    this.problems.push({ message, offset: brace.startOffset });
    return withComment<CstStrayBrace>({ kind: 'strayBrace', brace: brace.image === '}' ? '}' : '{', ...span(brace) }, end);
  }

  private buildBlock(open: IToken, openEnd: IToken | undefined, items: CstItem[], close: IToken | undefined, closeEnd: IToken | undefined): CstBlock | undefined {
    if (!real(open)) return undefined;
    const block: CstBlock = { kind: 'block', open: span(open), items, start: open.startOffset, end: open.startOffset + 1 };
    const openComment = real(openEnd) && comment(openEnd!);
    if (openComment) block.openComment = openComment;
    const closeComment = real(closeEnd) && comment(closeEnd!);
    if (real(close)) block.close = span(close!);
    else this.problems.push({ message: "'{' is never closed: keepalived closes it at the end of the file", offset: open.startOffset });
    if (closeComment) block.closeComment = closeComment;
    const last = items[items.length - 1];
    block.end = closeComment ? closeComment.end : block.close ? block.close.end : (last?.end ?? (openComment ? openComment.end : block.end));
    return block;
  }
}

/** Tokens inserted by error recovery have no place in the text. */
const real = (t: IToken | undefined): boolean => t !== undefined && t.startOffset >= 0;
const endOf = (t: IToken): number => t.startOffset + t.image.length;
const span = (t: IToken): CstSpan => ({ start: t.startOffset, end: endOf(t) });

function comment(t: IToken): CstComment {
  return { kind: 'comment', text: t.image, marker: t.image[0] === '!' ? '!' : '#', start: t.startOffset, end: endOf(t) };
}

/** Adds the comment ending the node's line and extends the node over it. */
function withComment<T extends CstSpan & { trailingComment?: CstComment }>(n: T, c: IToken | undefined): T {
  if (c && real(c)) {
    n.trailingComment = comment(c);
    n.end = n.trailingComment.end;
  }
  return n;
}

function payload(t: IToken): string {
  return typeof t.payload === 'string' ? t.payload : t.image;
}

function prefix(t: IToken): CstPrefix {
  const value = payload(t);
  if (value[0] === '@') {
    const negated = value[1] === '^';
    return { kind: 'conditional', text: t.image, id: value.slice(negated ? 2 : 1), negated, start: t.startOffset, end: endOf(t) };
  }
  const name = value.startsWith('~SEQx') ? '~SEQx' : value.startsWith('~LST') ? '~LST' : '~SEQ';
  return { kind: 'generator', text: t.image, name, start: t.startOffset, end: endOf(t) };
}

function buildLine(prefixes: CstPrefix[], head: Head | undefined, lineComment: IToken | undefined, block: CstBlock | undefined): CstItem | undefined {
  const start = prefixes[0]?.start;
  if (head?.kind === 'include') {
    const { keyword, pattern } = head;
    const out: CstInclude = {
      kind: 'include',
      prefixes,
      keyword: keyword.image as CstInclude['keyword'],
      start: start ?? keyword.startOffset,
      end: endOf(pattern ?? keyword),
    };
    if (pattern) out.pattern = { text: pattern.image, value: payload(pattern), start: pattern.startOffset, end: endOf(pattern) };
    return withComment(out, lineComment);
  }
  if (head?.kind === 'definition') {
    const value = payload(head.token);
    return withComment<CstDefinition>(
      {
        kind: 'definition',
        prefixes,
        name: /^\$(\w+)=/.exec(value)![1]!,
        text: head.token.image,
        multiline: value.endsWith('\\'),
        start: start ?? head.token.startOffset,
        end: endOf(head.token),
      },
      lineComment,
    );
  }
  const words = head ? buildWords(head.tokens) : [];
  const first = prefixes[0] ?? words[0];
  const last = words[words.length - 1] ?? prefixes[prefixes.length - 1];
  if (!first || !last) return undefined;
  const statement = withComment<CstStatement>({ kind: 'statement', prefixes, words, start: first.start, end: last.end }, lineComment);
  if (block) {
    statement.block = block;
    statement.end = block.end;
  }
  return statement;
}

/** One word per token, except that a byte order mark and the word right after it are one word. */
function buildWords(list: IToken[]): CstWord[] {
  const out: CstWord[] = [];
  for (let i = 0; i < list.length; i++) {
    const t = list[i]!;
    if (!real(t)) continue;
    const next = list[i + 1];
    if (t.tokenType === Bom && next?.tokenType === Word && next.startOffset === 1) {
      const text = t.image + next.image;
      out.push({ kind: 'word', text, value: payload(next), quoted: false, unterminated: false, start: 0, end: text.length });
      i++;
      continue;
    }
    const value = payload(t);
    if (t.tokenType === QuotedString) {
      const unterminated = value.length < 2 || !value.endsWith('"');
      out.push({ kind: 'word', text: t.image, value: value.slice(1, unterminated ? undefined : -1), quoted: true, unterminated, start: t.startOffset, end: endOf(t) });
    } else {
      out.push({ kind: 'word', text: t.image, value, quoted: false, unterminated: false, start: t.startOffset, end: endOf(t) });
    }
  }
  return out;
}

/** Building a parser analyses the grammar, so one instance is reused; parsing is synchronous. */
export const cstParser = new KeepalivedCstParser();
