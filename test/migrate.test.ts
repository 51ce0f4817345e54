/**
 * kalint migrate: old syntax to what a release reads, comments and layout
 * kept; and against keepalived itself: every migrated configuration of the
 * corpus is free of deprecated syntax, and Debian's keepalived -t accepts it
 * whenever it accepted the original.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryHost, nodeHost } from '../grammar/index.ts';
import { migrate } from '../translate/index.ts';
import { CORPUS, CORPUS_DIRS } from './helpers/corpus.ts';
import { createNamespace, keepalivedVersion, type Namespace, namespaceUnavailable } from './helpers/netns.ts';

const run = (text: string, targetVersion?: '2.2.7' | '2.4.4') => {
  const m = migrate('/etc/keepalived/keepalived.conf', { host: memoryHost({ '/etc/keepalived/keepalived.conf': text }, '/etc/keepalived'), configId: 'node1', ...(targetVersion ? { targetVersion } : {}) });
  if ('error' in m) throw new Error(m.error);
  return m;
};
const migrated = (text: string, targetVersion?: '2.2.7' | '2.4.4') => {
  const m = run(text, targetVersion);
  return m.changed.get('/etc/keepalived/keepalived.conf')?.text ?? text;
};

describe('kalint migrate', () => {
  it('renames deprecated keywords, options and removed keywords, keeping comments and layout', () => {
    const text = 'global_defs {\n  lvs_id lb1   # from 2009 docs\n  lvs_flush_onstop\n}\nvirtual_server 10.0.0.1 80 {\n  lb_algo  wrr\n  lb_kind DR # direct routing\n}\n';
    expect(migrated(text)).toBe('global_defs {\n  router_id lb1   # from 2009 docs\n  lvs_flush_on_stop\n}\nvirtual_server 10.0.0.1 80 {\n  lvs_sched  wrr\n  lvs_method DR # direct routing\n}\n');
  });

  it('moves lvs_sync_daemon_interface into global_defs and sync group members into group { }', () => {
    const text = 'global_defs {\n    router_id a\n}\nvrrp_sync_group G {\n    VI_1 # first\n}\nvrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n    lvs_sync_daemon_interface eth1\n}\n';
    expect(migrated(text)).toBe(
      'global_defs {\n    router_id a\n    lvs_sync_daemon eth1 VI_1\n}\nvrrp_sync_group G {\n    group {\n        VI_1\n    }\n}\nvrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n}\n',
    );
  });

  it('uses only what the target release has', () => {
    // timer_expired_backup came in 2.2.8: for 2.2.7 the old spelling stays (it is not deprecated there).
    const text = 'vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n    thread_timer_expired\n}\n';
    expect(migrated(text, '2.4.4')).toContain('timer_expired_backup');
    expect(run(text, '2.2.7').refused.map((d) => d.ruleId)).toEqual([]);
  });

  it('refuses, changing nothing, where there is no equivalent', () => {
    const m = run('virtual_server 10.0.0.1 25 {\n    real_server 10.0.1.1 25 {\n        SMTP_CHECK {\n            host {\n                connect_ip 10.0.1.1\n            }\n        }\n    }\n}\n');
    expect(m.refused.map((d) => d.message)).toEqual([expect.stringContaining("'host' is deprecated")]);
  });
});

const unavailable = namespaceUnavailable();
if (unavailable && !process.env['KALINT_SKIP_NETNS']) {
  throw new Error(`migrate differential test ${unavailable}; set KALINT_SKIP_NETNS=1 to skip it on this machine`);
}

const MAIN_FILES = CORPUS.filter((f) => f.endsWith('.conf') || basename(f).startsWith('keepalived.conf.')).filter((f) => !f.includes('/inc/') && !f.includes('/common/'));

describe.skipIf(!!unavailable)('migrated configurations against keepalived -t', () => {
  let ns: Namespace;
  let work: string;
  const version = keepalivedVersion() as '2.2.7';
  const outcome = { migrated: 0, refused: 0 };

  beforeAll(() => {
    ns = createNamespace();
    work = mkdtempSync(join(tmpdir(), 'kalint-migrate-'));
    for (const dir of CORPUS_DIRS) for (const copy of ['original', 'migrated']) cpSync(dir, join(work, copy, dir), { recursive: true });
  });
  afterAll(() => {
    ns?.remove();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it.each(MAIN_FILES.map((f) => [relative(CORPUS_DIRS[0]!, f), f]))('%s', (_, file) => {
    const dir = join(work, 'migrated', dirname(file));
    const m = migrate(basename(file), { host: nodeHost(dir), targetVersion: version, configId: 'node1' });
    if ('error' in m) throw new Error(m.error);
    if (m.refused.length) {
      outcome.refused++;
      return;
    }
    for (const { file: f, text } of m.changed.values()) writeFileSync(f.absolutePath, text);
    outcome.migrated++;
    expect(m.result.diagnostics.filter((d) => d.ruleId === 'deprecated-keyword')).toEqual([]);
    const verdict = (copy: string) => ns.run('keepalived', ['-t', '-f', basename(file), '-i', 'node1'], join(work, copy, dirname(file))).status;
    if (verdict('original') === 0) expect(verdict('migrated')).toBe(0);
  });

  it('migrated the corpus', () => {
    expect(outcome.migrated).toBeGreaterThanOrEqual(70);
  });
});
