/** The VS Code extension: starts the bundled kalint language server for keepalived files. */
import { type ExtensionContext, workspace } from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from 'vscode-languageclient/node.js';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const settings = workspace.getConfiguration('kalint');
  if (!settings.get<boolean>('enable', true)) return;
  const module = context.asAbsolutePath('dist/server.cjs');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'keepalived' },
      { scheme: 'untitled', language: 'keepalived' },
    ],
    initializationOptions: { targetVersion: settings.get<string>('targetVersion') || undefined, configId: settings.get<string>('configId') || undefined },
    synchronize: { configurationSection: 'kalint', fileEvents: workspace.createFileSystemWatcher('**/.kalintrc.json') },
  };
  client = new LanguageClient('kalint', 'kalint', serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
