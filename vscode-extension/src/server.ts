/** The language server as the extension runs it: `node dist/server.cjs --stdio`. */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node.js';
import { startServer } from '../../lsp/server.ts';

startServer(createConnection(ProposedFeatures.all));
