/** Between kalint's ranges (files and UTF-16 offsets) and the protocol's (URIs, zero-based lines and characters). */
import { pathToFileURL, fileURLToPath } from 'node:url';
import { type Diagnostic as LspDiagnostic, DiagnosticSeverity, type Position, type Range } from 'vscode-languageserver';
import { type Diagnostic, positionAt, type Range as KalintRange, type SourceFile } from '../grammar/index.ts';

export const uriOf = (path: string): string => pathToFileURL(path).href;

export function pathOf(uri: string): string | undefined {
  return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
}

function lspPosition(file: SourceFile, offset: number): Position {
  const p = positionAt(file, offset);
  return { line: p.line - 1, character: p.column - 1 };
}

export function lspRange(r: KalintRange): Range {
  return { start: lspPosition(r.file, r.start), end: lspPosition(r.file, r.end) };
}

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

/** A diagnostic as `kalint check` reports it: the rule id as code, the related places (in any file) as related information. */
export function lspDiagnostic(d: Diagnostic, realPath: (file: SourceFile) => string): LspDiagnostic {
  const out: LspDiagnostic = { range: lspRange(d.range), severity: SEVERITY[d.severity], code: d.ruleId, source: 'kalint', message: d.message };
  if (d.related?.length) {
    out.relatedInformation = d.related.map((r) => ({ location: { uri: uriOf(realPath(r.range.file)), range: lspRange(r.range) }, message: r.message }));
  }
  return out;
}
