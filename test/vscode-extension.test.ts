/**
 * The VS Code extension as shipped: `npm run vsix` builds the .vsix with no
 * network (inside a network namespace with no route out), the package holds the client,
 * the bundled server, the grammar and the language configuration, and the
 * extension unpacked from it activates: its language client starts the
 * bundled server and completes the LSP handshake with it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, type Namespace, namespaceUnavailable } from './helpers/netns.ts';

const ROOT = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const version = (JSON.parse(readFileSync(join(ROOT, 'vscode-extension/package.json'), 'utf8')) as { version: string }).version;
const VSIX = join(ROOT, `dist/kalint-vscode-${version}.vsix`);

describe('VS Code extension', () => {
  let ns: Namespace | undefined;
  let unpacked: string;

  beforeAll(() => {
    // Without network: a namespace of its own has no address and no route out.
    ns = namespaceUnavailable() ? undefined : createNamespace('kalint-vsix');
    if (ns) {
      const r = ns.run('npm', ['run', 'vsix'], ROOT);
      expect(r.status, r.stderr).toBe(0);
    } else {
      execFileSync('npm', ['run', 'vsix'], { cwd: ROOT, stdio: 'pipe' });
    }
    unpacked = mkdtempSync(join(tmpdir(), 'kalint-vsix-'));
    execFileSync('python3', ['-m', 'zipfile', '-e', VSIX, unpacked]);
  }, 120_000);
  afterAll(() => ns?.remove());

  it('packs the client, the bundled server, the grammar and the language configuration', () => {
    const listing = spawnSync('python3', ['-m', 'zipfile', '-l', VSIX], { encoding: 'utf8' }).stdout;
    for (const f of ['extension/dist/extension.cjs', 'extension/dist/server.cjs', 'extension/syntaxes/keepalived.tmLanguage.json', 'extension/language-configuration.json', 'extension/package.json']) {
      expect(listing).toContain(f);
    }
    const manifest = JSON.parse(readFileSync(join(unpacked, 'extension/package.json'), 'utf8'));
    expect(manifest.contributes.languages[0].filenames).toEqual(['keepalived.conf']);
  });

  it('activates: the language client starts the bundled server and completes the handshake', async () => {
    const stub = require('./helpers/vscode-stub.cjs') as { registrations: string[] };
    const load = (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load;
    (Module as unknown as { _load: typeof load })._load = (request, ...rest) => (request === 'vscode' ? stub : load(request, ...rest));
    try {
      const dir = join(unpacked, 'extension');
      const extension = require(join(dir, 'dist/extension.cjs')) as { activate(c: unknown): Promise<void>; deactivate(): Promise<void> };
      const context = { subscriptions: [] as { state?: number }[], asAbsolutePath: (p: string) => join(dir, p), extensionPath: dir };
      await extension.activate(context);
      const client = context.subscriptions.find((s) => 'state' in s)!;
      // vscode-languageclient's State.Running: the server answered `initialize`.
      expect(client.state).toBe(2);
      expect(stub.registrations).toEqual(expect.arrayContaining(['languages.registerCompletionItemProvider', 'languages.registerRenameProvider', 'languages.registerHoverProvider']));
      await extension.deactivate();
      expect(client.state).toBe(1);
    } finally {
      (Module as unknown as { _load: typeof load })._load = load;
    }
  }, 60_000);

  it('builds into dist/', () => {
    expect(existsSync(VSIX)).toBe(true);
  });
});
