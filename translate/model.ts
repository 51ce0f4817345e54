/**
 * keepalived.conf as data: the configuration keepalived reads (includes,
 * definitions, generators and conditions applied) as a list of entries, one
 * per keyword, in reading order, for JSON and YAML.
 *
 *   { "keepalived": [
 *       { "global_defs": true, "body": [ { "router_id": "lb1" } ] },
 *       { "vrrp_instance": "VI_1", "comments": ["# the VIP"], "body": [
 *           { "priority": 100 }, { "nopreempt": true },
 *           { "virtual_ipaddress": true, "items": [ ["10.0.0.1/24", "dev", "eth0"] ] } ] } ] }
 *
 * An entry's one keyword key holds the words after the keyword: `true` for
 * none, a scalar for one, an array for more; canonical decimal numbers are
 * JSON numbers, everything else strings. `body` holds a block's entries,
 * `items` a value block's lines. Comments ride along: `comments` before the
 * keyword, `comment` after it on its line, `closingComments` before a
 * block's `}` (and at the end of the file, on the document).
 */
import type { Config, Item, Node, Word } from '../grammar/ast.ts';
import { type CstDocument, type CstItem, parseCst } from '../grammar/cst/index.ts';
import { positionAt, type SourceFile } from '../grammar/source.ts';

export type Scalar = string | number;
export type Args = true | Scalar | Scalar[];

/** The reserved keys of an entry; every other key is the keyword. */
export const ENTRY_FIELDS = ['body', 'items', 'comments', 'comment', 'closingComments', 'position'] as const;

export interface EntryFields {
  body?: Entry[];
  items?: ItemEntry[];
  comments?: string[];
  comment?: string;
  closingComments?: string[];
  position?: { file: string; line: number; column: number };
}
export type Entry = EntryFields & { [keyword: string]: Args | EntryFields[keyof EntryFields] };
/** A value block's line: its words, or with comments `{ "item": words, ... }`. */
export type ItemEntry = Args | { item: Args; comments?: string[]; comment?: string };

export interface ModelDocument {
  keepalived: Entry[];
  closingComments?: string[];
}

export interface ToModelOptions {
  /** Add each keyword's file, line and column. */
  positions?: boolean;
}

const CANONICAL_NUMBER = /^-?(0|[1-9]\d*)(\.\d*[1-9])?$/;

function scalarOf(word: Word): Scalar {
  return !word.quoted && CANONICAL_NUMBER.test(word.text) ? Number(word.text) : word.text;
}

function argsOf(words: readonly Word[]): Args {
  if (!words.length) return true;
  return words.length === 1 ? scalarOf(words[0]!) : words.map(scalarOf);
}

export function toModel(config: Config, options: ToModelOptions = {}): ModelDocument {
  const comments = new CommentIndex(config.files);
  const entry = (n: Node): Entry => {
    const out: Entry = {};
    const c = comments.at(n.keyword.file, n.keyword.start);
    if (c?.leading.length) out.comments = c.leading;
    out[n.keyword.text] = argsOf(n.words);
    if (c?.trailing) out.comment = c.trailing;
    if (options.positions) out.position = positionOf(n.keyword);
    if (n.type === 'Block') out.body = n.children.map(entry);
    if (n.type === 'List') out.items = n.items.map(item);
    const closing = n.type !== 'Statement' && n.close ? comments.closing(n.close.file, n.close.start) : undefined;
    if (closing?.length) out.closingComments = closing;
    return out;
  };
  const item = (i: Item): ItemEntry => {
    const first = i.words[0];
    const c = first && comments.at(first.file, first.start);
    if (!c || (!c.leading.length && !c.trailing)) return argsOf(i.words);
    return { ...(c.leading.length ? { comments: c.leading } : {}), item: argsOf(i.words), ...(c.trailing ? { comment: c.trailing } : {}) };
  };
  const doc: ModelDocument = { keepalived: config.children.map(entry) };
  const tail = comments.closing(config.file, config.file.text.length);
  if (tail?.length) doc.closingComments = tail;
  return doc;
}

function positionOf(word: Word): { file: string; line: number; column: number } {
  const p = positionAt(word.file, word.start);
  return { file: word.file.path, line: p.line, column: p.column };
}

/** The comments of each file, by the offset of the word that follows them, from the file's concrete syntax tree. */
class CommentIndex {
  private readonly byFile = new Map<SourceFile, { before: Map<number, string[]>; after: Map<number, string>; closing: Map<number, string[]> }>();

  constructor(files: readonly SourceFile[]) {
    for (const f of files) if (/[#!]/.test(f.text)) this.byFile.set(f, index(parseCst(f.text).cst));
  }

  at(file: SourceFile, offset: number): { leading: string[]; trailing: string | undefined } | undefined {
    const i = this.byFile.get(file);
    return i && { leading: i.before.get(offset) ?? [], trailing: i.after.get(offset) };
  }

  /** Comments between the last item of a block and its `}` at `offset`. */
  closing(file: SourceFile, offset: number): string[] | undefined {
    return this.byFile.get(file)?.closing.get(offset);
  }
}

function index(cst: CstDocument) {
  const before = new Map<number, string[]>();
  const after = new Map<number, string>();
  const closing = new Map<number, string[]>();
  const walk = (items: readonly CstItem[], end: number) => {
    let pending: string[] = [];
    for (const item of items) {
      if (item.kind === 'comment') {
        pending.push(item.text.trimEnd());
        continue;
      }
      if (item.kind !== 'statement' || !item.words.length) continue;
      const at = item.words[0]!.start;
      if (pending.length) before.set(at, pending);
      pending = [];
      if (item.trailingComment) after.set(at, item.trailingComment.text.trimEnd());
      if (item.block) {
        if (item.block.openComment && !item.trailingComment) after.set(at, item.block.openComment.text.trimEnd());
        walk(item.block.items, item.block.close?.start ?? item.block.end);
      }
    }
    if (pending.length) closing.set(end, pending);
  };
  walk(cst.items, cst.end);
  return { before, after, closing };
}
