/**
 * The features that follow the file's layout, from its concrete syntax tree:
 * document symbols (the outline), folding ranges, selection ranges, links on
 * include patterns and semantic tokens.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { type DocumentSymbol, type FoldingRange, FoldingRangeKind, SymbolKind } from 'vscode-languageserver';
import type { CstBlock, CstDocument, CstItem, CstStatement } from '../grammar/cst/index.ts';
import { glob } from '../grammar/glob.ts';
import { nodeHost } from '../grammar/index.ts';
import { lookupKeyword, ROOT_BLOCK } from '../grammar/schema/index.ts';

export interface OffsetRange {
  start: number;
  end: number;
}

/** What a keyword's block is in the outline. */
const SYMBOL_KIND: Record<string, SymbolKind> = {
  global_defs: SymbolKind.Namespace,
  vrrp_instance: SymbolKind.Class,
  vrrp_sync_group: SymbolKind.Package,
  vrrp_script: SymbolKind.Function,
  vrrp_track_file: SymbolKind.File,
  track_file: SymbolKind.File,
  vrrp_track_process: SymbolKind.Event,
  virtual_server: SymbolKind.Interface,
  virtual_server_group: SymbolKind.Package,
  real_server: SymbolKind.Object,
};

export interface OutlineSymbol {
  name: string;
  detail: string;
  kind: SymbolKind;
  range: OffsetRange;
  selection: OffsetRange;
  children: OutlineSymbol[];
}

/** Blocks, with their names, nested as in the file. Statements are left out: they would drown the blocks. */
export function outline(cst: CstDocument): OutlineSymbol[] {
  const walk = (items: readonly CstItem[], blockId: string | undefined): OutlineSymbol[] => {
    const out: OutlineSymbol[] = [];
    for (const item of items) {
      if (item.kind === 'block') out.push(...walk(item.items, undefined));
      if (item.kind !== 'statement' || !item.block || !item.words.length) continue;
      const keyword = item.words[0]!.value;
      const def = blockId ? lookupKeyword(blockId, keyword) : undefined;
      const inner = def?.kind === 'block' ? def.block : undefined;
      const name = item.words.length > 1 ? item.words.slice(1).map((w) => w.text).join(' ') : keyword;
      out.push({
        name,
        detail: item.words.length > 1 ? keyword : '',
        kind: SYMBOL_KIND[keyword] ?? (def?.kind === 'list' ? SymbolKind.Array : SymbolKind.Struct),
        range: { start: item.start, end: item.end },
        selection: { start: item.words[0]!.start, end: item.words[item.words.length - 1]!.end },
        children: walk(item.block.items, inner),
      });
    }
    return out;
  };
  return walk(cst.items, ROOT_BLOCK);
}

export function toDocumentSymbols(symbols: OutlineSymbol[], range: (r: OffsetRange) => DocumentSymbol['range']): DocumentSymbol[] {
  return symbols.map((s) => ({
    name: s.name,
    detail: s.detail,
    kind: s.kind,
    range: range(s.range),
    selectionRange: range(s.selection),
    children: toDocumentSymbols(s.children, range),
  }));
}

/** Blocks that span lines, and runs of comment lines. */
export function foldingRanges(cst: CstDocument, lineOf: (offset: number) => number): FoldingRange[] {
  const out: FoldingRange[] = [];
  const walk = (items: readonly CstItem[]) => {
    let commentStart: number | undefined;
    let commentEnd = 0;
    const flushComments = () => {
      if (commentStart !== undefined && commentEnd > commentStart) out.push({ startLine: commentStart, endLine: commentEnd, kind: FoldingRangeKind.Comment });
      commentStart = undefined;
    };
    for (const item of items) {
      if (item.kind === 'comment') {
        const line = lineOf(item.start);
        if (commentStart === undefined || line !== commentEnd + 1) {
          flushComments();
          commentStart = line;
        }
        commentEnd = line;
        continue;
      }
      if (item.kind !== 'blankLine') flushComments();
      const block = item.kind === 'block' ? item : item.kind === 'statement' ? item.block : undefined;
      if (!block) continue;
      const startLine = lineOf(item.start);
      // The closing line stays visible, as editors do for braces.
      const endLine = lineOf(block.close?.start ?? block.end) - (block.close ? 1 : 0);
      if (endLine > startLine) out.push({ startLine, endLine });
      walk(block.items);
    }
    flushComments();
  };
  walk(cst.items);
  return out;
}

/** From the word at `offset` outwards: the word, its statement, its block's contents, the block with its head, and so on. */
export function selectionChain(cst: CstDocument, offset: number): OffsetRange[] {
  const chain: OffsetRange[] = [];
  const contains = (r: OffsetRange) => r.start <= offset && offset <= r.end;
  let items: readonly CstItem[] = cst.items;
  for (;;) {
    const item = items.find((i) => i.kind !== 'blankLine' && contains(i));
    if (!item) break;
    chain.push({ start: item.start, end: item.end });
    const block: CstBlock | undefined = item.kind === 'block' ? item : item.kind === 'statement' ? item.block : undefined;
    if (item.kind === 'statement') {
      const head = headRange(item);
      if (head && contains(head) && (!block || offset < block.open.start)) {
        if (head.end !== item.end) chain.push(head);
        const word = item.words.find(contains);
        if (word) chain.push({ start: word.start, end: word.end });
        break;
      }
    }
    if (!block || !block.items.length) break;
    const inner = { start: block.items[0]!.start, end: block.items[block.items.length - 1]!.end };
    if (!contains(inner)) break;
    chain.push(inner);
    items = block.items;
  }
  return chain.reverse();
}

function headRange(s: CstStatement): OffsetRange | undefined {
  const first = s.prefixes[0] ?? s.words[0];
  const last = s.words[s.words.length - 1] ?? s.prefixes[s.prefixes.length - 1];
  return first && last ? { start: first.start, end: last.end } : undefined;
}

/** Include patterns that name files: a link per pattern, to the file (a glob matching exactly one file links to it). */
export function includeLinks(cst: CstDocument, path: string): { range: OffsetRange; target: string }[] {
  const out: { range: OffsetRange; target: string }[] = [];
  const host = nodeHost(dirname(path));
  const walk = (items: readonly CstItem[]) => {
    for (const item of items) {
      if (item.kind === 'include' && item.pattern) {
        const pattern = item.pattern.value;
        const matches = glob(pattern, host, dirname(path)).matches.filter((m) => !m.endsWith('/'));
        const target = matches.length === 1 ? matches[0]! : isAbsolute(pattern) ? pattern : join(dirname(path), pattern);
        if (matches.length === 1 || existsSync(target)) out.push({ range: { start: item.pattern.start, end: item.pattern.end }, target: isAbsolute(target) ? target : join(dirname(path), target) });
      }
      const block = item.kind === 'block' ? item : item.kind === 'statement' ? item.block : undefined;
      if (block) walk(block.items);
    }
  };
  walk(cst.items);
  return out;
}
