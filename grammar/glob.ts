/**
 * glob(3) as keepalived calls it for `include`: GLOB_MARK | GLOB_BRACE, with
 * the counts keepalived's GLOB_ALTDIRFUNC hooks gather (missing files,
 * missing directories, whether a directory was searched) so that the reader
 * can pick the same error message keepalived would.
 */
import { posix } from 'node:path';
import type { Host } from './host.ts';

export interface GlobResult {
  /** Matching paths, directories marked with a trailing `/`, in glob's order. */
  matches: string[];
  missingFiles: number;
  missingDirectories: number;
  /** A directory was read because the pattern had wildcards. */
  hadWildcards: boolean;
}

const MAGIC = /[*?[]/;

/** Splits `a{b,c{d,e}}f` into its alternatives the way glibc does: one brace group at a time, in order. */
export function expandBraces(pattern: string): string[] {
  const open = findUnescaped(pattern, '{', 0);
  if (open === -1) return [pattern];
  const alternatives: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      if (depth === 0) {
        alternatives.push(pattern.slice(start, i));
        const prefix = pattern.slice(0, open);
        const suffix = pattern.slice(i + 1);
        return alternatives.flatMap((alt) => expandBraces(prefix + alt + suffix));
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      alternatives.push(pattern.slice(start, i));
      start = i + 1;
    }
  }
  // An unterminated brace is taken literally, as glibc does.
  return [pattern];
}

function findUnescaped(s: string, ch: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === ch) return i;
  }
  return -1;
}

export function hasBrace(pattern: string): boolean {
  return findUnescaped(pattern, '{', 0) !== -1;
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

/** fnmatch(3) with FNM_PERIOD and backslash escapes, for one path component. */
export function fnmatch(pattern: string, name: string): boolean {
  if (name.startsWith('.') && !pattern.startsWith('.') && !pattern.startsWith('\\.')) return false;
  return matchFrom(pattern, 0, name, 0);
}

function matchFrom(p: string, pi: number, s: string, si: number): boolean {
  while (pi < p.length) {
    const c = p[pi]!;
    if (c === '*') {
      while (p[pi] === '*') pi++;
      if (pi === p.length) return true;
      for (let k = si; k <= s.length; k++) if (matchFrom(p, pi, s, k)) return true;
      return false;
    }
    if (si >= s.length) return false;
    if (c === '?') {
      pi++;
      si++;
      continue;
    }
    if (c === '[') {
      const cls = parseClass(p, pi);
      if (cls) {
        if (!cls.test(s[si]!)) return false;
        pi = cls.end;
        si++;
        continue;
      }
    }
    const lit = c === '\\' && pi + 1 < p.length ? p[++pi]! : c;
    if (lit !== s[si]) return false;
    pi++;
    si++;
  }
  return si === s.length;
}

function parseClass(p: string, start: number): { test: (ch: string) => boolean; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (p[i] === '!' || p[i] === '^') {
    negate = true;
    i++;
  }
  const ranges: [string, string][] = [];
  let first = true;
  while (i < p.length && (p[i] !== ']' || first)) {
    first = false;
    let lo = p[i]!;
    if (lo === '\\' && i + 1 < p.length) lo = p[++i]!;
    let hi = lo;
    if (p[i + 1] === '-' && p[i + 2] !== undefined && p[i + 2] !== ']') {
      hi = p[i + 2]!;
      if (hi === '\\' && i + 3 < p.length) {
        hi = p[i + 3]!;
        i++;
      }
      i += 2;
    }
    ranges.push([lo, hi]);
    i++;
  }
  if (i >= p.length) return undefined;
  return { test: (ch) => ranges.some(([lo, hi]) => ch >= lo && ch <= hi) !== negate, end: i + 1 };
}

/** Runs glob(3) for `pattern`, resolving relative paths against `dir`. */
export function glob(pattern: string, host: Host, dir: string): GlobResult {
  const result: GlobResult = { matches: [], missingFiles: 0, missingDirectories: 0, hadWildcards: false };
  for (const alternative of expandBraces(pattern)) {
    const found: string[] = [];
    globOne(alternative, host, dir, result, found);
    found.sort(byteOrder);
    result.matches.push(...found);
  }
  return result;
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function globOne(pattern: string, host: Host, dir: string, result: GlobResult, found: string[]): void {
  const abs = (p: string) => posix.resolve(dir, p);
  const mark = (p: string) => (host.stat(abs(p))?.kind === 'directory' && !p.endsWith('/') ? p + '/' : p);
  if (!MAGIC.test(pattern)) {
    const literal = unescape(pattern);
    if (host.stat(abs(literal))) found.push(mark(literal));
    else result.missingFiles++;
    return;
  }
  const absolute = pattern.startsWith('/');
  const parts = pattern.split('/').filter((part, i) => part !== '' || i === 0);
  let bases: string[] = [absolute ? '/' : ''];
  for (let i = absolute ? 1 : 0; i < parts.length; i++) {
    const part = parts[i]!;
    const last = i === parts.length - 1;
    const next: string[] = [];
    for (const base of bases) {
      if (!MAGIC.test(part)) {
        const candidate = base + unescape(part);
        if (!last) next.push(candidate + '/');
        else if (host.stat(abs(candidate))) next.push(candidate);
        else result.missingFiles++;
        continue;
      }
      result.hadWildcards = true;
      const names = host.readDir(abs(base === '' ? '.' : base));
      if (!names) {
        result.missingDirectories++;
        continue;
      }
      for (const n of names.sort(byteOrder)) {
        if (!fnmatch(part, n)) continue;
        const candidate = base + n;
        if (last) next.push(candidate);
        else if (host.stat(abs(candidate))?.kind === 'directory') next.push(candidate + '/');
      }
    }
    bases = next;
  }
  for (const m of bases) found.push(mark(m));
}
