/**
 * Where a rule points and how its fixes edit the text: ranges of headers and
 * lines, and the line-wise edits that keep a file as keepalived reads it.
 * Fixes touch only text written as it is read; words produced by `$NAME`,
 * `~SEQ` or a multi-line definition are left alone.
 */
import { type Block, type Fix, type Item, type Node, positionAt, type Range, type TextEdit, type Word } from '../../grammar/index.ts';

type Written = { keyword?: Word; words: readonly Word[]; range: Range };

/** Whether `n` and its words were written as they are (not produced by an expansion) in the file of its range. */
const written = (n: Written): boolean => [...(n.keyword ? [n.keyword] : []), ...n.words].every((w) => !w.frame && w.file === n.range.file);

/** The block's keyword and header words (`vrrp_instance VI_1`, `virtual_server 10.0.0.1 80`). */
export function headerRange(n: Block | Node): Range {
  const last = n.words[n.words.length - 1];
  const end = last && last.file === n.keyword.file && !last.frame ? last.end : n.keyword.end;
  return { file: n.keyword.file, start: n.keyword.start, end };
}

/** `virtual_server 10.0.0.1 80`, `real_server 10.0.0.2 80`, `sorry_server 10.0.0.9`. */
export const describe = (n: Node): string => [n.keyword.text, ...n.words.map((w) => w.text)].join(' ');

/**
 * The whole line of `n` with its line break, when nothing else but blanks
 * and a comment shares it and it was written as is; undefined otherwise.
 */
export function ownLine(n: Node | Item): Range | undefined {
  if (!written(n)) return undefined;
  const { file, start, end } = n.range;
  const text = file.text;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  let lineEnd = text.indexOf('\n', end);
  lineEnd = lineEnd < 0 ? text.length : lineEnd + 1;
  if (text.slice(lineStart, start).trim() !== '') return undefined;
  const after = text.slice(end, lineEnd).trim();
  if (after !== '' && !after.startsWith('#') && !after.startsWith('!')) return undefined;
  return { file, start: lineStart, end: lineEnd };
}

/** The edit deleting `n`: its whole line when it has one of its own, else just its text; none for generated text. */
export function deletion(n: Node | Item): TextEdit | undefined {
  if (!written(n)) return undefined;
  return { range: ownLine(n) ?? n.range, text: '' };
}

export function deleteFix(n: Node | Item, description: string): Fix[] {
  const edit = deletion(n);
  return edit ? [{ description, edits: [edit] }] : [];
}

/** Inserts `text` on a line of its own before `n`, indented like it. */
export function insertBeforeFix(n: Node, text: string, description: string): Fix[] {
  const line = ownLine(n);
  if (!line) return [];
  const indent = line.file.text.slice(line.start, n.range.start);
  return [{ description, edits: [{ range: { file: line.file, start: line.start, end: line.start }, text: `${indent}${text}\n` }] }];
}

/** Deletes a word and the blanks before it (the port of `real_server IP PORT`). */
export function deleteWordFix(n: Node, word: Word, description: string): Fix[] {
  const i = n.words.indexOf(word);
  const prev = i > 0 ? n.words[i - 1] : undefined;
  if (!prev || word.frame || prev.frame || prev.file !== word.file || word.file.text.slice(prev.end, word.start).trim() !== '') return [];
  return [{ description, edits: [{ range: { file: word.file, start: prev.end, end: word.end }, text: '' }] }];
}

/** The word after `weight` in a tracker entry, else the entry's first word: where to point. */
export function weightRange(item: Item): Range {
  const i = item.words.findIndex((w) => w.text === 'weight');
  return (i >= 0 ? item.words[i + 1] : undefined)?.range ?? item.range;
}

/** Where `range` is, for a message about `from`: `line N`, or `FILE:N` in another file. */
export function where(range: Range, from: Range): string {
  const line = positionAt(range.file, range.start).line;
  return range.file === from.file ? `line ${line}` : `${range.file.path}:${line}`;
}
