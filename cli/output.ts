/** Printing diagnostics: the text form for people and the JSON form for tools. */
import { relative } from 'node:path';
import { type Diagnostic, flatten, positionAt, type SourceFile } from '../grammar/index.ts';

/** A file as the user can open it from `cwd`: relative below it, absolute elsewhere. */
function shown(file: SourceFile, cwd: string): string {
  const rel = relative(cwd, file.absolutePath);
  return rel && !rel.startsWith('..') ? rel : file.absolutePath;
}

/** `file:line:col  severity  message  rule-id`, with related locations indented below. */
export function formatText(diagnostics: Diagnostic[], cwd: string): string {
  const lines: string[] = [];
  for (const d of diagnostics) {
    const f = flatten(d, (file) => shown(file, cwd));
    lines.push(`${f.file}:${f.line}:${f.column}  ${f.severity}  ${f.message}  ${f.ruleId}`);
    for (const r of d.related ?? []) {
      const p = positionAt(r.range.file, r.range.start);
      lines.push(`    ${shown(r.range.file, cwd)}:${p.line}:${p.column}  note: ${r.message}`);
    }
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

export function formatJson(diagnostics: Diagnostic[], cwd: string): string {
  return JSON.stringify(diagnostics.map((d) => flatten(d, (file) => shown(file, cwd))), null, 2) + '\n';
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** `2 configurations (3 files): 1 error, 2 warnings`. */
export function summary(diagnostics: Diagnostic[], configurations: number, files: number): string {
  const count = (s: Diagnostic['severity']) => diagnostics.filter((d) => d.severity === s).length;
  const read = `${plural(configurations, 'configuration')} (${plural(files, 'file')})`;
  if (!diagnostics.length) return `${read}: no problems`;
  return `${read}: ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}`;
}
