/**
 * kalint translate --to nftables, for real: a client, a director and two
 * HTTP backends in network namespaces of their own; the director loads the
 * ruleset with nft -f and forwards the virtual address by NAT; 1,000
 * requests from the client must split across the backends by their weights.
 * Also: the ruleset of every fixture and Debian sample passes nft's check.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigText } from '../grammar/index.ts';
import { toIpvsadm, toNftables } from '../translate/index.ts';
import { CORPUS } from './helpers/corpus.ts';

const usable = process.getuid?.() === 0 && spawnSync('nft', ['--version']).status === 0 && spawnSync('ip', ['-V']).status === 0;
if (!usable && !process.env['KALINT_SKIP_NETNS']) {
  throw new Error('the nftables test needs root, iproute2 and nftables (apt-get install nftables); set KALINT_SKIP_NETNS=1 to skip it');
}

const CONFIG = `virtual_server 10.10.0.100 80 {
    delay_loop 6
    lvs_sched wrr
    lvs_method NAT
    protocol TCP
    real_server 10.10.1.2 80 {
        weight 1
    }
    real_server 10.10.2.2 80 {
        weight 3
    }
    real_server 10.10.3.2 80 {
        weight 0
    }
}
`;

const id = process.pid.toString(36);
const ns = { client: `kn${id}c`, director: `kn${id}d`, b1: `kn${id}1`, b2: `kn${id}2` };
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
const inNs = (name: string, ...args: string[]) => execFileSync('ip', ['netns', 'exec', name, ...args], { stdio: 'pipe', encoding: 'utf8' });

function link(a: string, aIf: string, aAddr: string, b: string, bIf: string, bAddr: string): void {
  ip('link', 'add', aIf, 'netns', a, 'type', 'veth', 'peer', 'name', bIf, 'netns', b);
  ip('-n', a, 'addr', 'add', aAddr, 'dev', aIf);
  ip('-n', b, 'addr', 'add', bAddr, 'dev', bIf);
  ip('-n', a, 'link', 'set', 'dev', aIf, 'up');
  ip('-n', b, 'link', 'set', 'dev', bIf, 'up');
}

/** Loads the ruleset kalint makes of `config` on the director (replacing the previous one). */
function load(config: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'kalint-nft-'));
  writeFileSync(join(dir, 'rules.nft'), toNftables(readConfigText(config, '/t/keepalived.conf').config).text);
  inNs(ns.director, 'nft', '-f', join(dir, 'rules.nft'));
}

const SERVER = `require('http').createServer((q, r) => r.end(process.argv[1])).listen(80, () => console.log('listening'));`;
const CLIENT = `
const http = require('http');
const counts = {};
let left = 1000;
const next = () => {
  if (!left--) return console.log(JSON.stringify(counts));
  http.get({ host: '10.10.0.100', port: 80, agent: false }, (res) => {
    let body = '';
    res.on('data', (d) => (body += d));
    res.on('end', () => { counts[body] = (counts[body] ?? 0) + 1; next(); });
  }).on('error', (e) => { counts.error = (counts.error ?? 0) + 1; next(); });
};
next();`;

describe.skipIf(!usable)('nftables ruleset in namespaces', () => {
  const servers: ChildProcess[] = [];

  beforeAll(async () => {
    for (const name of Object.values(ns)) ip('netns', 'add', name);
    for (const name of Object.values(ns)) ip('-n', name, 'link', 'set', 'lo', 'up');
    link(ns.director, 'dc', '10.10.0.1/24', ns.client, 'cd', '10.10.0.2/24');
    ip('-n', ns.director, 'addr', 'add', '10.10.0.100/32', 'dev', 'dc');
    link(ns.director, 'd1', '10.10.1.1/24', ns.b1, 'eth0', '10.10.1.2/24');
    link(ns.director, 'd2', '10.10.2.1/24', ns.b2, 'eth0', '10.10.2.2/24');
    ip('-n', ns.b1, 'route', 'add', 'default', 'via', '10.10.1.1');
    ip('-n', ns.b2, 'route', 'add', 'default', 'via', '10.10.2.1');
    inNs(ns.director, 'sysctl', '-qw', 'net.ipv4.ip_forward=1');
    load(CONFIG);
    for (const [name, label] of [
      [ns.b1, 'b1'],
      [ns.b2, 'b2'],
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

  it('splits 1,000 client connections through the virtual address by weight (1:3), none to the drained server', () => {
    const counts = JSON.parse(inNs(ns.client, process.execPath, '-e', CLIENT)) as Record<string, number>;
    expect(counts['error']).toBeUndefined();
    expect(counts['b1']! + counts['b2']!).toBe(1000);
    expect(Math.abs(counts['b1']! - 250)).toBeLessThanOrEqual(25);
    expect(Math.abs(counts['b2']! - 750)).toBeLessThanOrEqual(75);
  }, 120_000);

  it('keeps a client on one real server with persistence_timeout', () => {
    load(CONFIG.replace('    protocol TCP\n', '    protocol TCP\n    persistence_timeout 600\n'));
    const counts = JSON.parse(inNs(ns.client, process.execPath, '-e', CLIENT)) as Record<string, number>;
    expect(Object.values(counts)).toEqual([1000]);
  }, 120_000);
});

describe('nftables and ipvsadm output', () => {
  it('is a ruleset nft accepts for every fixture and Debian sample', () => {
    if (!usable) return;
    const dir = mkdtempSync(join(tmpdir(), 'kalint-nft-check-'));
    const check = `kn${id}k`;
    ip('netns', 'add', check);
    try {
      // The direct-routing rules name eth0.
      ip('-n', check, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth1');
      let checked = 0;
      for (const file of CORPUS) {
        const rules = toNftables(readConfigText(readFileSync(file, 'utf8'), file).config);
        writeFileSync(join(dir, 'r.nft'), rules.text);
        const r = spawnSync('ip', ['netns', 'exec', check, 'nft', '-c', '-f', join(dir, 'r.nft')], { encoding: 'utf8' });
        expect(r.status, `${file}\n${r.stderr}`).toBe(0);
        checked++;
      }
      expect(checked).toBeGreaterThan(60);
    } finally {
      spawnSync('ip', ['netns', 'del', check]);
    }
  });

  it('forwards direct routing on the interface of the instance that carries the VIP', () => {
    const dr = `vrrp_instance VI_1 {\n    interface ens3\n    virtual_router_id 1\n    virtual_ipaddress {\n        10.0.0.100/24 dev ens4\n    }\n}\nvirtual_server 10.0.0.100 80 {\n    lvs_sched rr\n    lvs_method DR\n    protocol TCP\n    real_server 10.0.0.11 80 {\n    }\n}\n`;
    const out = toNftables(readConfigText(dr, '/t/k.conf').config);
    expect(out.text).toContain('type filter hook ingress device "ens4" priority 0;');
    expect(out.text).toContain('"ens4" . 10.0.0.100 . tcp . 80 : goto svc_tcp_10_0_0_100_80_dr');
    expect(out.text).toContain('fwd ip to numgen inc mod 1 map { 0 : 10.0.0.11 } device "ens4"');
    expect(out.warnings).toEqual([]);
  });

  it('says that virtual server groups are not translated', () => {
    const group = 'virtual_server_group web {\n    10.0.0.1 80\n}\nvirtual_server group web {\n    lvs_sched rr\n    protocol TCP\n    real_server 10.0.1.1 80 {\n    }\n}\n';
    expect(toNftables(readConfigText(group, '/t/k.conf').config).warnings.map((w) => w.message)).toEqual([
      'virtual_server group web: groups are not translated; write a virtual_server per address',
    ]);
  });

  it('reports the approximations and writes ipvsadm-restore input', () => {
    const config = readConfigText(CONFIG.replace('lvs_sched wrr', 'lvs_sched wlc').replace('    protocol TCP\n', '    protocol TCP\n    persistence_timeout 600\n'), '/t/k.conf').config;
    expect(toNftables(config).warnings.map((w) => w.message)).toEqual([
      'virtual_server 10.10.0.100 80: scheduler wlc counts connections, which nftables cannot; approximated by weighted round robin',
    ]);
    expect(toNftables(config).text).toContain('timeout 600s');
    expect(toIpvsadm(readConfigText(CONFIG, '/t/k.conf').config).text).toBe(
      [
        '-A -t 10.10.0.100:80 -s wrr',
        '-a -t 10.10.0.100:80 -r 10.10.1.2:80 -m -w 1',
        '-a -t 10.10.0.100:80 -r 10.10.2.2:80 -m -w 3',
        '-a -t 10.10.0.100:80 -r 10.10.3.2:80 -m -w 0',
        '',
      ].join('\n'),
    );
  });
});
