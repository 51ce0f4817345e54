/** A JSON-RPC client for `kalint lsp --stdio`, as an editor would be: the built command in a process of its own. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node.js';

const ROOT = join(import.meta.dirname, '../..');

export interface LspSession {
  connection: ProtocolConnection;
  process: ChildProcessWithoutNullStreams;
  initialize: InitializeResult;
  /** The next diagnostics published for `uri` that satisfy `accept` (the latest ones if they already do). */
  diagnostics(uri: string, accept?: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]>;
  open(path: string, text: string, version?: number): string;
  stop(): Promise<void>;
}

export const uri = (path: string) => pathToFileURL(path).href;

export async function startLsp(initializationOptions: unknown = {}): Promise<LspSession> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/kalint.js'), 'lsp', '--stdio'], { stdio: 'pipe' });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const latest = new Map<string, Diagnostic[]>();
  const waiting: { uri: string; accept: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }[] = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    latest.set(p.uri, p.diagnostics);
    for (const w of [...waiting]) {
      if (w.uri === p.uri && w.accept(p.diagnostics)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(p.diagnostics);
      }
    }
  });
  connection.listen();
  const initialize = await connection.sendRequest<InitializeResult>('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: { textDocument: { publishDiagnostics: { relatedInformation: true } } },
    initializationOptions,
  });
  await connection.sendNotification('initialized', {});
  return {
    connection,
    process: child,
    initialize,
    diagnostics(u, accept = () => true) {
      const now = latest.get(u);
      if (now && accept(now)) return Promise.resolve(now);
      return new Promise((resolve) => waiting.push({ uri: u, accept, resolve }));
    },
    open(path, text, version = 1) {
      const u = uri(path);
      void connection.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId: 'keepalived', version, text } });
      return u;
    },
    async stop() {
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
      await new Promise((resolve) => child.once('exit', resolve));
      connection.dispose();
    },
  };
}
