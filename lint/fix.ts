/** Applies the fixes of diagnostics to file texts, as `kalint check --fix` does. */
import type { Diagnostic, SourceFile, TextEdit } from '../grammar/index.ts';

export interface FixResult {
  text: string;
  /** How many diagnostics' fixes were applied. */
  applied: number;
}

/**
 * The text of `file` with the first fix of every diagnostic applied, except
 * fixes that touch another file or overlap a fix applied before them.
 */
export function applyFixes(file: SourceFile, diagnostics: readonly Diagnostic[]): FixResult {
  const chosen: TextEdit[][] = [];
  for (const d of diagnostics) {
    const fix = d.fixes?.[0];
    if (fix && fix.edits.length && fix.edits.every((e) => e.range.file === file)) chosen.push(fix.edits);
  }
  chosen.sort((a, b) => a[0]!.range.start - b[0]!.range.start);
  const edits: TextEdit[] = [];
  let applied = 0;
  let lastEnd = -1;
  for (const group of chosen) {
    const sorted = [...group].sort((a, b) => a.range.start - b.range.start);
    if (sorted[0]!.range.start < lastEnd || sorted.some((e, i) => i > 0 && e.range.start < sorted[i - 1]!.range.end)) continue;
    edits.push(...sorted);
    lastEnd = sorted[sorted.length - 1]!.range.end;
    applied++;
  }
  let text = file.text;
  for (let i = edits.length - 1; i >= 0; i--) {
    const e = edits[i]!;
    text = text.slice(0, e.range.start) + e.text + text.slice(e.range.end);
  }
  return { text, applied };
}
