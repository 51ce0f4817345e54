/**
 * `# kalint-disable-next-line RULE[, RULE]`, `# kalint-disable RULE` and
 * `# kalint-enable RULE` comments (`!` works too; no rule means every rule).
 * They are read from the comment text of each file, which keepalived ignores.
 */
import { type Diagnostic, positionAt, type SourceFile } from '../grammar/index.ts';

interface Directive {
  kind: 'disable' | 'enable' | 'disable-next-line';
  /** Empty: every rule. */
  rules: string[];
  line: number;
}

const DIRECTIVE = /[#!]\s*kalint-(disable-next-line|disable|enable)\b([^\n]*)/;

function directives(file: SourceFile): Directive[] {
  const out: Directive[] = [];
  const lines = file.text.split('\n');
  lines.forEach((text, i) => {
    const m = DIRECTIVE.exec(text);
    if (!m) return;
    const rules = m[2]!
      .split(/[\s,]+/)
      .map((r) => r.trim())
      .filter((r) => /^[a-z][a-z0-9-]*$/.test(r));
    out.push({ kind: m[1] as Directive['kind'], rules, line: i + 1 });
  });
  return out;
}

/** A predicate telling whether a diagnostic is silenced by a comment in its file. */
export function disabledBy(files: readonly SourceFile[]): (d: Diagnostic) => boolean {
  const byFile = new Map<SourceFile, Directive[]>();
  for (const f of files) {
    if (!/kalint-(disable|enable)/.test(f.text)) continue;
    byFile.set(f, directives(f));
  }
  return (d) => {
    const list = byFile.get(d.range.file);
    if (!list) return false;
    const line = positionAt(d.range.file, d.range.start).line;
    const applies = (dir: Directive) => dir.rules.length === 0 || dir.rules.includes(d.ruleId);
    let off = false;
    for (const dir of list) {
      if (dir.kind === 'disable-next-line') {
        if (dir.line === line - 1 && applies(dir)) return true;
      } else if (dir.line <= line && applies(dir)) {
        off = dir.kind === 'disable';
      }
    }
    return off;
  };
}
