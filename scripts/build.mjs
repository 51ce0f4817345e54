// Bundles the command line so that `kalint` starts fast, and the Prettier plugin (`kalint/prettier`).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry hashes: old ones would pile up.
rmSync('dist', { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  // Loaded only by the commands and options that need them, so that a plain check starts fast.
  // Chevrotain is bundled: loaded from its package it takes over half a second (hundreds of modules).
  external: ['ajv', 'jsonc-parser', 'diff', 'prettier', 'vscode-languageserver', 'vscode-languageserver-textdocument', 'yaml', 'prom-client'],
  sourcemap: 'linked',
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: { kalint: 'cli/main.ts' },
  outdir: 'dist',
  // `kalint fmt`, `lsp` and `translate` are chunks of their own, loaded by those commands only.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});
await build({ ...common, entryPoints: { prettier: 'format/prettier.ts' }, outdir: 'dist' });
