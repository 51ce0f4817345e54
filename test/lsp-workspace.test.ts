/** The language server across files: include trees, .kalintrc.json, cluster nodes, closing, and fuzzed edits. */
import { join } from 'node:path';
import fc from 'fast-check';
import type { TextEdit } from 'vscode-languageserver-protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { format } from '../format/index.ts';
import { type LspSession, startLsp, uri } from './helpers/lsp-client.ts';
import { project } from './helpers/project.ts';

let lsp: LspSession | undefined;
afterEach(async () => {
  await lsp?.stop();
  lsp = undefined;
});


const instance = (vrid: number, extra = '') =>
  `global_defs {\n    router_id n${vrid}\n}\nvrrp_instance VI_1 {\n    state BACKUP\n    interface eth0\n    virtual_router_id ${vrid}\n    priority 100\n${extra}    virtual_ipaddress {\n        10.0.0.100/24\n    }\n}\n`;

describe('language server across files', () => {
  it('publishes a problem in an included file to that file', async () => {
    const dir = project({ 'keepalived.conf': `${instance(51)}include conf.d/*.conf\n`, 'conf.d/extra.conf': 'vrrp_script chk {\n    script "/bin/true"\n    intervall 2\n}\n' });
    lsp = await startLsp();
    lsp.open(join(dir, 'keepalived.conf'), `${instance(51)}include conf.d/*.conf\n`);
    const extra = await lsp.diagnostics(uri(join(dir, 'conf.d/extra.conf')), (d) => d.length > 0);
    expect(extra.map((d) => `${d.range.start.line}:${d.code}`)).toContain('2:unknown-keyword');
  });

  it('follows .kalintrc.json: rule severities and the cluster it declares', async () => {
    const dir = project({
      '.kalintrc.json': JSON.stringify({ rules: { 'unknown-keyword': 'off' }, cluster: { nodes: ['lb1.conf', 'lb2.conf'] } }),
      'lb1.conf': instance(51, '    unicast_src-ip 10.0.0.1\n'),
      'lb2.conf': instance(52),
    });
    lsp = await startLsp();
    const u = lsp.open(join(dir, 'lb1.conf'), instance(51, '    unicast_src-ip 10.0.0.1\n'));
    const diagnostics = await lsp.diagnostics(u, (d) => d.some((x) => String(x.code).startsWith('cluster-')));
    expect(diagnostics.map((d) => d.code)).not.toContain('unknown-keyword');
    expect(diagnostics.map((d) => d.code)).toContain('cluster-instance-missing');
  });

  it('clears a closed document and forgets it', async () => {
    const dir = project({});
    lsp = await startLsp();
    const u = lsp.open(join(dir, 'a.conf'), 'vrrp_instanc VI_1 {\n}\n');
    await lsp.diagnostics(u, (d) => d.length > 0);
    await lsp.connection.sendNotification('textDocument/didClose', { textDocument: { uri: u } });
    expect(await lsp.diagnostics(u, (d) => d.length === 0)).toEqual([]);
    expect(await lsp.connection.sendRequest('kalint/status')).toEqual({ documents: 0, analyses: 0, pendingAnalyses: 0, syntaxTrees: 0, paths: 0, changeTimes: 0 });
  });

  it('survives fuzzed edit sequences, keeps the document in step and leaks nothing', async () => {
    lsp = await startLsp();
    const session = lsp;
    const dir = project({});
    const piece = fc.constantFrom('vrrp_instance VI_1 {', '}', '{', 'state MASTER', 'priority 300', '\n', ' ', '#', '"', '\\', '$A=', '@node1 ', 'include x.conf', 'track_script {', 'chk');
    const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 30 }), insert: fc.array(piece, { maxLength: 5 }).map((p) => p.join('')) });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 25 }), async (edits) => {
        const path = join(dir, `fuzz${run++}.conf`);
        let text = instance(51);
        const u = session.open(path, text);
        let version = 1;
        for (const e of edits) {
          const start = e.at % (text.length + 1);
          const end = Math.min(text.length, start + e.remove);
          const pos = (o: number) => {
            const lines = text.slice(0, o).split('\n');
            return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
          };
          await session.connection.sendNotification('textDocument/didChange', {
            textDocument: { uri: u, version: ++version },
            contentChanges: [{ range: { start: pos(start), end: pos(end) }, text: e.insert }],
          });
          text = text.slice(0, start) + e.insert + text.slice(end);
          const position = pos(Math.min(text.length, start + e.insert.length));
          await session.connection.sendRequest('textDocument/completion', { textDocument: { uri: u }, position });
          await session.connection.sendRequest('textDocument/hover', { textDocument: { uri: u }, position });
        }
        await session.connection.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri: u } });
        await session.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: u } });
        // The server's text is ours: its formatting edits turn ours into the formatted text.
        const edits2: TextEdit[] = await session.connection.sendRequest('textDocument/formatting', { textDocument: { uri: u }, options: { tabSize: 4, insertSpaces: true } });
        expect(applyLspEdits(text, edits2)).toBe(format(text, { endOfLine: 'auto' }));
        await session.connection.sendNotification('textDocument/didClose', { textDocument: { uri: u } });
      }),
      { numRuns: 40 },
    );
    // Let the analyses still scheduled for closed documents run out.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await session.connection.sendRequest('kalint/status')).toEqual({ documents: 0, analyses: 0, pendingAnalyses: 0, syntaxTrees: 0, paths: 0, changeTimes: 0 });
  }, 120_000);
});

function applyLspEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  let out = text;
  for (const e of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
