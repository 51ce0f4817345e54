/** The language server over stdio, driven as an editor drives it. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeAction, CompletionItem, Hover, Location, SemanticTokens, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LspSession, startLsp, uri } from './helpers/lsp-client.ts';

const MAIN = `global_defs {
    router_id lb1
}
include conf.d/scripts.conf
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    unicast_src-ip 10.0.0.1
    track_script {
        chk_nginx
    }
    virtual_ipaddress {
        10.0.0.100/24
    }
}
`;
const SCRIPTS = `vrrp_script chk_nginx {
    script "/usr/bin/pgrep nginx"
    interval 2
}
`;

let lsp: LspSession;
let dir: string;
let mainUri: string;
const scriptsPath = () => join(dir, 'conf.d/scripts.conf');
const at = (text: string, needle: string, delta = 0) => {
  const offset = text.indexOf(needle) + delta;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
};
const doc = () => ({ uri: mainUri });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kalint-lsp-'));
  mkdirSync(join(dir, 'conf.d'));
  writeFileSync(join(dir, 'conf.d/scripts.conf'), SCRIPTS);
  writeFileSync(join(dir, 'keepalived.conf'), MAIN);
  lsp = await startLsp();
  mainUri = lsp.open(join(dir, 'keepalived.conf'), MAIN);
});
afterAll(async () => lsp?.stop());

describe('kalint lsp --stdio', () => {
  it('announces its features', () => {
    const c = lsp.initialize.capabilities;
    expect(c.completionProvider).toBeDefined();
    expect(c.renameProvider).toEqual({ prepareProvider: true });
    expect(c.semanticTokensProvider?.legend.tokenTypes).toContain('keyword');
    expect(c.documentRangeFormattingProvider).toBe(true);
  });

  it('publishes the typo with its range and rule id, as kalint check reports it', async () => {
    const diagnostics = await lsp.diagnostics(mainUri, (d) => d.length > 0);
    const typo = diagnostics.find((d) => d.code === 'unknown-keyword');
    expect(typo).toMatchObject({
      message: "Unknown keyword 'unicast_src-ip' in vrrp_instance VI_1; did you mean 'unicast_src_ip'?",
      range: { start: { line: 9, character: 4 }, end: { line: 9, character: 18 } },
      severity: 1,
      source: 'kalint',
    });
  });

  it('completes the keywords of vrrp_instance, and enum values and script names after them', async () => {
    const items: CompletionItem[] = await lsp.connection.sendRequest('textDocument/completion', { textDocument: doc(), position: at(MAIN, '    priority 100') });
    const labels = items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['nopreempt', 'unicast_src_ip', 'track_script', 'advert_int']));
    expect(labels).not.toContain('router_id');
    const state: CompletionItem[] = await lsp.connection.sendRequest('textDocument/completion', { textDocument: doc(), position: at(MAIN, 'BACKUP') });
    expect(state.map((i) => i.label)).toEqual(['MASTER', 'BACKUP']);
    const scripts: CompletionItem[] = await lsp.connection.sendRequest('textDocument/completion', { textDocument: doc(), position: at(MAIN, 'chk_nginx') });
    expect(scripts.map((i) => i.label)).toContain('chk_nginx');
  });

  it('hovers a keyword with its arguments, range and default', async () => {
    const h: Hover = await lsp.connection.sendRequest('textDocument/hover', { textDocument: doc(), position: at(MAIN, 'priority', 2) });
    const value = (h.contents as { value: string }).value;
    expect(value).toContain('priority');
    expect(value).toMatch(/integer 1\.\.255/);
    expect(value).toContain('Default: 100');
    expect(h.range).toEqual({ start: at(MAIN, 'priority'), end: at(MAIN, 'priority', 8) });
  });

  it('goes to the definition in the included file, and finds the references', async () => {
    const defs: Location[] = await lsp.connection.sendRequest('textDocument/definition', { textDocument: doc(), position: at(MAIN, 'chk_nginx', 3) });
    expect(defs).toEqual([{ uri: uri(scriptsPath()), range: { start: { line: 0, character: 12 }, end: { line: 0, character: 21 } } }]);
    const refs: Location[] = await lsp.connection.sendRequest('textDocument/references', {
      textDocument: doc(),
      position: at(MAIN, 'chk_nginx', 3),
      context: { includeDeclaration: true },
    });
    expect(refs.map((r) => r.uri).sort()).toEqual([mainUri, uri(scriptsPath())].sort());
  });

  it('renames a script everywhere it is named, across files', async () => {
    const edit: WorkspaceEdit = await lsp.connection.sendRequest('textDocument/rename', { textDocument: doc(), position: at(MAIN, 'chk_nginx', 1), newName: 'chk_web' });
    expect(edit.changes?.[mainUri]).toEqual([{ range: { start: at(MAIN, 'chk_nginx'), end: at(MAIN, 'chk_nginx', 9) }, newText: 'chk_web' }]);
    expect(edit.changes?.[uri(scriptsPath())]).toEqual([{ range: { start: { line: 0, character: 12 }, end: { line: 0, character: 21 } }, newText: 'chk_web' }]);
    await expect(lsp.connection.sendRequest('textDocument/rename', { textDocument: doc(), position: at(MAIN, 'chk_nginx', 1), newName: 'two words' })).rejects.toThrow(
      /not one word/,
    );
  });

  it('formats the document and a range through the formatter', async () => {
    const squashed = 'vrrp_instance VI_9 {state BACKUP\ninterface eth0}\n';
    const u = lsp.open(join(dir, 'squashed.conf'), squashed);
    const edits: TextEdit[] = await lsp.connection.sendRequest('textDocument/formatting', { textDocument: { uri: u }, options: { tabSize: 2, insertSpaces: true } });
    expect(edits.length).toBeGreaterThan(0);
    const ranged: TextEdit[] = await lsp.connection.sendRequest('textDocument/rangeFormatting', {
      textDocument: { uri: u },
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } },
      options: { tabSize: 4, insertSpaces: true },
    });
    expect(ranged).toEqual([{ range: { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } }, newText: 'vrrp_instance VI_9 {\n    state BACKUP\n    interface eth0\n}\n' }]);
  });

  it('offers the did-you-mean fix and disable comments as quick fixes', async () => {
    const diagnostics = await lsp.diagnostics(mainUri, (d) => d.length > 0);
    const typo = diagnostics.find((d) => d.code === 'unknown-keyword')!;
    const actions: CodeAction[] = await lsp.connection.sendRequest('textDocument/codeAction', { textDocument: doc(), range: typo.range, context: { diagnostics: [typo] } });
    const fix = actions.find((a) => a.isPreferred)!;
    expect(fix.edit?.changes?.[mainUri]).toEqual([{ range: typo.range, newText: 'unicast_src_ip' }]);
    expect(actions.map((a) => a.title)).toContain('Disable unknown-keyword for this line');
    const disable = actions.find((a) => a.title === 'Disable unknown-keyword for this line')!;
    expect(disable.edit?.changes?.[mainUri]).toEqual([{ range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } }, newText: '    # kalint-disable-next-line unknown-keyword\n' }]);
  });

  it('republishes after an edit that fixes the typo', async () => {
    const fixed = MAIN.replace('unicast_src-ip', 'unicast_src_ip');
    await lsp.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: mainUri, version: 2 },
      contentChanges: [{ range: { start: at(MAIN, 'unicast_src-ip', 11), end: at(MAIN, 'unicast_src-ip', 12) }, text: '_' }],
    });
    const after = await lsp.diagnostics(mainUri, (d) => !d.some((x) => x.code === 'unknown-keyword'));
    expect(after.map((d) => d.code)).not.toContain('unknown-keyword');
    const tokens: SemanticTokens = await lsp.connection.sendRequest('textDocument/semanticTokens/full', { textDocument: doc() });
    expect(tokens.data.length % 5).toBe(0);
    expect(tokens.data.length / 5).toBeGreaterThan(10);
    // Restore the typo for the other tests' text positions.
    await lsp.connection.sendNotification('textDocument/didChange', { textDocument: { uri: mainUri, version: 3 }, contentChanges: [{ text: MAIN }] });
    expect(fixed).not.toBe(MAIN);
  });

  it('gives the outline, folding ranges, selection ranges and include links', async () => {
    const symbols: { name: string; detail: string; children: unknown[] }[] = await lsp.connection.sendRequest('textDocument/documentSymbol', { textDocument: doc() });
    expect(symbols.map((s) => `${s.detail} ${s.name}`)).toEqual([' global_defs', 'vrrp_instance VI_1']);
    const folds: { startLine: number; endLine: number }[] = await lsp.connection.sendRequest('textDocument/foldingRange', { textDocument: doc() });
    expect(folds).toContainEqual({ startLine: 4, endLine: 15 });
    const sel: { range: unknown; parent?: { range: unknown } }[] = await lsp.connection.sendRequest('textDocument/selectionRange', { textDocument: doc(), positions: [at(MAIN, 'eth0', 1)] });
    expect(sel[0]!.range).toEqual({ start: at(MAIN, 'eth0'), end: at(MAIN, 'eth0', 4) });
    expect(sel[0]!.parent?.range).toEqual({ start: at(MAIN, 'interface eth0'), end: at(MAIN, 'interface eth0', 14) });
    const links: { target: string }[] = await lsp.connection.sendRequest('textDocument/documentLink', { textDocument: doc() });
    expect(links.map((l) => l.target)).toEqual([uri(scriptsPath())]);
  });
});
