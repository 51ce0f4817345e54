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
 */
import { CstParser, type IOrAlt, type IToken, tokenMatcher } from 'chevrotain';
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

const isWord = (t: IToken) => tokenMatcher(t, Word) || tokenMatcher(t, QuotedString) || tokenMatcher(t, Bom);

export class KeepalivedCstParser extends CstParser {
  /** Chevrotain's grammar validations (ambiguities, left recursion) slow the start down; the tests run them. */
  constructor(options: { validate?: boolean } = {}) {
    super(allTokens, { recoveryEnabled: true, skipValidations: !options.validate });
    this.performSelfAnalysis();
  }

  /** Blocks open around the current position. */
  private depth = 0;

  override reset(): void {
    super.reset();
    this.depth = 0;
  }

  readonly document = this.RULE('document', () => {
    this.MANY(() => this.OR([...this.itemAlternatives(), { ALT: () => this.SUBRULE(this.strayClose, { LABEL: 'items' }) }]));
  });

  readonly blankLine = this.RULE('blankLine', () => {
    this.CONSUME(Newline);
  });

  readonly commentLine = this.RULE('commentLine', () => {
    this.CONSUME(Comment);
    this.OPTION(() => this.CONSUME(Newline));
  });

  /** A `}` at top level. */
  readonly strayClose = this.RULE('strayClose', () => {
    this.CONSUME(RBrace, { LABEL: 'brace' });
    this.OPTION(() => this.SUBRULE(this.lineEnd));
  });

  /** A `{` that would nest deeper than MAX_BLOCK_DEPTH. */
  readonly deepOpen = this.RULE('deepOpen', () => {
    this.CONSUME(LBrace, { LABEL: 'brace' });
    this.OPTION(() => this.SUBRULE(this.lineEnd));
  });

  readonly line = this.RULE('line', () => {
    this.OR([
      {
        ALT: () => {
          this.AT_LEAST_ONE(() =>
            this.OR1([
              { ALT: () => this.CONSUME(Conditional, { LABEL: 'prefix' }) },
              { ALT: () => this.CONSUME(Generator, { LABEL: 'prefix' }) },
            ]),
          );
          this.OPTION(() => this.SUBRULE(this.head));
        },
      },
      { ALT: () => this.SUBRULE1(this.head) },
    ]);
    let afterWords = false;
    this.ACTION(() => {
      afterWords = isWord(this.LA(0));
    });
    this.OR2([
      { GATE: () => this.depth < MAX_BLOCK_DEPTH, ALT: () => this.SUBRULE(this.block) },
      {
        ALT: () => {
          this.SUBRULE(this.lineEnd);
          this.OPTION1({
            GATE: () => afterWords && this.depth < MAX_BLOCK_DEPTH && this.blockAfterBlankLines(),
            DEF: () => {
              this.MANY(() => this.CONSUME(Newline, { LABEL: 'blank' }));
              this.SUBRULE1(this.block);
            },
          });
        },
      },
      { ALT: () => {} },
    ]);
  });

  readonly head = this.RULE('head', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Include);
          this.OPTION(() => this.CONSUME(IncludePattern));
        },
      },
      { ALT: () => this.CONSUME(Definition) },
      {
        ALT: () =>
          this.AT_LEAST_ONE(() =>
            this.OR1([
              { ALT: () => this.CONSUME(Word, { LABEL: 'word' }) },
              { ALT: () => this.CONSUME(QuotedString, { LABEL: 'word' }) },
              { ALT: () => this.CONSUME(Bom, { LABEL: 'word' }) },
            ]),
          ),
      },
    ]);
  });

  readonly block = this.RULE('block', () => {
    this.CONSUME(LBrace, { LABEL: 'open' });
    this.ACTION(() => this.depth++);
    this.OPTION(() => this.SUBRULE(this.lineEnd, { LABEL: 'openEnd' }));
    this.MANY(() =>
      this.OR([...this.itemAlternatives(), { ALT: () => this.SUBRULE(this.deepOpen, { LABEL: 'items' }), IGNORE_AMBIGUITIES: true }]),
    );
    this.ACTION(() => this.depth--);
    this.OPTION1(() => {
      this.CONSUME(RBrace, { LABEL: 'close' });
      this.OPTION2(() => this.SUBRULE1(this.lineEnd, { LABEL: 'closeEnd' }));
    });
  });

  readonly lineEnd = this.RULE('lineEnd', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Comment);
          this.OPTION(() => this.CONSUME(Newline));
        },
      },
      { ALT: () => this.CONSUME1(Newline) },
    ]);
  });

  private itemAlternatives(): IOrAlt<unknown>[] {
    return [
      { ALT: () => this.SUBRULE(this.blankLine, { LABEL: 'items' }) },
      { ALT: () => this.SUBRULE(this.commentLine, { LABEL: 'items' }) },
      { GATE: () => this.depth < MAX_BLOCK_DEPTH, ALT: () => this.SUBRULE(this.block, { LABEL: 'items' }) },
      { ALT: () => this.SUBRULE(this.line, { LABEL: 'items' }) },
    ];
  }

  /** Only end-of-line tokens between here and a `{`. */
  private blockAfterBlankLines(): boolean {
    let i = 1;
    while (tokenMatcher(this.LA(i), Newline)) i++;
    return tokenMatcher(this.LA(i), LBrace);
  }
}

/** Building a parser analyses the grammar, so one instance is reused; parsing is synchronous. */
export const cstParser = new KeepalivedCstParser();
