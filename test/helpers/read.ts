import { flatten, type FlatDiagnostic, memoryHost, type ReadOptions, readConfig, type ReadResult } from '../../grammar/index.ts';

/** Reads `main` (and any other given files) from an in-memory tree rooted at /etc/keepalived. */
export function read(main: string, files: Record<string, string | Uint8Array> = {}, options: ReadOptions = {}): ReadResult {
  const host = memoryHost({ '/etc/keepalived/keepalived.conf': main, ...files }, '/etc/keepalived');
  const result = readConfig('/etc/keepalived/keepalived.conf', { configId: 'node1', ...options, host });
  if ('error' in result) throw new Error(result.error);
  return result;
}

export function diags(result: ReadResult): FlatDiagnostic[] {
  return result.diagnostics.map((d) => flatten(d));
}

/** `line:col rule` for each diagnostic, a compact form for assertions. */
export function where(result: ReadResult, severity?: FlatDiagnostic['severity']): string[] {
  return diags(result)
    .filter((d) => !severity || d.severity === severity)
    .map((d) => `${d.line}:${d.column} ${d.ruleId}`);
}
