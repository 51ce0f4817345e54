/**
 * Semantic tokens from the concrete syntax tree and the schema: keywords
 * (marked deprecated where the schema says so), names a block defines,
 * option names, numbers, strings, comments, and the preprocessor's
 * `@id`, `~SEQ`, `$NAME=` and `include`.
 */
import type { CstDocument, CstItem, CstWord } from '../grammar/cst/index.ts';
import { itemDef, type ItemKind, lookupKeyword, type OptionDef, ROOT_BLOCK, type Syntax, type SyntaxForms } from '../grammar/schema/index.ts';

export const TOKEN_TYPES = ['keyword', 'comment', 'string', 'number', 'macro', 'variable', 'property'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'deprecated'] as const;

type TokenType = (typeof TOKEN_TYPES)[number];

export interface SemanticToken {
  start: number;
  length: number;
  type: number;
  modifiers: number;
}

const type = (t: TokenType) => TOKEN_TYPES.indexOf(t);
const DECLARATION = 1;
const DEPRECATED = 2;
const NUMBER = /^-?\d+(\.\d+)?$/;

/** The tokens in source order; each lies on one line. */
export function semanticTokens(cst: CstDocument, text: string): SemanticToken[] {
  const out: SemanticToken[] = [];
  const push = (start: number, end: number, t: TokenType, modifiers = 0) => {
    const nl = text.indexOf('\n', start);
    const stop = nl >= 0 && nl < end ? nl : end;
    if (stop > start) out.push({ start, length: stop - start, type: type(t), modifiers });
  };
  const words = (list: readonly CstWord[], syntax: Syntax | SyntaxForms | undefined, definesName: boolean) => {
    const options = optionNames(syntax);
    list.forEach((w, i) => {
      if (w.quoted) push(w.start, w.end, 'string');
      else if (i === 0 && definesName) push(w.start, w.end, 'variable', DECLARATION);
      else if (NUMBER.test(w.value)) push(w.start, w.end, 'number');
      else if (options.has(w.value)) push(w.start, w.end, 'property');
    });
  };
  const walk = (items: readonly CstItem[], scope: { blockId: string } | { list: ItemKind } | undefined) => {
    for (const item of items) {
      switch (item.kind) {
        case 'comment':
          push(item.start, item.end, 'comment');
          continue;
        case 'blankLine':
        case 'strayBrace':
          if (item.kind === 'strayBrace' && item.trailingComment) push(item.trailingComment.start, item.trailingComment.end, 'comment');
          continue;
        case 'include':
          for (const p of item.prefixes) push(p.start, p.end, 'macro');
          {
            const keyword = text.indexOf(item.keyword, item.prefixes[item.prefixes.length - 1]?.end ?? item.start);
            push(keyword, keyword + item.keyword.length, 'keyword');
          }
          if (item.pattern) push(item.pattern.start, item.pattern.end, 'string');
          if (item.trailingComment) push(item.trailingComment.start, item.trailingComment.end, 'comment');
          continue;
        case 'definition':
          push(item.start, item.end, 'macro');
          continue;
        case 'block':
          if (item.openComment) push(item.openComment.start, item.openComment.end, 'comment');
          walk(item.items, undefined);
          if (item.closeComment) push(item.closeComment.start, item.closeComment.end, 'comment');
          continue;
      }
      for (const p of item.prefixes) push(p.start, p.end, 'macro');
      let inner: { blockId: string } | { list: ItemKind } | undefined;
      const [first, ...rest] = item.words;
      if (first && scope && 'blockId' in scope) {
        const def = lookupKeyword(scope.blockId, first.value);
        if (def) {
          push(first.start, first.end, 'keyword', def.deprecated ? DEPRECATED : 0);
          const syntax = def.syntax;
          const definesName = !!syntax && !('forms' in syntax) && syntax.params[0]?.type.kind === 'name';
          words(rest, syntax, definesName);
          inner = def.kind === 'block' ? { blockId: def.block } : def.kind === 'list' ? { list: def.item } : undefined;
        }
      } else if (scope && 'list' in scope) {
        words(item.words, itemDef(scope.list).syntax, false);
      }
      if (item.trailingComment) push(item.trailingComment.start, item.trailingComment.end, 'comment');
      if (item.block) {
        if (item.block.openComment) push(item.block.openComment.start, item.block.openComment.end, 'comment');
        walk(item.block.items, inner);
        if (item.block.closeComment) push(item.block.closeComment.start, item.block.closeComment.end, 'comment');
      }
    }
  };
  walk(cst.items, { blockId: ROOT_BLOCK });
  return out.sort((a, b) => a.start - b.start);
}

function optionNames(syntax: Syntax | SyntaxForms | undefined): Set<string> {
  const options: OptionDef[] = !syntax ? [] : 'forms' in syntax ? syntax.forms.flatMap((f) => f.syntax.options ?? []) : [...(syntax.options ?? [])];
  return new Set(options.flatMap((o) => [o.name, ...(o.aliases ?? [])]));
}
