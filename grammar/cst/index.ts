/**
 * A lossless concrete syntax tree of one keepalived.conf file, for the
 * formatter, the language server and layout-preserving rewrites. Reading the
 * configuration's meaning is grammar/reader.ts's job; this tree knows no
 * keywords and expands nothing (see lexer.ts for how it reads the text).
 *
 * Offsets are UTF-16 indexes into the text, `start` inclusive, `end`
 * exclusive. Node ranges cover their significant tokens only: leading
 * whitespace and the line end are outside them. Every character of the input
 * is in exactly one token of `tokens`.
 */
import type { IToken } from 'chevrotain';
import { tokenize, withWhitespace } from './lexer.ts';
import { cstParser } from './parser.ts';

export * as cstTokens from './lexer.ts';

export interface CstSpan {
  start: number;
  end: number;
}

export interface CstDocument extends CstSpan {
  kind: 'document';
  items: CstItem[];
  /** The text starts with a UTF-8 byte order mark (which keepalived reads as part of the first word). */
  bom: boolean;
}

export type CstItem = CstBlankLine | CstComment | CstStatement | CstDirective | CstBlock | CstStrayBrace;
export type CstDirective = CstInclude | CstDefinition;
export type CstPrefix = CstConditional | CstGenerator;

/** An empty line (or one with whitespace only); the range is its line end. */
export interface CstBlankLine extends CstSpan {
  kind: 'blankLine';
}

/** A comment, on a line of its own (as an item) or trailing a line. */
export interface CstComment extends CstSpan {
  kind: 'comment';
  /** From the marker to the end of the line, without the line end. */
  text: string;
  marker: '#' | '!';
}

export interface CstWord extends CstSpan {
  kind: 'word';
  /** As written. */
  text: string;
  /**
   * As keepalived reads it: quotes removed, unquoted `\#` and `\!`
   * unescaped, a line-final `\` glued across blanks, a byte order mark kept.
   */
  value: string;
  quoted: boolean;
  /** A `"` without a closing one on its line: keepalived drops it and the rest of the line. */
  unterminated: boolean;
}

/** `@id ` or `@^id `: the rest of the line counts only on the host whose config id is (or, with ^, is not) `id`. */
export interface CstConditional extends CstSpan {
  kind: 'conditional';
  text: string;
  id: string;
  negated: boolean;
}

/** The `~SEQ(...)`, `~SEQx(...)` or `~LST(...)` header; the rest of the line is repeated. */
export interface CstGenerator extends CstSpan {
  kind: 'generator';
  text: string;
  name: '~SEQ' | '~SEQx' | '~LST';
}

/** A keyword line or a value-block item: words, and possibly the block they open. */
export interface CstStatement extends CstSpan {
  kind: 'statement';
  /** In the order written; they apply to the rest of the line. */
  prefixes: CstPrefix[];
  /** Empty only for a line of prefixes (`@id` alone, `@id {`). */
  words: CstWord[];
  /** The comment ending the statement's (last) line, before any block on a later line. */
  trailingComment?: CstComment;
  /** A block opened on the same line, or after blank lines only. */
  block?: CstBlock;
}

export interface CstInclude extends CstSpan {
  kind: 'include';
  prefixes: CstPrefix[];
  keyword: 'include' | 'includer' | 'includem' | 'includew' | 'includeb' | 'includea';
  /** Absent for `include` followed by whitespace only. */
  pattern?: CstIncludePattern;
  trailingComment?: CstComment;
}

export interface CstIncludePattern extends CstSpan {
  /** As written: a glob, braces included. */
  text: string;
  /** As keepalived uses it (`\#` and `\!` unescaped). */
  value: string;
}

/** `$NAME=value`, with its continuation lines when the value ends in `\`. */
export interface CstDefinition extends CstSpan {
  kind: 'definition';
  prefixes: CstPrefix[];
  name: string;
  /** Verbatim, continuation lines and the comments between them included. */
  text: string;
  multiline: boolean;
  /** The comment after the last line. */
  trailingComment?: CstComment;
}

export interface CstBlock extends CstSpan {
  kind: 'block';
  open: CstSpan;
  /** Absent when the input ends first. */
  close?: CstSpan;
  /** A comment after `{` on its line. */
  openComment?: CstComment;
  items: CstItem[];
  /** A comment after `}` on its line. */
  closeComment?: CstComment;
}

/** A `}` that closes no block, or a `{` nested deeper than MAX_BLOCK_DEPTH (left unnested, so its `}` closes the block around it). */
export interface CstStrayBrace extends CstSpan {
  kind: 'strayBrace';
  brace: '{' | '}';
  trailingComment?: CstComment;
}

export interface CstError {
  message: string;
  offset: number;
}

export interface CstParseResult {
  cst: CstDocument;
  /** Every token, whitespace included, in source order (built when first asked for). */
  readonly tokens: IToken[];
  errors: CstError[];
}

export function parseCst(text: string): CstParseResult {
  const significant = tokenize(text);
  cstParser.input = significant;
  const items = cstParser.document() ?? [];
  const errors: CstError[] = [
    ...cstParser.problems,
    // Chevrotain's end-of-input token has no offset.
    ...cstParser.errors.map((e) => ({ message: e.message, offset: e.token.startOffset >= 0 ? e.token.startOffset : text.length })),
  ];
  errors.sort((a, b) => a.offset - b.offset);
  let tokens: IToken[] | undefined;
  return {
    cst: { kind: 'document', items, bom: text.charCodeAt(0) === 0xfeff, start: 0, end: text.length },
    get tokens() {
      return (tokens ??= withWhitespace(text, significant));
    },
    errors,
  };
}

/** The text back from the tokens. */
export function printTokens(tokens: readonly IToken[]): string {
  let out = '';
  for (const t of tokens) out += t.image;
  return out;
}
