/** Printing diagnostics: the text form for people and the JSON form for tools. */
import { relative } from 'node:path';
import { type Diagnostic, flatten, positionAt } from '../grammar/index.ts';

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** `file:line:col  severity  message  rule-id`, with related locations indented below. */
export function formatText(diagnostics: Diagnostic[], cwd: string): string {
  const lines: string[] = [];
  for (const d of diagnostics) {
    const f = flatten(d);
    lines.push(`${shown(f.file, cwd)}:${f.line}:${f.column}  ${f.severity}  ${f.message}  ${f.ruleId}`);
    for (const r of d.related ?? []) {
      const p = positionAt(r.range.file, r.range.start);
      lines.push(`    ${shown(r.range.file.path, cwd)}:${p.line}:${p.column}  note: ${r.message}`);
    }
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

export function formatJson(diagnostics: Diagnostic[]): string {
  return JSON.stringify(diagnostics.map(flatten), null, 2) + '\n';
}

export function summary(diagnostics: Diagnostic[]): string {
  const count = (s: Diagnostic['severity']) => diagnostics.filter((d) => d.severity === s).length;
  const errors = count('error');
  const warnings = count('warning');
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
