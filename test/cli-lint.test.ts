/** kalint check as a CI gate: fixes, output formats, configuration, disable comments, cluster mode. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const SEED = join(ROOT, 'test/fixtures/seeds/ka1-unicast.conf');

function kalint(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/kalint.js'), ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'kalint-lint-'));
}

function copy(file: string): string {
  const dir = tempDir();
  const target = join(dir, 'keepalived.conf');
  copyFileSync(file, target);
  return target;
}

describe('the seed article configuration', () => {
  it('reports the unicast_src-ip typo and nopreempt on a MASTER with their ids and lines', () => {
    const found = JSON.parse(kalint(['check', '--format', 'json', SEED]).stdout) as { line: number; ruleId: string }[];
    expect(found.map((d) => `${d.line} ${d.ruleId}`)).toEqual(['20 nopreempt-requires-backup', '29 unknown-keyword']);
  });

  it('--fix repairs both, keeping comments and layout', () => {
    const file = copy(SEED);
    const before = readFileSync(file, 'utf8');
    const r = kalint(['check', '--fix', file]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('(fixed 1 file)');
    const after = readFileSync(file, 'utf8');
    expect(after).toBe(before.replace('state MASTER', 'state BACKUP').replace('unicast_src-ip', 'unicast_src_ip'));
  });

  it('--fix-dry-run prints a unified diff and changes nothing', () => {
    const file = copy(SEED);
    const before = readFileSync(file, 'utf8');
    const r = kalint(['check', '--fix-dry-run', 'keepalived.conf'], join(file, '..'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--- a/keepalived.conf');
    expect(r.stdout).toContain('-    state MASTER\n+    state BACKUP');
    expect(r.stdout).toContain('-    unicast_src-ip 192.168.183.50   # this host\'s address\n+    unicast_src_ip 192.168.183.50   # this host\'s address');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});

describe('squashed lines', () => {
  it('--fix puts each statement keepalived would ignore on a line of its own', () => {
    const file = join(tempDir(), 'keepalived.conf');
    writeFileSync(file, 'vrrp_instance VI_1 {\n    state BACKUP smtp_alert interface eth0 virtual_router_id 51 priority 90\n    virtual_ipaddress {\n        10.0.0.1/24\n    }\n}\n');
    const before = JSON.parse(kalint(['check', '--format', 'json', file]).stdout) as { ruleId: string }[];
    expect(before.map((d) => d.ruleId)).toContain('extra-argument');
    const r = kalint(['check', '--fix', file]);
    expect(r.stderr).toContain('no problems (fixed 1 file)');
    expect(readFileSync(file, 'utf8')).toBe(
      'vrrp_instance VI_1 {\n    state BACKUP\n    smtp_alert\n    interface eth0\n    virtual_router_id 51\n    priority 90\n    virtual_ipaddress {\n        10.0.0.1/24\n    }\n}\n',
    );
  });
});

describe('output formats', () => {
  it('writes SARIF 2.1.0 that validates against the SARIF schema', () => {
    const require = createRequire(import.meta.url);
    const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;
    const AjvDraft04 = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
    const r = kalint(['check', '--format', 'sarif', 'test/fixtures/keepalived/typos.conf']);
    expect(r.status).toBe(1);
    const log = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; locations: unknown[] }[]; tool: { driver: { rules: { id: string }[] } } }[] };
    // The SARIF 2.1.0 schema is written in JSON Schema draft 04, with one pattern that is not valid in unicode mode.
    const validate = new AjvDraft04({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false }).compile(schema);
    expect(validate({ version: '2.1.0', runs: [{ results: [] }] }), 'a log without a tool must fail').toBe(false);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(log.runs[0]!.results.length).toBeGreaterThan(5);
    expect(log.runs[0]!.tool.driver.rules.map((x) => x.id)).toContain('unknown-keyword');
  });

  it('writes GitHub workflow annotations', () => {
    const r = kalint(['check', '--format', 'github', SEED]);
    expect(r.stdout.split('\n')[0]).toBe(
      "::error file=test/fixtures/seeds/ka1-unicast.conf,line=20,col=5,endLine=20,endColumn=14,title=nopreempt-requires-backup::nopreempt has no effect with 'state MASTER': keepalived clears it, and this node takes the VIP back whenever it returns",
    );
  });

  it('fails on more warnings than --max-warnings allows', () => {
    const file = join(tempDir(), 'k.conf');
    writeFileSync(file, 'vrrp_instance VI_1 {\n  virtual_router_id 1\n  preempt\n  virtual_ipaddress {\n    10.0.0.1/24\n  }\n}\n');
    expect(kalint(['check', file]).status).toBe(0);
    expect(kalint(['check', '--max-warnings', '0', file]).status).toBe(1);
    expect(kalint(['check', '--max-warnings', '1', file]).status).toBe(0);
  });

  it('--timing says where the time went, on stderr, without changing the report', () => {
    const plain = kalint(['check', '--format', 'json', SEED]);
    const timed = kalint(['check', '--timing', '--format', 'json', SEED]);
    expect(timed.stdout).toBe(plain.stdout);
    expect(timed.status).toBe(plain.status);
    expect(timed.stderr).toMatch(/^reading [\d.]+ ms, rules [\d.]+ ms \(\d+% of reading\)\nRule +Time \(ms\) +Relative\n/);
    // The ten slowest rules, whichever they are on this run.
    const rows = timed.stderr.split('\n').filter((l) => /^[a-z0-9-]+ +[\d.]+ +[\d.]+%$/.test(l));
    expect(rows).toHaveLength(10);
  });

  it('lists every rule', () => {
    const r = kalint(['rules']);
    expect(r.stdout).toMatch(/^nopreempt-requires-backup +error +fixable +nopreempt only works/m);
    expect(r.stdout).toMatch(/^cluster-vrid-mismatch +error/m);
    expect(r.stdout).toMatch(/^sim\/split-brain +error +Two nodes that can reach each other/m);
  });
});

describe('.kalintrc.json', () => {
  function project(rc: string, conf: string) {
    const dir = tempDir();
    writeFileSync(join(dir, '.kalintrc.json'), rc);
    mkdirSync(join(dir, 'etc'));
    writeFileSync(join(dir, 'etc', 'keepalived.conf'), conf);
    return dir;
  }
  const conf = 'vrrp_instance VI_1 {\n  virtual_router_id 1\n  preempt\n  state MASTER\n  nopreempt\n  virtual_ipaddress {\n    10.0.0.1/24\n  }\n}\n';

  it('is found upward and sets severities', () => {
    const dir = project('{\n  // comments are fine\n  "rules": { "nopreempt-requires-backup": "warning", "deprecated-keyword": "off" }\n}\n', conf);
    const found = JSON.parse(kalint(['check', '--format', 'json', 'etc/keepalived.conf'], dir).stdout) as { ruleId: string; severity: string }[];
    expect(found.map((d) => `${d.ruleId} ${d.severity}`)).toEqual(['nopreempt-requires-backup warning']);
  });

  it('reports an invalid configuration at the offending key, and exits 2', () => {
    const dir = project('{\n  "rules": {\n    "unknown-keyword": "error",\n    "nopreempt-requires-bakcup": "off"\n  },\n  "targetVersion": "2.4"\n}\n', conf);
    const r = kalint(['check', 'etc/keepalived.conf'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l.includes('.kalintrc.json:'))).toEqual([
      expect.stringMatching(/\.kalintrc\.json:4:5  error  rules: unknown rule 'nopreempt-requires-bakcup'  config$/),
      expect.stringMatching(/\.kalintrc\.json:6:20  error  targetVersion: must match pattern/),
    ]);
  });

  it('reads absolute includes below includeRoot', () => {
    const dir = project('{ "includeRoot": "." }\n', 'include /etc/conf.d/*.conf\n');
    mkdirSync(join(dir, 'etc', 'conf.d'));
    writeFileSync(join(dir, 'etc', 'conf.d', 'vi.conf'), 'vrrp_instance VI_1 {\n  virtual_router_id 1\n  priorty 10\n}\n');
    const r = kalint(['check', 'etc/keepalived.conf'], dir);
    expect(r.stdout).toContain("etc/conf.d/vi.conf:3:3  error  Unknown keyword 'priorty'");
  });
});

describe('disable comments', () => {
  it('silences the next line, or a region, for the named rules', () => {
    const file = join(tempDir(), 'k.conf');
    writeFileSync(
      file,
      [
        'vrrp_instance VI_1 {',
        '  virtual_router_id 1',
        '  # kalint-disable-next-line unknown-keyword',
        '  priorty 10',
        '  ! kalint-disable',
        '  advrt_int 1',
        '  ! kalint-enable',
        '  garp_master_delai 1',
        '  virtual_ipaddress {',
        '    10.0.0.1/24',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    const found = JSON.parse(kalint(['check', '--format', 'json', file]).stdout) as { line: number }[];
    expect(found.map((d) => d.line)).toEqual([8]);
  });
});

describe('cluster mode', () => {
  it('compares the nodes and prints who holds each VIP', () => {
    const r = kalint(['check', '--cluster', 'test/fixtures/cluster/seed-unicast']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('check_test fails on KA1  70   80   KA2');
  });

  it('exits 1 on a cluster error', () => {
    const r = kalint(['check', '--cluster', '--format', 'json', 'test/fixtures/cluster/master-master-broken']);
    expect(r.status).toBe(1);
    expect((JSON.parse(r.stdout) as { ruleId: string }[]).map((d) => d.ruleId)).toEqual(['cluster-master-master-not-mirrored']);
  });

  it('takes the nodes from .kalintrc.json', () => {
    const dir = tempDir();
    for (const f of ['ka1.conf', 'ka2.conf']) copyFileSync(join(ROOT, 'test/fixtures/cluster/seed-unicast', f), join(dir, f));
    writeFileSync(join(dir, '.kalintrc.json'), '{ "cluster": { "nodes": ["ka1.conf", "ka2.conf"] } }');
    const r = kalint(['check', '--cluster'], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('VRID 66');
  });
});
