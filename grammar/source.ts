/**
 * Source files and positions. Offsets index the decoded text (UTF-16 code
 * units); lines and columns are computed on demand and are 1-based.
 */

export interface SourceFile {
  /** The path as keepalived names it: as given for the main file, as the include's glob produced it for others. */
  path: string;
  /** The same file as an absolute path. */
  absolutePath: string;
  text: string;
  /** How the bytes were decoded; `latin1` keeps invalid UTF-8 byte for byte. */
  encoding: 'utf8' | 'latin1';
}

/** Offsets at which each line starts (index 0 is line 1), computed when a position is first needed. */
const lineStartsCache = new WeakMap<SourceFile, number[]>();

function lineStarts(file: SourceFile): number[] {
  let starts = lineStartsCache.get(file);
  if (!starts) {
    starts = computeLineStarts(file.text);
    lineStartsCache.set(file, starts);
  }
  return starts;
}

export interface Position {
  line: number;
  column: number;
}

/** A span of one source file. */
export interface Range {
  file: SourceFile;
  start: number;
  end: number;
}

export function createSourceFile(path: string, bytes: Uint8Array | string, absolutePath: string = path): SourceFile {
  let text: string;
  let encoding: SourceFile['encoding'] = 'utf8';
  if (typeof bytes === 'string') {
    text = bytes;
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
      encoding = 'latin1';
    }
  }
  return { path, absolutePath, text, encoding };
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  let i = text.indexOf('\n');
  while (i !== -1) {
    starts.push(i + 1);
    i = text.indexOf('\n', i + 1);
  }
  return starts;
}

export function positionAt(file: SourceFile, offset: number): Position {
  const starts = lineStarts(file);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

export function offsetAt(file: SourceFile, pos: Position): number {
  const start = lineStarts(file)[pos.line - 1];
  if (start === undefined) return file.text.length;
  return Math.min(start + pos.column - 1, file.text.length);
}

export function rangeText(r: Range): string {
  return r.file.text.slice(r.start, r.end);
}

export function lineOf(r: Range): number {
  return positionAt(r.file, r.start).line;
}
