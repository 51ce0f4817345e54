/** Cluster rules: the nodes' configurations compared, on fixture clusters and on small inline ones. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flatten, memoryHost, nodeHost, readConfig } from '../grammar/index.ts';
import { type ClusterNode, lintCluster, nodeLabel, priorityTable, virtualRouters } from '../lint/cluster.ts';
import { clusterRules } from '../lint/cluster-rules/index.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures/cluster');

function fixture(name: string): ClusterNode[] {
  const dir = join(FIXTURES, name);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.conf'))
    .sort()
    .map((f) => {
      const result = readConfig(f, { host: nodeHost(dir), configId: 'x' });
      if ('error' in result) throw new Error(result.error);
      return { label: nodeLabel(result.config), result };
    });
}

function inline(files: Record<string, string>): ClusterNode[] {
  return Object.entries(files).map(([name, text]) => {
    const result = readConfig(`/etc/${name}`, { host: memoryHost({ [`/etc/${name}`]: text }), configId: 'x' });
    if ('error' in result) throw new Error(result.error);
    return { label: name, result };
  });
}

/** `file:line rule` of the cluster diagnostics, of one rule when given. */
const found = (nodes: ClusterNode[], ruleId?: string) =>
  lintCluster(nodes, clusterRules)
    .filter((d) => !ruleId || d.ruleId === ruleId)
    .map((d) => `${flatten(d).file}:${flatten(d).line} ${d.ruleId}`);

const instance = (vrid: number, body: string) => `vrrp_instance VI_${vrid} {\n    interface eth0\n    virtual_router_id ${vrid}\n${body}}\n`;
const vip = (a: string) => `    virtual_ipaddress {\n        ${a}\n    }\n`;

describe('cluster fixtures', () => {
  it('finds nothing wrong with the seed article\'s unicast pair', () => {
    expect(found(fixture('seed-unicast'))).toEqual([]);
  });

  it('reports a master/master setup whose priorities are not mirrored', () => {
    expect(found(fixture('master-master-broken'))).toEqual(['lb2.conf:17 cluster-master-master-not-mirrored']);
  });

  it('reports the node of a three-node unicast cluster that misses a peer', () => {
    const d = lintCluster(fixture('unicast-three-node'), clusterRules);
    expect(d.map((x) => `${flatten(x).file}:${flatten(x).line} ${x.ruleId}`)).toEqual(['node3.conf:11 cluster-unicast-asymmetric']);
    expect(d[0]!.message).toContain('10.1.0.2 (unicast_src_ip of node2)');
  });

  it('finds nothing wrong with the bundled example cluster', () => {
    const dir = join(import.meta.dirname, '../examples/cluster');
    const nodes = ['lb1.conf', 'lb2.conf'].map((f) => {
      const result = readConfig(f, { host: nodeHost(dir), configId: 'x' });
      if ('error' in result) throw new Error(result.error);
      return { label: nodeLabel(result.config), result };
    });
    expect(found(nodes)).toEqual([]);
  });
});

describe('virtual routers and the priority table', () => {
  it('groups instances by VRID and family', () => {
    const routers = virtualRouters(fixture('seed-unicast'));
    expect(routers.map((r) => [r.vrid, r.members.map((m) => m.node.label)])).toEqual([[66, ['KA1', 'KA2']]]);
  });

  it('shows who holds the VIP when each script fails', () => {
    const rows = priorityTable(virtualRouters(fixture('seed-unicast')));
    expect(rows.map((r) => [r.scenario, r.priorities.map((p) => p.priority), r.holder])).toEqual([
      ['all scripts pass', [100, 80], 'KA1'],
      ['check_test fails on KA1', [70, 80], 'KA2'],
      ['check_test fails on KA2', [100, 50], 'KA1'],
    ]);
  });
});

describe('cluster rules', () => {
  it('cluster-vrid-mismatch', () => {
    expect(found(inline({ a: instance(51, vip('10.0.0.100/24')), b: instance(52, vip('10.0.0.100/24')) }))).toContain('/etc/b:3 cluster-vrid-mismatch');
  });

  it('cluster-vip-mismatch', () => {
    expect(found(inline({ a: instance(51, vip('10.0.0.100/24')), b: instance(51, vip('10.0.0.101/24')) }), 'cluster-vip-mismatch')).toEqual([
      '/etc/b:4 cluster-vip-mismatch',
    ]);
  });

  it('cluster-advert-int-mismatch: an error for VRRPv2, a warning for v3', () => {
    const severity = (a: string, b: string) =>
      lintCluster(inline({ a: instance(51, a), b: instance(51, b) }), clusterRules)
        .filter((d) => d.ruleId === 'cluster-advert-int-mismatch')
        .map((d) => d.severity);
    expect(severity('    advert_int 1\n', '    advert_int 2\n')).toEqual(['error']);
    expect(severity('    version 3\n    advert_int 1\n', '    version 3\n    advert_int 2\n')).toEqual(['warning']);
  });

  it('cluster-version-mismatch', () => {
    expect(found(inline({ a: instance(51, '    version 2\n'), b: instance(51, '    version 3\n') }), 'cluster-version-mismatch')).toEqual([
      '/etc/b:4 cluster-version-mismatch',
    ]);
  });

  it('cluster-auth-mismatch, but only for the first 8 characters keepalived uses', () => {
    const auth = (p: string) => `    authentication {\n        auth_type PASS\n        auth_pass ${p}\n    }\n`;
    expect(found(inline({ a: instance(51, auth('secret01')), b: instance(51, auth('secret02')) }), 'cluster-auth-mismatch')).toEqual([
      '/etc/b:4 cluster-auth-mismatch',
    ]);
    expect(found(inline({ a: instance(51, auth('secret01')), b: instance(51, auth('secret01x')) }), 'cluster-auth-mismatch')).toEqual([]);
  });

  it('cluster-unicast-asymmetric: one unicast node and one multicast node', () => {
    const d = found(inline({ a: instance(51, '    unicast_src_ip 10.0.0.1\n    unicast_peer {\n        10.0.0.2\n    }\n'), b: instance(51, '') }), 'cluster-unicast-asymmetric');
    expect(d).toEqual(['/etc/a:5 cluster-unicast-asymmetric']);
  });

  it('cluster-unicast-asymmetric: a configuration copied with its unicast_src_ip', () => {
    const node = (src: string, peer: string) => instance(51, `    unicast_src_ip ${src}\n    unicast_peer {\n        ${peer}\n    }\n`);
    expect(found(inline({ a: node('10.0.0.1', '10.0.0.2'), b: node('10.0.0.1', '10.0.0.2') }), 'cluster-unicast-asymmetric')).toEqual(['/etc/a:4 cluster-unicast-asymmetric']);
    expect(found(inline({ a: node('10.0.0.1', '10.0.0.2'), b: node('10.0.0.2', '10.0.0.1') }), 'cluster-unicast-asymmetric')).toEqual([]);
  });

  it('cluster-priority-tie', () => {
    expect(found(inline({ a: instance(51, '    state MASTER\n    priority 100\n'), b: instance(51, '    priority 100\n') }))).toEqual(['/etc/b:4 cluster-priority-tie']);
  });

  it('cluster-two-masters and cluster-no-master', () => {
    expect(found(inline({ a: instance(51, '    state MASTER\n    priority 150\n'), b: instance(51, '    state MASTER\n    priority 100\n') }))).toEqual([
      '/etc/b:4 cluster-two-masters',
    ]);
    expect(found(inline({ a: instance(51, '    priority 100\n'), b: instance(51, '    priority 100\n') }))).toEqual([
      '/etc/b:4 cluster-priority-tie',
      '/etc/b:4 cluster-no-master',
    ]);
  });

  it('cluster-instance-missing', () => {
    expect(found(inline({ a: instance(51, '') + instance(52, ''), b: instance(51, '') }), 'cluster-instance-missing')).toEqual(['/etc/a:7 cluster-instance-missing']);
  });

  it('script-weight-cannot-failover: too small a weight, or a backup that does not preempt', () => {
    const script = 'vrrp_script chk {\n    script "/bin/true"\n    weight -10\n}\n';
    const track = '    track_script {\n        chk\n    }\n';
    const small = found(inline({ a: script + instance(51, `    priority 150\n${track}`), b: instance(51, '    priority 100\n') }));
    expect(small).toEqual(['/etc/a:10 script-weight-cannot-failover']);
    const bigger = 'vrrp_script chk {\n    script "/bin/true"\n    weight -60\n}\n';
    expect(found(inline({ a: bigger + instance(51, `    priority 150\n${track}`), b: instance(51, '    priority 100\n') }))).toEqual([]);
    const nopreempt = found(inline({ a: bigger + instance(51, `    priority 150\n${track}`), b: instance(51, '    priority 100\n    nopreempt\n') }));
    expect(nopreempt).toEqual(['/etc/a:10 script-weight-cannot-failover']);
  });
});
