/**
 * The Prettier plugin as users get it: kalint packed, installed into a fresh
 * project next to Prettier, and run with `npx prettier`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { beforeAll, describe, expect, it } from 'vitest';
import { format } from '../format/index.ts';
import plugin from '../format/prettier.ts';
import { CORPUS, ROOT } from './helpers/corpus.ts';

const SQUASHED = 'vrrp_instance VI_1 {state BACKUP\ninterface eth0 # uplink\n}\n';

describe('the plugin through Prettier', () => {
  // Prettier turns a lone carriage return into a line break before any plugin sees the text.
  const files = CORPUS.filter((f) => !/\r(?!\n)/.test(readFileSync(f, 'utf8')));

  it.each(files)('%s: prettier.format gives what kalint fmt gives', async (file) => {
    const text = readFileSync(file, 'utf8');
    expect(await prettier.format(text, { parser: 'keepalived', plugins: [plugin] })).toBe(format(text));
  });

  it('takes tabWidth, useTabs and endOfLine from Prettier, 4 spaces by default', async () => {
    const run = (options: prettier.Options) => prettier.format(SQUASHED, { parser: 'keepalived', plugins: [plugin], ...options });
    expect(await run({})).toBe(format(SQUASHED));
    expect(await run({ tabWidth: 2 })).toBe(format(SQUASHED, { tabWidth: 2 }));
    expect(await run({ useTabs: true, endOfLine: 'crlf' })).toBe(format(SQUASHED, { useTabs: true, endOfLine: 'crlf' }));
  });

  it('infers the parser for keepalived.conf', async () => {
    expect(await prettier.format(SQUASHED, { filepath: '/etc/keepalived/keepalived.conf', plugins: [plugin] })).toBe(format(SQUASHED));
  });
});

describe('npx prettier in a fresh project that installs kalint', () => {
  let project: string;
  // CI may force colours on; Prettier's messages are compared as plain text.
  const plainEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete plainEnv.FORCE_COLOR;
  const npx = (args: string[]) => spawnSync('npx', ['--no-install', 'prettier', ...args], { cwd: project, encoding: 'utf8', env: plainEnv });

  beforeAll(() => {
    const packs = mkdtempSync(join(tmpdir(), 'kalint-pack-'));
    const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packs], { cwd: ROOT, encoding: 'utf8' }).trim();
    project = mkdtempSync(join(tmpdir(), 'kalint-prettier-'));
    writeFileSync(join(project, 'package.json'), '{ "name": "site", "private": true }\n');
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--silent', join(packs, tarball), 'prettier@3'], { cwd: project, encoding: 'utf8' });
    writeFileSync(join(project, 'keepalived.conf'), SQUASHED);
    writeFileSync(join(project, 'formatted.conf'), format(SQUASHED));
  }, 180_000);

  it('--plugin=kalint/prettier --check reports the unformatted file and passes the formatted one', () => {
    const bad = npx(['--plugin=kalint/prettier', '--check', 'keepalived.conf']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('[warn] keepalived.conf');
    const good = npx(['--plugin=kalint/prettier', '--parser=keepalived', '--check', 'formatted.conf']);
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('All matched files use Prettier code style!');
  });

  it('a .prettierrc plugins entry and an override for conf.d/*.conf work with --write', () => {
    writeFileSync(join(project, '.prettierrc'), JSON.stringify({ plugins: ['kalint/prettier'], overrides: [{ files: '*.conf', options: { parser: 'keepalived' } }] }));
    writeFileSync(join(project, 'other.conf'), SQUASHED);
    const r = npx(['--write', 'keepalived.conf', 'other.conf']);
    expect(r.status).toBe(0);
    expect(readFileSync(join(project, 'keepalived.conf'), 'utf8')).toBe(format(SQUASHED));
    expect(readFileSync(join(project, 'other.conf'), 'utf8')).toBe(format(SQUASHED));
  });
});
