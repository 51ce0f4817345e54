/** From the data model back to keepalived.conf, laid out by the formatter. */
import { format } from '../format/index.ts';
import { type Args, ENTRY_FIELDS, type Entry, type ItemEntry, type ModelDocument } from './model.ts';

const RESERVED = new Set<string>(ENTRY_FIELDS);

/** The one key of an entry that is not a reserved field. */
function keywordOf(entry: Entry): string | undefined {
  const keys = Object.keys(entry).filter((k) => !RESERVED.has(k));
  return keys.length === 1 ? keys[0] : undefined;
}

/** A word as keepalived must see it: quoted when it holds what would split or end it. */
function word(value: string | number): string {
  const text = String(value);
  return /^[^\s"#!{}]+$/.test(text) ? text : `"${text}"`;
}

function words(args: Args): string {
  if (args === true) return '';
  return (Array.isArray(args) ? args : [args]).map(word).join(' ');
}

export function toConf(doc: ModelDocument): string {
  const lines: string[] = [];
  const emit = (depth: number, text: string) => lines.push('    '.repeat(depth) + text);
  const comments = (depth: number, list: readonly string[] | undefined) => list?.forEach((c) => emit(depth, c));
  const line = (head: string, comment: string | undefined) => (comment ? `${head} ${comment}` : head);
  const entry = (e: Entry, depth: number) => {
    const keyword = keywordOf(e)!;
    comments(depth, e.comments);
    const head = [keyword, words(e[keyword] as Args)].filter(Boolean).join(' ');
    if (!e.body && !e.items) {
      emit(depth, line(head, e.comment));
      return;
    }
    emit(depth, line(`${head} {`, e.comment));
    for (const child of e.body ?? []) entry(child, depth + 1);
    for (const i of e.items ?? []) item(i, depth + 1);
    comments(depth + 1, e.closingComments);
    emit(depth, '}');
  };
  const item = (i: ItemEntry, depth: number) => {
    if (typeof i === 'object' && !Array.isArray(i)) {
      comments(depth, i.comments);
      emit(depth, line(words(i.item), i.comment));
    } else {
      emit(depth, words(i));
    }
  };
  for (const e of doc.keepalived) entry(e, 0);
  comments(0, doc.closingComments);
  return format(lines.join('\n') + '\n');
}
