/** `kalint fmt` as a user runs it: the built command on files, directories and stdin. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { project } from './helpers/project.ts';

const ROOT = join(import.meta.dirname, '..');
const SQUASHED = 'vrrp_instance VI_1 {state BACKUP\ninterface eth0 # uplink\n}\n';
const FORMATTED = 'vrrp_instance VI_1 {\n    state BACKUP\n    interface eth0 # uplink\n}\n';

function kalint(args: string[], options: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/kalint.js'), ...args], { cwd: options.cwd ?? ROOT, encoding: 'utf8', input: options.input ?? '' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}


describe('kalint fmt', () => {
  it('rewrites files in place and reports how many changed', () => {
    const dir = project({ 'keepalived.conf': SQUASHED, 'conf.d/done.conf': FORMATTED, 'conf.d/notes.txt': SQUASHED });
    const r = kalint(['fmt', '.'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('formatted 2 files, 1 changed\n');
    expect(readFileSync(join(dir, 'keepalived.conf'), 'utf8')).toBe(FORMATTED);
    expect(readFileSync(join(dir, 'conf.d/notes.txt'), 'utf8')).toBe(SQUASHED);
  });

  it('--check lists unformatted files, writes nothing and exits 1', () => {
    const dir = project({ 'a.conf': SQUASHED, 'b.conf': FORMATTED });
    const r = kalint(['fmt', '--check', 'a.conf', 'b.conf'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('a.conf\n');
    expect(r.stderr).toBe('1 file not formatted\n');
    expect(readFileSync(join(dir, 'a.conf'), 'utf8')).toBe(SQUASHED);
    expect(kalint(['fmt', '--check', 'b.conf'], { cwd: dir })).toMatchObject({ status: 0, stdout: '', stderr: 'all 1 file formatted\n' });
  });

  it('--diff prints a unified diff and writes nothing', () => {
    const dir = project({ 'a.conf': SQUASHED });
    const r = kalint(['fmt', '--diff', 'a.conf'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--- a.conf\n+++ a.conf\n@@ -1,3 +1,4 @@\n-vrrp_instance VI_1 {state BACKUP\n-interface eth0 # uplink\n+vrrp_instance VI_1 {\n');
    expect(readFileSync(join(dir, 'a.conf'), 'utf8')).toBe(SQUASHED);
  });

  it('reads stdin and writes stdout', () => {
    expect(kalint(['fmt', '-'], { input: SQUASHED })).toMatchObject({ status: 0, stdout: FORMATTED });
    expect(kalint(['fmt', '--check', '--stdin-filepath', 'x.conf'], { input: SQUASHED })).toMatchObject({ status: 1, stdout: 'x.conf\n' });
  });

  it('takes indentation from the flags, then from .prettierrc and .editorconfig', () => {
    expect(kalint(['fmt', '--use-tabs', '-'], { input: SQUASHED }).stdout).toBe(FORMATTED.replaceAll('    ', '\t'));
    const dir = project({ '.prettierrc': '{ "tabWidth": 2 }\n', 'a.conf': SQUASHED, 'sub/.editorconfig': '[*]\nindent_style = tab\n', 'sub/b.conf': SQUASHED });
    kalint(['fmt', 'a.conf', 'sub/b.conf'], { cwd: dir });
    expect(readFileSync(join(dir, 'a.conf'), 'utf8')).toBe(FORMATTED.replaceAll('    ', '  '));
    expect(readFileSync(join(dir, 'sub/b.conf'), 'utf8')).toBe(FORMATTED.replaceAll('    ', '\t'));
    expect(kalint(['fmt', '--no-config', '--stdin-filepath', 'a.conf'], { cwd: dir, input: SQUASHED }).stdout).toBe(FORMATTED);
    expect(kalint(['fmt', '--tab-width', '3', '--stdin-filepath', 'a.conf'], { cwd: dir, input: SQUASHED }).stdout).toBe(FORMATTED.replaceAll('    ', '   '));
  });

  it('formats only the top-level items a range touches', () => {
    const text = `${SQUASHED}global_defs {router_id a}\n`;
    const start = text.indexOf('global_defs');
    const r = kalint(['fmt', '--range-start', String(start), '--range-end', String(start + 3), '-'], { input: text });
    expect(r.stdout).toBe(`${SQUASHED}global_defs {\n    router_id a\n}\n`);
  });

  it('exits 2 on usage errors and unreadable paths', () => {
    expect(kalint(['fmt', '--check', '--diff', 'a.conf']).status).toBe(2);
    expect(kalint(['fmt', '--tab-width', 'x', '-']).status).toBe(2);
    const r = kalint(['fmt', 'no/such.conf']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('kalint: cannot read no/such.conf: No such file or directory');
  });
});
