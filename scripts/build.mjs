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
  sourcemap: 'linked',
  logLevel: 'warning',
});
