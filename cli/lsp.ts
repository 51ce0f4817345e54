/** `kalint lsp --stdio`: the language server on standard input and output. Loaded only for this command. */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node.js';
import { startServer } from '../lsp/server.ts';

export const LSP_USAGE = `Usage: kalint lsp --stdio

Runs the kalint language server, speaking the Language Server Protocol on stdin and stdout.
`;

export function runLsp(argv: string[]): number | undefined {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(LSP_USAGE);
    return 0;
  }
  if (argv.length !== 1 || argv[0] !== '--stdio') {
    process.stderr.write(`kalint: lsp needs --stdio\n${LSP_USAGE}`);
    return 2;
  }
  startServer(createConnection(ProposedFeatures.all, process.stdin, process.stdout));
  return undefined;
}
