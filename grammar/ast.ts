/**
 * The typed AST: what keepalived makes of a configuration, statement by
 * statement, each node with its source range. Values are typed by the
 * keyword schema; names of blocks (`vrrp_instance VI_1`) and item values
 * (addresses, routes, tracked scripts) are parsed.
 */
import type { Frame } from './line.ts';
import type { BlockKeyword, ItemKind, KeywordDef, ListKeyword, ObjectKind, StatementKeyword } from './schema/types.ts';
import type { Range, SourceFile } from './source.ts';
import type { IpValue, Value } from './values.ts';

/** One word as keepalived's tokenizer produced it. */
export class Word {
  constructor(
    readonly text: string,
    readonly quoted: boolean,
    readonly file: SourceFile,
    readonly start: number,
    readonly end: number,
    /** Set when the word was produced by $NAME, a multi-line definition or ~SEQ/~LST. */
    readonly frame?: Frame,
  ) {}

  /** Where the word is written (for generated words: the text that produced them). */
  get range(): Range {
    return { file: this.file, start: this.start, end: this.end };
  }
}

/** Values read from the words after a keyword (or of an item), by parameter and option name. */
export interface Arguments {
  /** Positional parameters; a variadic parameter holds an array. */
  params: Record<string, Value | Value[]>;
  /** Options present: their parameters, or `true` for a bare flag. */
  options: Record<string, Record<string, Value> | true>;
}

interface NodeBase extends Arguments {
  /** From the keyword to the end of the statement or the closing brace. */
  range: Range;
  keyword: Word;
  /** The words after the keyword, as keepalived split them. */
  words: Word[];
}

export interface Statement extends NodeBase {
  type: 'Statement';
  def: StatementKeyword;
}

export interface Block extends NodeBase {
  type: 'Block';
  def: BlockKeyword;
  /** Schema id of the block's contents (`vrrp_instance`, `HTTP_GET.url` ...). */
  blockId: string;
  /** The name the header defines (`VI_1` for `vrrp_instance VI_1`), when it has one. */
  name?: string;
  children: Node[];
  /** Range of `}`, absent when the file ended first. */
  close?: Range;
  /** keepalived discards the block (bad or duplicate header); its contents are not read. */
  ignored?: boolean;
}

export interface List extends NodeBase {
  type: 'List';
  def: ListKeyword;
  items: Item[];
  close?: Range;
}

export interface Item extends Arguments {
  type: 'Item';
  kind: ItemKind;
  range: Range;
  words: Word[];
}

export type Node = Statement | Block | List;

export interface Config {
  type: 'Config';
  /** The file given to the reader. */
  file: SourceFile;
  /** Every file read, includes too, in the order opened. */
  files: SourceFile[];
  children: Node[];
  /** Lines a false `@id` condition removed. */
  inactiveRanges: Range[];
  symbols: SymbolTable;
}

/** The words that name things, in reading order: for go-to-definition, references, rename and completion. */
export interface SymbolTable {
  /** Names of the objects blocks define (`vrrp_script chk`), duplicates included. */
  definitions: { kind: ObjectKind; word: Word }[];
  /** Words that refer to a named object (`track_script { chk }`). */
  references: { kind: ObjectKind; word: Word }[];
  /** Words that name a network interface. */
  interfaces: Word[];
}

/** Statements and blocks of `parent` with the given keyword (aliases included), in order. */
export function childrenNamed(parent: { children: Node[] }, keyword: string): Node[] {
  const out: Node[] = [];
  for (const n of parent.children) if (n.def.name === keyword || n.def.aliasOf === keyword) out.push(n);
  return out;
}

/** Statements of `parent` with the given keyword (aliases included), in order. */
export function statementsNamed(parent: { children: Node[] }, keyword: string): Statement[] {
  const out: Statement[] = [];
  for (const n of parent.children) if (n.type === 'Statement' && (n.def.name === keyword || n.def.aliasOf === keyword)) out.push(n);
  return out;
}

/** Blocks of `parent` whose contents are the given schema block. */
export function blocksOf(parent: { children: Node[] }, blockId: string): Block[] {
  const out: Block[] = [];
  for (const n of parent.children) if (n.type === 'Block' && n.blockId === blockId) out.push(n);
  return out;
}

/** The statement keepalived uses for `keyword` in `parent`: the last one, as later lines overwrite earlier ones. */
export function lastStatement(parent: { children: Node[] }, keyword: string): Statement | undefined {
  // Searched backwards without building arrays: rules ask this of every instance, many times over.
  const children = parent.children;
  for (let i = children.length - 1; i >= 0; i--) {
    const n = children[i]!;
    if (n.type === 'Statement' && (n.def.name === keyword || n.def.aliasOf === keyword)) return n;
  }
  return undefined;
}

/**
 * The first positional value of the statement keepalived uses for `keyword`:
 * `true` for a flag, or for an optional on/off written without a value.
 */
export function valueOf(parent: { children: Node[] }, keyword: string): Value | undefined {
  const s = lastStatement(parent, keyword);
  if (!s) return undefined;
  const first = s.def.syntax.params[0];
  if (!first) return true;
  const v = s.params[first.name];
  if (v === undefined && first.optional && first.type.kind === 'bool') return true;
  return Array.isArray(v) ? v[0] : v;
}

/** Items of every `keyword { }` list in `parent`, in order. */
export function itemsOf(parent: { children: Node[] }, keyword: string): Item[] {
  const out: Item[] = [];
  for (const n of parent.children) if (n.type === 'List' && (n.def.name === keyword || n.def.aliasOf === keyword)) for (const item of n.items) out.push(item);
  return out;
}

export function isIp(v: Value | undefined): v is IpValue {
  return typeof v === 'object' && v !== null && 'address' in v;
}

/** The `address` parameter of a statement, block header or item, when it parsed. */
export function ipOf(node: { params: Record<string, Value | Value[]> }): IpValue | undefined {
  const v = node.params['address'];
  return !Array.isArray(v) && isIp(v) ? v : undefined;
}

export type { KeywordDef };
