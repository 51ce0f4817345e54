/**
 * The nftables dataplane of `kalint run`: the transactions it sends for each
 * kind of change (captured), then for real in network namespaces: a client,
 * a director and two HTTP backends; 1,000 connections through the virtual
 * address follow the weights, a removed backend gets none, and an unrelated
 * service keeps its rules (same handles) and its persistent clients.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NftablesDataplane, nftRunner } from '../runtime/dataplane/nftables.ts';
import type { Destination, ServiceState, VirtualService } from '../runtime/dataplane/types.ts';

const usable = process.getuid?.() === 0 && spawnSync('nft', ['--version']).status === 0 && spawnSync('ip', ['-V']).status === 0;
if (!usable && !process.env['KALINT_SKIP_NETNS']) {
  throw new Error('the nftables dataplane test needs root, iproute2 and nftables (apt-get install nftables); set KALINT_SKIP_NETNS=1 to skip it');
}

const A = '10.10.1.2';
const B = '10.10.2.2';
const SORRY = '10.10.3.2';

const service = (address: string, extra: Partial<VirtualService> = {}): VirtualService => ({
  id: `tcp|${address}|80`,
  family: 4,
  protocol: 'tcp',
  address,
  port: 80,
  scheduler: 'wrr',
  flags: [],
  label: `virtual_server ${address} 80`,
  ...extra,
});
const to = (address: string, weight: number, forwarding: Destination['forwarding'] = 'NAT'): Destination => ({ address, port: 80, weight, forwarding });
/** The service under test: weighted round robin over the backends. */
const web = (...destinations: Destination[]): ServiceState => ({ service: service('10.10.0.100'), destinations });
/** An unrelated service with persistent clients. */
const app = (...destinations: Destination[]): ServiceState => ({ service: service('10.10.0.101', { scheduler: 'rr', persistence: { timeout: 600 } }), destinations });

function capture(options: ConstructorParameters<typeof NftablesDataplane>[0] = {}) {
  const sent: string[] = [];
  const warnings: string[] = [];
  const dataplane = new NftablesDataplane({ nft: async (rules) => void sent.push(rules), warn: (m) => warnings.push(m), ...options });
  return { dataplane, sent, warnings, last: () => sent.at(-1)!.trimEnd().split('\n') };
}

describe('nftables dataplane transactions', () => {
  it('installs the whole tables first, residue of an earlier run deleted in the same transaction', async () => {
    const { dataplane, sent } = capture();
    await dataplane.apply([web(to(A, 1), to(B, 3))]);
    expect(sent).toHaveLength(1);
    const lines = sent[0]!.split('\n');
    expect(lines.slice(0, 5)).toEqual(['table inet kalint_lvs', 'delete table inet kalint_lvs', 'table netdev kalint_lvs', 'delete table netdev kalint_lvs', 'table inet kalint_lvs {']);
    expect(lines).toContain('            10.10.0.100 . tcp . 80 : goto svc_tcp_10_10_0_100_80');
    expect(sent[0]).toContain('    chain svc_tcp_10_10_0_100_80 {\n        dnat ip to numgen inc mod 4 map { 0 : 10.10.1.2, 1-3 : 10.10.2.2 } comment "virtual_server 10.10.0.100 80"\n    }\n');
  });

  it('adds a service with its chains, persistence map and dispatch entries only', async () => {
    const { dataplane, last } = capture();
    await dataplane.apply([web(to(A, 1), to(B, 3))]);
    await dataplane.apply([web(to(A, 1), to(B, 3)), app(to(A, 1), to(B, 1))]);
    expect(last()).toEqual([
      'add map inet kalint_lvs svc_tcp_10_10_0_101_80_clients { type ipv4_addr : ipv4_addr; flags dynamic,timeout; timeout 600s; }',
      'add chain inet kalint_lvs svc_tcp_10_10_0_101_80',
      'add rule inet kalint_lvs svc_tcp_10_10_0_101_80 dnat ip to ip saddr map @svc_tcp_10_10_0_101_80_clients comment "virtual_server 10.10.0.101 80: persistent clients"',
      'add rule inet kalint_lvs svc_tcp_10_10_0_101_80 dnat ip to numgen inc mod 2 map { 0 : 10.10.1.2, 1 : 10.10.2.2 } comment "virtual_server 10.10.0.101 80"',
      'add chain inet kalint_lvs svc_tcp_10_10_0_101_80_persist',
      'add rule inet kalint_lvs svc_tcp_10_10_0_101_80_persist ip daddr { 10.10.1.2, 10.10.2.2 } update @svc_tcp_10_10_0_101_80_clients { ip saddr : ip daddr } comment "virtual_server 10.10.0.101 80"',
      'add element inet kalint_lvs persistent4 { 10.10.0.101 . tcp . 80 : goto svc_tcp_10_10_0_101_80_persist }',
      'add element inet kalint_lvs services4 { 10.10.0.101 . tcp . 80 : goto svc_tcp_10_10_0_101_80 }',
    ]);
  });

  it('rewrites only the scheduling chain on a weight change, keeping the persistent clients', async () => {
    const { dataplane, last } = capture();
    await dataplane.apply([web(to(A, 1), to(B, 3)), app(to(A, 1), to(B, 1))]);
    await dataplane.apply([web(to(A, 1), to(B, 1)), app(to(A, 1), to(B, 1))]);
    expect(last()).toEqual([
      'flush chain inet kalint_lvs svc_tcp_10_10_0_100_80',
      'add rule inet kalint_lvs svc_tcp_10_10_0_100_80 dnat ip to numgen inc mod 2 map { 0 : 10.10.1.2, 1 : 10.10.2.2 } comment "virtual_server 10.10.0.100 80"',
    ]);
    // A drained destination keeps its persistent clients, as IPVS keeps its templates.
    await dataplane.apply([web(to(A, 1), to(B, 1)), app(to(A, 0), to(B, 1))]);
    expect(last()).toEqual([
      'flush chain inet kalint_lvs svc_tcp_10_10_0_101_80',
      'add rule inet kalint_lvs svc_tcp_10_10_0_101_80 dnat ip to ip saddr map @svc_tcp_10_10_0_101_80_clients comment "virtual_server 10.10.0.101 80: persistent clients"',
      'add rule inet kalint_lvs svc_tcp_10_10_0_101_80 dnat ip to numgen inc mod 1 map { 0 : 10.10.2.2 } comment "virtual_server 10.10.0.101 80"',
    ]);
  });

  it('forgets the persistent clients of a removed destination', async () => {
    const { dataplane, last } = capture();
    await dataplane.apply([web(to(A, 1), to(B, 3)), app(to(A, 1), to(B, 1))]);
    await dataplane.apply([web(to(A, 1), to(B, 3)), app(to(B, 1))]);
    expect(last()).toEqual([
      'flush chain inet kalint_lvs svc_tcp_10_10_0_101_80',
      'flush chain inet kalint_lvs svc_tcp_10_10_0_101_80_persist',
      'flush map inet kalint_lvs svc_tcp_10_10_0_101_80_clients',
      'add rule inet kalint_lvs svc_tcp_10_10_0_101_80 dnat ip to ip saddr map @svc_tcp_10_10_0_101_80_clients comment "virtual_server 10.10.0.101 80: persistent clients"',
      'add rule inet kalint_lvs svc_tcp_10_10_0_101_80 dnat ip to numgen inc mod 1 map { 0 : 10.10.2.2 } comment "virtual_server 10.10.0.101 80"',
      'add rule inet kalint_lvs svc_tcp_10_10_0_101_80_persist ip daddr { 10.10.2.2 } update @svc_tcp_10_10_0_101_80_clients { ip saddr : ip daddr } comment "virtual_server 10.10.0.101 80"',
    ]);
  });

  it('sends everything to the sorry server when every real server is down, and refuses connections without one', async () => {
    const { dataplane, last } = capture();
    await dataplane.apply([web(to(A, 1), to(B, 3))]);
    // keepalived's checker swaps the real servers for the sorry server.
    await dataplane.apply([web(to(SORRY, 1))]);
    expect(last()).toEqual([
      'flush chain inet kalint_lvs svc_tcp_10_10_0_100_80',
      'add rule inet kalint_lvs svc_tcp_10_10_0_100_80 dnat ip to numgen inc mod 1 map { 0 : 10.10.3.2 } comment "virtual_server 10.10.0.100 80"',
    ]);
    await dataplane.apply([web()]);
    expect(last()).toEqual(['flush chain inet kalint_lvs svc_tcp_10_10_0_100_80', 'add rule inet kalint_lvs svc_tcp_10_10_0_100_80 reject comment "virtual_server 10.10.0.100 80: no real server"']);
  });

  it('drops the persistence of a service left without destination', async () => {
    const { dataplane, last } = capture();
    await dataplane.apply([app(to(A, 1), to(B, 1))]);
    await dataplane.apply([app(to(A, 0), to(B, 0))]);
    expect(last()).toEqual([
      'delete element inet kalint_lvs persistent4 { 10.10.0.101 . tcp . 80 }',
      'delete chain inet kalint_lvs svc_tcp_10_10_0_101_80_persist',
      'flush chain inet kalint_lvs svc_tcp_10_10_0_101_80',
      'delete map inet kalint_lvs svc_tcp_10_10_0_101_80_clients',
      'add rule inet kalint_lvs svc_tcp_10_10_0_101_80 reject comment "virtual_server 10.10.0.101 80: no real server"',
    ]);
  });

  it('removes a service: its dispatch entries, chains and map', async () => {
    const { dataplane, last } = capture();
    await dataplane.apply([web(to(A, 1), to(B, 3)), app(to(A, 1), to(B, 1))]);
    await dataplane.apply([web(to(A, 1), to(B, 3))]);
    expect(last()).toEqual([
      'delete element inet kalint_lvs persistent4 { 10.10.0.101 . tcp . 80 }',
      'delete element inet kalint_lvs services4 { 10.10.0.101 . tcp . 80 }',
      'delete chain inet kalint_lvs svc_tcp_10_10_0_101_80',
      'delete chain inet kalint_lvs svc_tcp_10_10_0_101_80_persist',
      'delete map inet kalint_lvs svc_tcp_10_10_0_101_80_clients',
    ]);
  });

  it('hooks the ingress of an interface while a direct-routing service uses it', async () => {
    const { dataplane, last } = capture({ table: 'lb', device: () => 'eth1' });
    await dataplane.apply([web(to(A, 1), to(B, 3))]);
    await dataplane.apply([web(to(A, 1), to(B, 3)), app(to(A, 1, 'DR'), to(B, 1, 'DR'))]);
    expect(last()).toEqual([
      'add chain netdev lb ingress_eth1 { type filter hook ingress device "eth1" priority 0; policy accept; }',
      'add rule netdev lb ingress_eth1 meta iifname . meta protocol . meta mark vmap @marks',
      'add rule netdev lb ingress_eth1 meta iifname . ip daddr . meta l4proto . th dport vmap @services4',
      'add rule netdev lb ingress_eth1 meta iifname . ip6 daddr . meta l4proto . th dport vmap @services6',
      'add chain netdev lb svc_tcp_10_10_0_101_80_dr',
      'add rule netdev lb svc_tcp_10_10_0_101_80_dr fwd ip to jhash ip saddr mod 2 map { 0 : 10.10.1.2, 1 : 10.10.2.2 } device "eth1" comment "virtual_server 10.10.0.101 80"',
      'add element netdev lb services4 { "eth1" . 10.10.0.101 . tcp . 80 : goto svc_tcp_10_10_0_101_80_dr }',
    ]);
    await dataplane.apply([web(to(A, 1), to(B, 3))]);
    expect(last()).toEqual([
      'delete element netdev lb services4 { "eth1" . 10.10.0.101 . tcp . 80 }',
      'delete chain netdev lb svc_tcp_10_10_0_101_80_dr',
      'delete chain netdev lb ingress_eth1',
    ]);
  });

  it('groups persistent clients by the persistence granularity', async () => {
    const { dataplane, sent } = capture();
    const v6: ServiceState = {
      service: { ...service('2001:db8::100', { scheduler: 'rr', persistence: { timeout: 60, netmask: 64 } }), family: 6 },
      destinations: [to('2001:db8:1::2', 1)],
    };
    await dataplane.apply([{ ...app(to(A, 1)), service: service('10.10.0.101', { scheduler: 'rr', persistence: { timeout: 60, netmask: '255.255.255.0' } }) }, v6]);
    expect(sent[0]).toContain('update @svc_tcp_10_10_0_101_80_clients { ip saddr & 255.255.255.0 : ip daddr }');
    expect(sent[0]).toContain('dnat ip6 to ip6 saddr & ffff:ffff:ffff:ffff:0:0:0:0 map @svc_tcp_2001_db8__100_80_clients');
  });

  it('sends nothing when nothing changed, and reports an approximation once', async () => {
    const { dataplane, sent, warnings } = capture();
    const wlc: ServiceState = { service: service('10.10.0.100', { scheduler: 'wlc' }), destinations: [to(A, 1)] };
    await dataplane.apply([wlc]);
    await dataplane.apply([{ ...wlc, destinations: [to(A, 1)] }]);
    await dataplane.apply([{ ...wlc, destinations: [to(A, 2)] }]);
    expect(sent).toHaveLength(2);
    expect(warnings).toEqual(['virtual_server 10.10.0.100 80: scheduler wlc counts connections, which nftables cannot; approximated by weighted round robin']);
  });

  it('keeps the applied state when nft refuses a transaction, and applies one at a time', async () => {
    const sent: string[] = [];
    let refuse = false;
    let running = 0;
    const dataplane = new NftablesDataplane({
      nft: async (rules) => {
        expect(++running).toBe(1);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        if (refuse) throw new Error('Error: Could not process rule: No such file or directory');
        sent.push(rules);
      },
    });
    await Promise.all([dataplane.apply([web(to(A, 1))]), dataplane.apply([web(to(A, 1), to(B, 1))])]);
    refuse = true;
    await expect(dataplane.apply([web(to(B, 1))])).rejects.toThrow('No such file or directory');
    refuse = false;
    // Still a change from what the kernel holds.
    await dataplane.apply([web(to(A, 1), to(B, 1))]);
    expect(sent).toHaveLength(2);
    await dataplane.apply([web(to(B, 1))]);
    expect(sent.at(-1)).toContain('map { 0 : 10.10.2.2 }');
  });

  it('deletes its tables on close, whether or not they are there', async () => {
    const { dataplane, sent } = capture({ table: 'lb' });
    await dataplane.close();
    expect(sent).toEqual([]);
    await dataplane.apply([web(to(A, 1))]);
    await dataplane.close();
    expect(sent.at(-1)).toBe('table inet lb\ndelete table inet lb\ntable netdev lb\ndelete table netdev lb\n');
  });
});

const id = `${process.pid.toString(36)}${Math.floor(Math.random() * 36 ** 2).toString(36)}`;
const ns = { client: `kd${id}c`, director: `kd${id}d`, b1: `kd${id}1`, b2: `kd${id}2` };
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
const inNs = (name: string, ...args: string[]) => execFileSync('ip', ['netns', 'exec', name, ...args], { stdio: 'pipe', encoding: 'utf8' });

function link(a: string, aIf: string, aAddr: string, b: string, bIf: string, bAddr: string): void {
  ip('link', 'add', aIf, 'netns', a, 'type', 'veth', 'peer', 'name', bIf, 'netns', b);
  ip('-n', a, 'addr', 'add', aAddr, 'dev', aIf);
  ip('-n', b, 'addr', 'add', bAddr, 'dev', bIf);
  ip('-n', a, 'link', 'set', 'dev', aIf, 'up');
  ip('-n', b, 'link', 'set', 'dev', bIf, 'up');
}

const SERVER = `require('http').createServer((q, r) => r.end(process.argv[1])).listen(80, () => console.log('listening'));`;
/** `count` connections, one after the other, to the address in argv; prints the answers by backend and the failures by error code. */
const CLIENT = `
const http = require('http');
const counts = {};
let left = Number(process.argv[2]);
const next = () => {
  if (!left--) return console.log(JSON.stringify(counts));
  http.get({ host: process.argv[1], port: 80, agent: false }, (res) => {
    let body = '';
    res.on('data', (d) => (body += d));
    res.on('end', () => { counts[body] = (counts[body] ?? 0) + 1; next(); });
  }).on('error', (e) => { counts[e.code] = (counts[e.code] ?? 0) + 1; next(); });
};
next();`;
const connect = (vip: string, count: number) => JSON.parse(inNs(ns.client, process.execPath, '-e', CLIENT, vip, String(count))) as Record<string, number>;

describe.skipIf(!usable)('nftables dataplane in namespaces', () => {
  const servers: ChildProcess[] = [];
  const dataplane = new NftablesDataplane({ nft: nftRunner(['ip', 'netns', 'exec', ns.director, 'nft']) });
  const table = () => inNs(ns.director, 'nft', '-a', 'list', 'table', 'inet', 'kalint_lvs');
  /** The unrelated service's chains as nft lists them, handles included. */
  const appChains = () => [...table().matchAll(/^\tchain svc_tcp_10_10_0_101_80(?:_persist)? \{[^]*?^\t\}/gm)].map((m) => m[0]);
  const appClients = () => inNs(ns.director, 'nft', 'list', 'map', 'inet', 'kalint_lvs', 'svc_tcp_10_10_0_101_80_clients');
  let appBefore: string[] = [];

  beforeAll(async () => {
    for (const name of Object.values(ns)) ip('netns', 'add', name);
    for (const name of Object.values(ns)) ip('-n', name, 'link', 'set', 'lo', 'up');
    link(ns.director, 'dc', '10.10.0.1/24', ns.client, 'cd', '10.10.0.2/24');
    ip('-n', ns.director, 'addr', 'add', '10.10.0.100/32', 'dev', 'dc');
    ip('-n', ns.director, 'addr', 'add', '10.10.0.101/32', 'dev', 'dc');
    link(ns.director, 'd1', '10.10.1.1/24', ns.b1, 'eth0', `${A}/24`);
    link(ns.director, 'd2', '10.10.2.1/24', ns.b2, 'eth0', `${B}/24`);
    ip('-n', ns.b1, 'route', 'add', 'default', 'via', '10.10.1.1');
    ip('-n', ns.b2, 'route', 'add', 'default', 'via', '10.10.2.1');
    inNs(ns.director, 'sysctl', '-qw', 'net.ipv4.ip_forward=1');
    // The director answers too: a connection it does not forward reaches it instead of being refused.
    for (const [name, label] of [
      [ns.b1, 'A'],
      [ns.b2, 'B'],
      [ns.director, 'director'],
    ] as const) {
      const server = spawn('ip', ['netns', 'exec', name, process.execPath, '-e', SERVER, label], { stdio: ['ignore', 'pipe', 'inherit'] });
      servers.push(server);
      await new Promise((resolve) => server.stdout!.once('data', resolve));
    }
  }, 60_000);

  afterAll(() => {
    for (const s of servers) s.kill();
    for (const name of Object.values(ns)) spawnSync('ip', ['netns', 'del', name]);
  });

  it('splits 1,000 connections 1:3 by weight; the unrelated service remembers its client', async () => {
    await dataplane.apply([web(to(A, 1), to(B, 3)), app(to(A, 1), to(B, 1))]);
    const counts = connect('10.10.0.100', 1000);
    expect(Object.keys(counts).sort()).toEqual(['A', 'B']);
    expect(Math.abs(counts['A']! - 250)).toBeLessThanOrEqual(25);
    expect(Math.abs(counts['B']! - 750)).toBeLessThanOrEqual(75);
    expect(Object.values(connect('10.10.0.101', 20))).toEqual([20]);
    expect(appClients()).toMatch(/10\.10\.0\.2 [^:,]*: 10\.10\.[12]\.2/);
    appBefore = appChains();
    expect(appBefore).toHaveLength(2);
    expect(appBefore.join('\n')).toMatch(/# handle \d+\n[^]*# handle \d+/);
  }, 120_000);

  it('sends nothing to a removed backend once the apply resolves, and leaves the other service alone', async () => {
    const webBefore = table().match(/^\tchain svc_tcp_10_10_0_100_80 \{[^]*?^\t\}/m)![0];
    await dataplane.apply([web(to(B, 3)), app(to(A, 1), to(B, 1))]);
    expect(connect('10.10.0.100', 1000)).toEqual({ B: 1000 });
    // The check above is worth something only if the service's own rules did change.
    expect(table().match(/^\tchain svc_tcp_10_10_0_100_80 \{[^]*?^\t\}/m)![0]).not.toBe(webBefore);
    expect(appChains()).toEqual(appBefore);
    expect(appClients()).toMatch(/10\.10\.0\.2 [^:,]*: 10\.10\.[12]\.2/);
  }, 120_000);

  it('splits again when the backend comes back', async () => {
    await dataplane.apply([web(to(A, 1), to(B, 3)), app(to(A, 1), to(B, 1))]);
    const counts = connect('10.10.0.100', 1000);
    expect(Object.keys(counts).sort()).toEqual(['A', 'B']);
    expect(Math.abs(counts['A']! - 250)).toBeLessThanOrEqual(25);
    expect(Math.abs(counts['B']! - 750)).toBeLessThanOrEqual(75);
    expect(appChains()).toEqual(appBefore);
    expect(Object.values(connect('10.10.0.101', 20))).toEqual([20]);
  }, 120_000);

  it('refuses connections to a service without destination, as IPVS does', async () => {
    await dataplane.apply([web(), app(to(A, 1), to(B, 1))]);
    // ICMP port unreachable, which the kernel rate-limits: a few connections only.
    expect(connect('10.10.0.100', 5)).toEqual({ ECONNREFUSED: 5 });
    expect(appChains()).toEqual(appBefore);
  }, 60_000);

  it('removes its tables on close', async () => {
    expect(inNs(ns.director, 'nft', 'list', 'tables')).toContain('table inet kalint_lvs');
    await dataplane.close();
    expect(inNs(ns.director, 'nft', 'list', 'tables')).not.toContain('kalint_lvs');
  });
});
