/**
 * The formatter: keepalived.conf in canonical layout, never changing what
 * keepalived reads (see print.ts). `format` and the Prettier plugin print the
 * same lines; the plugin hands them to Prettier as a document.
 */
import { diffLines } from 'diff';
import { parseCst } from '../grammar/cst/index.ts';
import { isIgnoreComment, printLines } from './print.ts';

const EOL = { lf: '\n', crlf: '\r\n', cr: '\r' } as const;

export interface FormatOptions {
  /** Spaces per level (Prettier's `tabWidth`); 4 as in keepalived's documentation. */
  tabWidth?: number;
  useTabs?: boolean;
  /** Line ends of the output; `auto` keeps the first one the input has. */
  endOfLine?: 'lf' | 'crlf' | 'cr' | 'auto';
}

export const DEFAULT_TAB_WIDTH = 4;

export function format(text: string, options: FormatOptions = {}): string {
  const tabWidth = options.tabWidth ?? DEFAULT_TAB_WIDTH;
  const useTabs = options.useTabs ?? false;
  const { lines, finalLineEnd } = printLines(parseCst(text).cst, text, { tabWidth, useTabs });
  const eol = EOL[resolveEndOfLine(text, options.endOfLine ?? 'lf')];
  // The document the plugin gives Prettier is these lines joined by literal line breaks, which is all Prettier's printer would do.
  return lines.join(eol) + (finalLineEnd ? eol : '');
}

function resolveEndOfLine(text: string, eol: NonNullable<FormatOptions['endOfLine']>): 'lf' | 'crlf' | 'cr' {
  if (eol !== 'auto') return eol;
  const nl = text.indexOf('\n');
  return nl > 0 && text[nl - 1] === '\r' ? 'crlf' : 'lf';
}

/** Replace source[start, end) by `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * The edits that turn `text` into its formatted form, whole lines each and
 * as few as a line diff gives.
 */
export function formatEdits(text: string, options: FormatOptions = {}): TextEdit[] {
  const formatted = format(text, { ...options, endOfLine: resolveEndOfLine(text, options.endOfLine ?? 'auto') });
  if (formatted === text) return [];
  // An editor does not wait for a diff of a file rewritten through and through: one edit then.
  const changes = diffLines(text, formatted, { maxEditLength: MAX_EDIT_LINES });
  if (!changes) return [{ start: 0, end: text.length, text: formatted }];
  const edits: TextEdit[] = [];
  let at = 0;
  let pending: TextEdit | undefined;
  for (const change of changes) {
    if (!change.added && !change.removed) {
      if (pending) edits.push(pending);
      pending = undefined;
      at += change.value.length;
      continue;
    }
    pending ??= { start: at, end: at, text: '' };
    if (change.added) pending.text += change.value;
    else pending.end = at += change.value.length;
  }
  if (pending) edits.push(pending);
  return edits;
}

/**
 * Range formatting for editors (Prettier's core offers it only for its own
 * languages): the top-level items on the lines `range` touches are formatted
 * as a whole, since the edits of a whole-file diff are not independent (a
 * split line's pieces can pair with other lines). Returns at most one edit.
 */
export function formatRangeEdits(text: string, range: { start: number; end: number }, options: FormatOptions = {}): TextEdit[] {
  const lineStart = (at: number) => text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = (at: number) => {
    const nl = text.indexOf('\n', at);
    return nl < 0 ? text.length : nl + 1;
  };
  let start = lineStart(Math.min(range.start, text.length));
  let end = lineEnd(Math.max(start, Math.min(range.end, text.length) - 1));
  const items = parseCst(text).cst.items;
  let first = -1;
  for (let grown = true; grown; ) {
    grown = false;
    items.forEach((item, i) => {
      if (item.kind === 'blankLine' || item.end <= start || item.start >= end) return;
      if (first < 0 || i < first) first = i;
      const [s, e] = [lineStart(item.start), lineEnd(Math.max(item.start, item.end - 1))];
      if (s < start || e > end) {
        [start, end] = [Math.min(start, s), Math.max(end, e)];
        grown = true;
      }
    });
  }
  if (first < 0) return [];
  // The comment that exempts the first item belongs to the region.
  const before = items[first - 1];
  if (before?.kind === 'comment' && isIgnoreComment(before.text)) start = lineStart(before.start);
  const region = text.slice(start, end);
  const formatted = format(region, { ...options, endOfLine: resolveEndOfLine(text, options.endOfLine ?? 'auto') });
  return formatted === region ? [] : [{ start, end, text: formatted }];
}

const MAX_EDIT_LINES = 2000;

/** `text` with the edits applied; they must not overlap. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}
