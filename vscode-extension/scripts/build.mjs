// Builds the extension: the client and the bundled language server, the TextMate grammar and the language
// configuration generated from the keyword schema; with --package, the .vsix (vsce, no network).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const root = dirname(here);
const out = (p) => join(here, p);

rmSync(out('dist'), { recursive: true, force: true });
rmSync(out('syntaxes'), { recursive: true, force: true });
const common = { bundle: true, platform: 'node', target: 'node18', format: 'cjs', minify: true, sourcemap: true, logLevel: 'warning' };
await build({ ...common, entryPoints: [out('src/extension.ts')], outfile: out('dist/extension.cjs'), external: ['vscode'] });
await build({ ...common, entryPoints: [out('src/server.ts')], outfile: out('dist/server.cjs') });

// The generators are TypeScript over the schema: bundle them once to run them here.
const generator = out('dist/generate.mjs');
await build({ ...common, format: 'esm', minify: false, sourcemap: false, entryPoints: [out('src/grammar.ts')], outfile: generator });
const { textmateGrammar, languageConfiguration } = await import(pathToFileURL(generator).href);
rmSync(generator);
mkdirSync(out('syntaxes'), { recursive: true });
writeFileSync(out('syntaxes/keepalived.tmLanguage.json'), `${JSON.stringify(textmateGrammar(), null, 2)}\n`);
writeFileSync(out('language-configuration.json'), `${JSON.stringify(languageConfiguration(), null, 2)}\n`);

if (process.argv.includes('--package')) {
  const { version } = JSON.parse((await import('node:fs')).readFileSync(out('package.json'), 'utf8'));
  const vsix = join(root, `dist/kalint-vscode-${version}.vsix`);
  mkdirSync(dirname(vsix), { recursive: true });
  execFileSync(join(root, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--out', vsix], { cwd: here, stdio: 'inherit' });
}
