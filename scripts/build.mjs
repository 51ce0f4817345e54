// Bundles the command line into one file so that `kalint` starts fast.
import { build } from 'esbuild';

await build({
  entryPoints: { kalint: 'cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  // Loaded only by the commands and options that need them, so that a plain check starts fast.
  external: ['ajv', 'jsonc-parser', 'diff', 'chevrotain'],
  sourcemap: 'linked',
  logLevel: 'warning',
});
