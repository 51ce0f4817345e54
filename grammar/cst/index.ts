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
import type { CstElement, CstNode, IToken } from 'chevrotain';
import { cstLexer, WHITESPACE_GROUP } from './lexer.ts';
import { cstParser, MAX_BLOCK_DEPTH } from './parser.ts';

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
  /** Every token, whitespace included, in source order. */
  tokens: IToken[];
  errors: CstError[];
}

export function parseCst(text: string): CstParseResult {
  const lexed = cstLexer.tokenize(text);
  cstParser.input = lexed.tokens;
  const root = cstParser.document();
  const errors: CstError[] = [
    ...lexed.errors.map((e) => ({ message: e.message, offset: e.offset })),
    // Chevrotain's end-of-input token has no offset.
    ...cstParser.errors.map((e) => ({ message: e.message, offset: e.token.startOffset >= 0 ? e.token.startOffset : text.length })),
  ];
  const items = buildItems(root, text, errors);
  errors.sort((a, b) => a.offset - b.offset);
  return {
    cst: { kind: 'document', items, bom: text.charCodeAt(0) === 0xfeff, start: 0, end: text.length },
    tokens: mergeTokens(lexed.tokens, lexed.groups[WHITESPACE_GROUP] ?? []),
    errors,
  };
}

/** The text back from the tokens. */
export function printTokens(tokens: readonly IToken[]): string {
  let out = '';
  for (const t of tokens) out += t.image;
  return out;
}

function mergeTokens(a: IToken[], b: IToken[]): IToken[] {
  const out: IToken[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i]!.startOffset < b[j]!.startOffset ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

// ------------------------------------------------------------- from Chevrotain's nodes

const isNode = (e: CstElement): e is CstNode => 'children' in e;
const nodes = (n: CstNode, key: string): CstNode[] => (n.children[key] ?? []).filter(isNode);
const tokens = (n: CstNode, key: string): IToken[] => (n.children[key] ?? []).filter((e): e is IToken => !isNode(e));
const node = (n: CstNode, key: string): CstNode | undefined => {
  const e = n.children[key]?.[0];
  return e && isNode(e) ? e : undefined;
};
const token = (n: CstNode, key: string): IToken | undefined => {
  const e = n.children[key]?.[0];
  return e && !isNode(e) ? e : undefined;
};
/** Tokens inserted by error recovery have no place in the text. */
const real = (t: IToken | undefined): IToken | undefined => (t && t.startOffset >= 0 ? t : undefined);
const span = (t: IToken): CstSpan => ({ start: t.startOffset, end: t.startOffset + t.image.length });

function buildItems(parent: CstNode, text: string, errors: CstError[]): CstItem[] {
  const out: CstItem[] = [];
  for (const n of nodes(parent, 'items')) {
    const item = buildItem(n, text, errors);
    if (item) out.push(item);
  }
  return out;
}

function buildItem(n: CstNode, text: string, errors: CstError[]): CstItem | undefined {
  switch (n.name) {
    case 'blankLine': {
      const nl = real(token(n, 'Newline'));
      return nl && { kind: 'blankLine', ...span(nl) };
    }
    case 'commentLine': {
      const c = real(token(n, 'Comment'));
      return c && comment(c);
    }
    case 'block':
      return buildBlock(n, text, errors);
    case 'strayClose':
    case 'deepOpen': {
      const brace = real(token(n, 'brace'));
      if (!brace) return undefined;
      const message = brace.image === '}' ? "'}' without a matching '{'" : `blocks nested deeper than ${MAX_BLOCK_DEPTH} levels: this '{' is not nested`;
      errors.push({ message, offset: brace.startOffset });
      return withEnd<CstStrayBrace>({ kind: 'strayBrace', brace: brace.image === '}' ? '}' : '{', ...span(brace), ...trailing(node(n, 'lineEnd')) });
    }
    default:
      return buildLine(n, text, errors);
  }
}

function comment(t: IToken): CstComment {
  return { kind: 'comment', text: t.image, marker: t.image[0] === '!' ? '!' : '#', ...span(t) };
}

function trailing(lineEnd: CstNode | undefined): { trailingComment?: CstComment } {
  const c = lineEnd && real(token(lineEnd, 'Comment'));
  return c ? { trailingComment: comment(c) } : {};
}

/** Extends a node's end over its trailing comment. */
function withEnd<T extends CstSpan & { trailingComment?: CstComment }>(n: T): T {
  if (n.trailingComment) n.end = n.trailingComment.end;
  return n;
}

function buildBlock(n: CstNode, text: string, errors: CstError[]): CstBlock | undefined {
  const open = real(token(n, 'open'));
  if (!open) return undefined;
  const close = real(token(n, 'close'));
  const openComment = trailing(node(n, 'openEnd')).trailingComment;
  const closeComment = trailing(node(n, 'closeEnd')).trailingComment;
  const items = buildItems(n, text, errors);
  const block: CstBlock = { kind: 'block', open: span(open), items, start: open.startOffset, end: open.startOffset + 1 };
  if (openComment) block.openComment = openComment;
  if (close) block.close = span(close);
  else errors.push({ message: "'{' is never closed: keepalived closes it at the end of the file", offset: open.startOffset });
  if (closeComment) block.closeComment = closeComment;
  const last = items[items.length - 1];
  block.end = closeComment?.end ?? (close ? close.startOffset + 1 : (last?.end ?? openComment?.end ?? block.end));
  return block;
}

function buildLine(n: CstNode, text: string, errors: CstError[]): CstItem | undefined {
  const prefixes = tokens(n, 'prefix').map(prefix);
  const head = node(n, 'head');
  const include = head && real(token(head, 'Include'));
  const definition = head && real(token(head, 'Definition'));
  const end = trailing(node(n, 'lineEnd'));
  const start = prefixes[0]?.start;
  if (include) {
    const pattern = real(token(head, 'IncludePattern'));
    const out: CstInclude = {
      kind: 'include',
      prefixes,
      keyword: include.image as CstInclude['keyword'],
      start: start ?? include.startOffset,
      end: pattern ? span(pattern).end : span(include).end,
      ...end,
    };
    if (pattern) out.pattern = { text: pattern.image, value: payload(pattern), ...span(pattern) };
    return withEnd(out);
  }
  if (definition) {
    const value = payload(definition);
    return withEnd<CstDefinition>({
      kind: 'definition',
      prefixes,
      name: /^\$(\w+)=/.exec(value)![1]!,
      text: definition.image,
      multiline: value.endsWith('\\'),
      start: start ?? definition.startOffset,
      end: span(definition).end,
      ...end,
    });
  }
  const words = head ? buildWords(tokens(head, 'word'), text) : [];
  const first = prefixes[0] ?? words[0];
  const last = words[words.length - 1] ?? prefixes[prefixes.length - 1];
  if (!first || !last) return undefined;
  const statement = withEnd<CstStatement>({ kind: 'statement', prefixes, words, start: first.start, end: last.end, ...end });
  const block = node(n, 'block');
  const built = block && buildBlock(block, text, errors);
  if (built) {
    statement.block = built;
    statement.end = built.end;
  }
  return statement;
}

function payload(t: IToken): string {
  return typeof t.payload === 'string' ? t.payload : t.image;
}

function prefix(t: IToken): CstPrefix {
  const value = payload(t);
  if (value[0] === '@') {
    const negated = value[1] === '^';
    return { kind: 'conditional', text: t.image, id: value.slice(negated ? 2 : 1), negated, ...span(t) };
  }
  const name = value.startsWith('~SEQx') ? '~SEQx' : value.startsWith('~LST') ? '~LST' : '~SEQ';
  return { kind: 'generator', text: t.image, name, ...span(t) };
}

/** One word per token, except that a byte order mark and the word right after it are one word. */
function buildWords(list: IToken[], text: string): CstWord[] {
  const out: CstWord[] = [];
  for (let i = 0; i < list.length; i++) {
    const t = list[i]!;
    if (t.startOffset < 0) continue;
    const next = list[i + 1];
    if (t.tokenType.name === 'Bom' && next?.tokenType.name === 'Word' && next.startOffset === 1) {
      const end = span(next).end;
      out.push({ kind: 'word', text: text.slice(0, end), value: payload(next), quoted: false, unterminated: false, start: 0, end });
      i++;
      continue;
    }
    const value = payload(t);
    if (t.tokenType.name === 'QuotedString') {
      const unterminated = value.length < 2 || !value.endsWith('"');
      out.push({ kind: 'word', text: t.image, value: value.slice(1, unterminated ? undefined : -1), quoted: true, unterminated, ...span(t) });
    } else {
      out.push({ kind: 'word', text: t.image, value, quoted: false, unterminated: false, ...span(t) });
    }
  }
  return out;
}
