/** `kalint check` as a user runs it: the built command, its output formats and exit codes. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const FIXTURES = join(ROOT, 'test/fixtures/keepalived');

function kalint(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/kalint.js'), ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempConfig(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kalint-cli-'));
  const file = join(dir, 'keepalived.conf');
  writeFileSync(file, text);
  return file;
}

describe('kalint check', () => {
  it('exits 0 and says so on the bundled example cluster', () => {
    const r = kalint(['check', 'examples/cluster']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    // common/scripts.conf is checked through the includes of lb1 and lb2, not on its own.
    expect(r.stderr).toBe('2 configurations (4 files): no problems\n');
  });

  it('prints file:line:col  severity  message  rule-id and exits 1 on errors', () => {
    const r = kalint(['check', 'test/fixtures/keepalived/typos.conf']);
    expect(r.status).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^test\/fixtures\/keepalived\/typos\.conf:\d+:\d+ {2}(error|warning|info) {2}.+ {2}[a-z-]+$/);
    expect(lines).toContain(
      "test/fixtures/keepalived/typos.conf:19:5  error  Unknown keyword 'unicast_src-ip' in vrrp_instance VI_1; did you mean 'unicast_src_ip'?  unknown-keyword",
    );
  });

  it('prints one JSON array with 1-based positions', () => {
    const r = kalint(['check', '--format', 'json', join(FIXTURES, 'typos.conf')], FIXTURES);
    expect(r.status).toBe(1);
    const parsed = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(parsed[0]).toEqual({
      file: 'typos.conf',
      line: 3,
      column: 5,
      endLine: 3,
      endColumn: 11,
      severity: 'error',
      ruleId: 'unknown-keyword',
      message: "Unknown keyword 'lvs_id': removed after 1.1.7; use router_id.",
    });
    expect(parsed.every((d) => Object.keys(d).length === 8)).toBe(true);
  });

  it('prints an empty JSON array for a clean file', () => {
    const r = kalint(['check', '--format', 'json', 'examples/cluster/lb1.conf']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('exits 0 on warnings only', () => {
    const r = kalint(['check', tempConfig('vrrp_instance VI_1 {\n  virtual_router_id 1\n  preempt\n}\n')]);
    expect(r.stdout).toContain('deprecated-keyword');
    expect(r.status).toBe(0);
  });

  it('exits 2 on usage and I/O problems', () => {
    expect(kalint(['check']).status).toBe(2);
    expect(kalint(['check', '--format', 'xml', 'examples']).status).toBe(2);
    expect(kalint(['check', '--target-version', 'latest', 'examples']).status).toBe(2);
    expect(kalint(['frobnicate']).status).toBe(2);
    const missing = kalint(['check', 'no/such/file.conf']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('cannot read no/such/file.conf');
  });

  it('reads as an older keepalived with --target-version', () => {
    const file = join(FIXTURES, 'version-gated.conf');
    expect(kalint(['check', '--format', 'json', file]).status).toBe(0);
    const old = JSON.parse(kalint(['check', '--format', 'json', '--target-version', '2.2.7', file]).stdout) as { message: string }[];
    expect(old.map((d) => d.message)).toContain("Unknown keyword 'auth_hmac' for keepalived 2.2.7: it was added in 2.4.0");
  });

  it('applies @id lines for --config-id', () => {
    const file = tempConfig('vrrp_instance VI_1 {\n  virtual_router_id 1\n@lb1  priority 300\n@lb2  priority 200\n}\n');
    expect(kalint(['check', '--config-id', 'lb1', file]).status).toBe(1);
    expect(kalint(['check', '--config-id', 'lb2', file]).status).toBe(0);
  });

  it('checks interface names against --interfaces', () => {
    const file = tempConfig('vrrp_instance VI_1 {\n  interface bond0\n  virtual_router_id 1\n}\n');
    const r = kalint(['check', '--interfaces', 'eth0,eth1', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("interface 'bond0' does not exist on the target host  interface-not-found");
    expect(kalint(['check', file]).status).toBe(0);
  });

  it('checks interface names against the host with --interfaces host', () => {
    const missing = tempConfig('vrrp_instance VI_1 {\n  interface kalint-none0\n  virtual_router_id 1\n}\n');
    expect(kalint(['check', '--interfaces', 'host', missing]).stdout).toContain("interface 'kalint-none0' does not exist on the target host");
    expect(kalint(['check', '--interfaces', 'host', tempConfig('vrrp_instance VI_1 {\n  interface lo\n  virtual_router_id 1\n}\n')]).status).toBe(0);
  });

  it('shows the expansion chain of a diagnostic in generated text', () => {
    const r = kalint(['check', tempConfig('$P=900\nvrrp_instance VI_1 {\n  virtual_router_id 1\n  priority $P\n}\n')]);
    expect(r.stdout).toMatch(/keepalived\.conf:4:12 {2}error {2}'priority': number '900' outside range \[1, 255\] {2}priority-out-of-range\n {4}.*keepalived\.conf:1:1 {2}note: expanded from \$P, defined here\n/);
  });
});
