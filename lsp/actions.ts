/**
 * Code actions: every fix a diagnostic carries (the fixes `kalint check --fix`
 * applies, and the alternatives), comments that disable the rule for a line
 * or the file, and "fix all" as a source action.
 */
import { type CodeAction, CodeActionKind, type Diagnostic as LspDiagnostic, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { Diagnostic, SourceFile } from '../grammar/index.ts';
import { applyFixes } from '../lint/index.ts';
import { lspRange, uriOf } from './convert.ts';

/** What a published diagnostic carries for its quick fixes. */
export interface DiagnosticData {
  fixes: { title: string; edit: WorkspaceEdit }[];
}

export function fixData(d: Diagnostic, realPath: (file: SourceFile) => string): DiagnosticData | undefined {
  if (!d.fixes?.length) return undefined;
  return {
    fixes: d.fixes.map((fix) => {
      const changes: Record<string, TextEdit[]> = {};
      for (const e of fix.edits) (changes[uriOf(realPath(e.range.file))] ??= []).push({ range: lspRange(e.range), newText: e.text });
      return { title: fix.description, edit: { changes } };
    }),
  };
}

/** Quick fixes and disable comments for the diagnostics of one document the client sends back. */
export function quickFixes(uri: string, text: string, diagnostics: readonly LspDiagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  const lines = text.split('\n');
  for (const d of diagnostics) {
    if (d.source !== 'kalint' || typeof d.code !== 'string') continue;
    const data = d.data as DiagnosticData | undefined;
    data?.fixes.forEach((fix, i) => out.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: fix.edit, isPreferred: i === 0 }));
    const line = d.range.start.line;
    const indent = /^[ \t]*/.exec(lines[line] ?? '')![0];
    out.push({
      title: `Disable ${d.code} for this line`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      edit: { changes: { [uri]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}# kalint-disable-next-line ${d.code}\n` }] } },
    });
    out.push({
      title: `Disable ${d.code} for the whole file`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      edit: { changes: { [uri]: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `# kalint-disable ${d.code}\n` }] } },
    });
  }
  return out;
}

/** Every first fix of the file's diagnostics that does not overlap another, as `kalint check --fix` applies them in one pass. */
export function fixAll(uri: string, file: SourceFile, diagnostics: readonly Diagnostic[]): CodeAction | undefined {
  const fixed = applyFixes(file, diagnostics);
  if (!fixed.applied) return undefined;
  const end = lspRange({ file, start: file.text.length, end: file.text.length }).end;
  return {
    title: `Fix ${fixed.applied} problem${fixed.applied === 1 ? '' : 's'} (kalint)`,
    kind: CodeActionKind.SourceFixAll,
    edit: { changes: { [uri]: [{ range: { start: { line: 0, character: 0 }, end }, newText: fixed.text }] } },
  };
}
