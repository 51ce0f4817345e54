/**
 * Where the cursor is, for completion and hover: the blocks around it and the
 * words of its logical line. A single forward scan of the text up to the
 * cursor with keepalived's lexical rules for comments, quotes and braces
 * (no preprocessing: an editor's question is about the text as written),
 * fast enough to run on every keystroke of a large file.
 */
import { type ItemKind, lookupKeyword, ROOT_BLOCK } from '../grammar/schema/index.ts';

/** What a block is: one of keywords (`blockId`), one of items (`list`), or one keepalived does not know. */
export type Scope = { blockId: string } | { list: ItemKind; keyword: string } | { unknown: true };

export interface CursorContext {
  /** The innermost scope (the file's top level when outside every block). */
  scope: Scope;
  /** The keyword of each enclosing block, outermost first. */
  path: string[];
  /** The complete words of the logical line before the cursor. */
  words: string[];
  /** The word being typed, up to the cursor ('' between words). */
  prefix: string;
  /** Offset where `prefix` starts. */
  prefixStart: number;
  /** The cursor is in a comment or a quoted string. */
  inComment: boolean;
  inString: boolean;
}

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

export function cursorContext(text: string, offset: number): CursorContext {
  const stack: Scope[] = [{ blockId: ROOT_BLOCK }];
  const path: string[] = [];
  let words: string[] = [];
  /** The first word of the last logical line, whose `{` may come later. */
  let head: string | undefined;
  let word = '';
  let wordStart = -1;
  let quote = false;
  let comment = false;
  const endWord = () => {
    if (wordStart >= 0) {
      if (!words.length) head = word;
      words.push(word);
    }
    word = '';
    wordStart = -1;
  };
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      endWord();
      quote = comment = false;
      words = [];
      continue;
    }
    if (comment) continue;
    if (quote) {
      word += text[i];
      if (c === 34) quote = false;
      continue;
    }
    if (c === 34) {
      if (wordStart < 0) wordStart = i;
      word += '"';
      quote = true;
    } else if (c === 92 && (text.charCodeAt(i + 1) === 35 || text.charCodeAt(i + 1) === 33)) {
      if (wordStart < 0) wordStart = i;
      word += text[++i];
    } else if (c === 35 || c === 33) {
      endWord();
      comment = true;
    } else if (c === 123 || c === 125) {
      endWord();
      if (c === 123) {
        const keyword = head ?? '';
        stack.push(enter(stack[stack.length - 1]!, keyword));
        path.push(keyword);
      } else if (stack.length > 1) {
        stack.pop();
        path.pop();
      }
      head = undefined;
      words = [];
    } else if (isSpace(c)) {
      endWord();
    } else {
      if (wordStart < 0) wordStart = i;
      word += text[i];
    }
  }
  return {
    scope: stack[stack.length - 1]!,
    path,
    words,
    prefix: comment ? '' : word,
    prefixStart: wordStart >= 0 ? wordStart : offset,
    inComment: comment,
    inString: quote,
  };
}

/** The scope a `{` after `keyword` opens inside `scope`. */
function enter(scope: Scope, keyword: string): Scope {
  if (!('blockId' in scope)) return { unknown: true };
  const def = lookupKeyword(scope.blockId, keyword);
  if (def?.kind === 'block') return { blockId: def.block };
  if (def?.kind === 'list') return { list: def.item, keyword: def.name };
  return { unknown: true };
}

/** The word around `offset` and where it starts and ends (empty when the cursor is between words). */
export function wordAt(text: string, offset: number): { word: string; start: number; end: number } {
  const isWordChar = (c: number) => !Number.isNaN(c) && !isSpace(c) && c !== 123 && c !== 125 && c !== 35 && c !== 33 && c !== 34;
  let start = offset;
  while (start > 0 && isWordChar(text.charCodeAt(start - 1))) start--;
  let end = offset;
  while (end < text.length && isWordChar(text.charCodeAt(end))) end++;
  return { word: text.slice(start, end), start, end };
}
