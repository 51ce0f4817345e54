// Part of `npm run bench`: the language server's latencies, over stdio as an editor sees them.
// Diagnostics after a one-character edit to the 70k-line config, and completion in a 5,000-line file.
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, PublishDiagnosticsNotification, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node.js';

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/** Median ms from a one-character edit to the diagnostics of the edited text, and completion's median ms. */
export async function lspLatencies(kalint, bigPath, bigText, smallPath, smallText, runs) {
  const child = spawn(process.execPath, [kalint, 'lsp', '--stdio'], { stdio: 'pipe' });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  let onDiagnostics = () => {};
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => onDiagnostics(p));
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  await connection.sendNotification('initialized', {});
  const big = pathToFileURL(bigPath).href;
  const next = (uri) => new Promise((resolve) => (onDiagnostics = (p) => p.uri === uri && resolve(performance.now())));
  let published = next(big);
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: big, languageId: 'keepalived', version: 1, text: bigText } });
  await published;
  // Toggle one digit of a priority value near the middle of the file.
  const at = bigText.indexOf('priority 1', bigText.length >> 1) + 'priority 1'.length;
  const lines = bigText.slice(0, at).split('\n');
  const position = { line: lines.length - 1, character: lines[lines.length - 1].length };
  const range = { start: position, end: { line: position.line, character: position.character + 1 } };
  const original = bigText[at];
  const diagnostics = [];
  for (let i = 0; i < runs; i++) {
    published = next(big);
    const sent = performance.now();
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri: big, version: i + 2 }, contentChanges: [{ range, text: i % 2 ? original : '2' }] });
    diagnostics.push((await published) - sent);
  }
  const small = pathToFileURL(smallPath).href;
  published = next(small);
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: small, languageId: 'keepalived', version: 1, text: smallText } });
  await published;
  const inside = smallText.indexOf('    advert_int 1', smallText.length >> 1);
  const before = smallText.slice(0, inside).split('\n');
  const completion = [];
  for (let i = 0; i < runs * 3; i++) {
    const sent = performance.now();
    await connection.sendRequest('textDocument/completion', { textDocument: { uri: small }, position: { line: before.length - 1, character: 4 } });
    completion.push(performance.now() - sent);
  }
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  connection.dispose();
  return { diagnostics: median(diagnostics), completion: median(completion) };
}
