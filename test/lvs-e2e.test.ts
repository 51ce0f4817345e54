/**
 * kalint run as an LVS director, end to end, in network namespaces (a prefix
 * unique to the run, removed afterwards): a client on the front bridge, two
 * directors holding the front VIP and the back gateway VIP in a sync group,
 * and on the back bridge two HTTP real servers and one TCP service, all
 * routed through the gateway VIP (LVS-NAT). The directors run `kalint run`
 * with the nftables dataplane, health-checking with HTTP_GET and TCP_CHECK.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const usable = process.getuid?.() === 0 && spawnSync('nft', ['--version']).status === 0 && spawnSync('ip', ['-V']).status === 0;
if (!usable && !process.env['KALINT_SKIP_NETNS']) {
  throw new Error('the LVS end-to-end test needs root, iproute2 and nftables; set KALINT_SKIP_NETNS=1 to skip it');
}

const P = `lv${process.pid.toString(36)}`;
const ns = (n: string) => `${P}-${n}`;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe', encoding: 'utf8' });
const inNs = (n: string, ...args: string[]) => execFileSync('ip', ['netns', 'exec', ns(n), ...args], { stdio: 'pipe', encoding: 'utf8' });
const VIP = '10.31.0.100';
const GATEWAY = '10.31.1.254';
const BACKENDS = { b1: '10.31.1.21', b2: '10.31.1.22', b3: '10.31.1.23' } as const;

function director(name: string, priority: number): string {
  const instance = (id: string, ifname: string, vrid: number, vip: string) => `vrrp_instance ${id} {
    state BACKUP
    interface ${ifname}
    virtual_router_id ${vrid}
    priority ${priority}
    advert_int 0.1
    virtual_ipaddress {
        ${vip}/24
    }
}
`;
  const web = (address: string, weight: number) => `    real_server ${address} 80 {
        weight ${weight}
        HTTP_GET {
            url {
                path /health
                status_code 200
            }
            connect_timeout 1
            retry 0
            delay_before_retry 1
        }
    }
`;
  return `global_defs {
    router_id ${name}
    vrrp_version 3
}
vrrp_sync_group G {
    group {
        EXT
        INT
    }
}
${instance('EXT', 'front', 61, VIP)}${instance('INT', 'back', 62, GATEWAY)}virtual_server ${VIP} 80 {
    delay_loop 1
    lvs_sched wrr
    lvs_method NAT
    protocol TCP
${web(BACKENDS.b1, 1)}${web(BACKENDS.b2, 3)}}
virtual_server ${VIP} 9000 {
    delay_loop 1
    lvs_sched rr
    lvs_method NAT
    protocol TCP
    real_server ${BACKENDS.b3} 9000 {
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
}
`;
}

/**
 * An HTTP server answering its name on / and the status held in `status` on /health; a TCP server on 9000 answering
 * its name, which ignores resets from TCP_CHECKs that close before the answer is written.
 */
const SERVER = `
const http = require('http');
let health = 200;
process.stdin.on('data', (d) => (health = Number(String(d).trim())));
http.createServer((q, r) => { if (q.url === '/health') { r.statusCode = health; r.end('health'); } else r.end(process.argv[1]); })
  .listen(80, () => console.log('listening'));
require('net').createServer((s) => s.on('error', () => {}).end(process.argv[1])).listen(9000);`;

/** `count` requests to the VIP, one connection each, counted by answer. */
const CLIENT = `
const http = require('http');
const counts = {};
let left = Number(process.argv[1]);
const port = Number(process.argv[2]);
const next = () => {
  if (!left--) return console.log(JSON.stringify(counts));
  if (port !== 80) {
    const s = require('net').connect({ host: '${VIP}', port, timeout: 2000 }, () => {});
    let body = '';
    s.on('data', (d) => (body += d)).on('end', () => { counts[body] = (counts[body] ?? 0) + 1; next(); });
    s.on('error', () => { counts.error = (counts.error ?? 0) + 1; next(); }).on('timeout', () => s.destroy(new Error('timeout')));
    return;
  }
  http.get({ host: '${VIP}', port, agent: false, timeout: 2000 }, (res) => {
    let body = '';
    res.on('data', (d) => (body += d));
    res.on('end', () => { counts[body] = (counts[body] ?? 0) + 1; next(); });
  }).on('error', () => { counts.error = (counts.error ?? 0) + 1; next(); }).on('timeout', function () { this.destroy(new Error('timeout')); });
};
next();`;

function requests(count: number, port = 80): Record<string, number> {
  return JSON.parse(inNs('c', process.execPath, '-e', CLIENT, String(count), String(port))) as Record<string, number>;
}

async function until(check: () => boolean, limit = 10_000, every = 20): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < limit) {
    if (check()) return performance.now() - start;
    await new Promise((r) => setTimeout(r, every));
  }
  return Number.POSITIVE_INFINITY;
}

describe.skipIf(!usable)('kalint run as an LVS director (nftables dataplane)', () => {
  let dir: string;
  const backends = new Map<string, ChildProcess>();
  const directors = new Map<string, ChildProcess>();
  const logs = new Map<string, string>();

  const startBackend = async (name: keyof typeof BACKENDS) => {
    const p = spawn('ip', ['netns', 'exec', ns(name), process.execPath, '-e', SERVER, name], { stdio: ['pipe', 'pipe', 'inherit'] });
    backends.set(name, p);
    await new Promise((resolve) => p.stdout!.once('data', resolve));
  };

  const startDirector = (name: string, priority: number) => {
    const file = join(dir, `${name}.conf`);
    writeFileSync(file, director(name, priority));
    const args = ['run', '-f', file, '-l', '--dataplane', 'nftables', '--control', join(dir, `${name}.sock`), '--metrics', '127.0.0.1:9101'];
    const p = spawn('ip', ['netns', 'exec', ns(name), process.execPath, join(ROOT, 'bin/kalint.js'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    logs.set(name, '');
    const append = (d: Buffer) => logs.set(name, logs.get(name)! + String(d));
    p.stdout!.on('data', append);
    p.stderr!.on('data', append);
    directors.set(name, p);
    return p;
  };

  const status = (name: string) =>
    JSON.parse(execFileSync(process.execPath, [join(ROOT, 'bin/kalint.js'), 'status', '--json', '--control', join(dir, `${name}.sock`)], { encoding: 'utf8' })) as {
      virtualServers: { service: string; realServers: { server: string; alive: boolean; inTable: boolean; weight: number }[] }[];
    };
  /** The weight each real server has in the dataplane table of `name` (absent: not in the table). */
  const table = (name: string) => {
    try {
      return Object.fromEntries(status(name).virtualServers.flatMap((vs) => vs.realServers.filter((r) => r.inTable).map((r) => [r.server, r.weight])));
    } catch {
      return {};
    }
  };
  const holds = (name: string, ifname: string, vip: string) => ip('-n', ns(name), 'addr', 'show', 'dev', ifname).includes(`${vip}/`);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kalint-lvs-'));
    ip('netns', 'add', ns('sw'));
    for (const br of ['front', 'back']) {
      ip('-n', ns('sw'), 'link', 'add', br, 'type', 'bridge');
      ip('-n', ns('sw'), 'link', 'set', br, 'up');
    }
    let port = 0;
    const attach = (node: string, ifname: string, bridge: string, address: string) => {
      const peer = `p${port++}`;
      ip('link', 'add', `${P}${peer}`, 'netns', ns(node), 'type', 'veth', 'peer', 'name', peer, 'netns', ns('sw'));
      ip('-n', ns(node), 'link', 'set', `${P}${peer}`, 'name', ifname);
      ip('-n', ns(node), 'addr', 'add', `${address}/24`, 'dev', ifname);
      ip('-n', ns(node), 'link', 'set', ifname, 'up');
      ip('-n', ns('sw'), 'link', 'set', peer, 'master', bridge);
      ip('-n', ns('sw'), 'link', 'set', peer, 'up');
    };
    for (const node of ['c', 'd1', 'd2', ...Object.keys(BACKENDS)]) {
      ip('netns', 'add', ns(node));
      ip('-n', ns(node), 'link', 'set', 'lo', 'up');
    }
    attach('c', 'eth0', 'front', '10.31.0.2');
    inNs('c', 'sysctl', '-qw', 'net.ipv4.conf.eth0.arp_accept=1');
    for (const [d, n] of [
      ['d1', 11],
      ['d2', 12],
    ] as const) {
      attach(d, 'front', 'front', `10.31.0.${n}`);
      attach(d, 'back', 'back', `10.31.1.${n}`);
      inNs(d, 'sysctl', '-qw', 'net.ipv4.ip_forward=1');
    }
    for (const [name, address] of Object.entries(BACKENDS)) {
      attach(name, 'eth0', 'back', address);
      ip('-n', ns(name), 'route', 'add', 'default', 'via', GATEWAY);
      inNs(name, 'sysctl', '-qw', 'net.ipv4.conf.eth0.arp_accept=1');
    }
  });

  afterEach(async () => {
    for (const p of [...directors.values(), ...backends.values()]) p.kill('SIGKILL');
    directors.clear();
    backends.clear();
    await new Promise((r) => setTimeout(r, 200));
    for (const d of ['d1', 'd2']) {
      spawnSync('ip', ['netns', 'exec', ns(d), 'nft', 'delete', 'table', 'inet', 'kalint_lvs']);
      for (const ifname of ['front', 'back']) spawnSync('ip', ['-n', ns(d), 'link', 'set', ifname, 'up']);
      for (const [ifname, vip] of [
        ['front', VIP],
        ['back', GATEWAY],
      ]) spawnSync('ip', ['-n', ns(d), 'addr', 'del', `${vip}/24`, 'dev', ifname!]);
    }
  });

  afterAll(() => {
    for (const node of ['c', 'd1', 'd2', 'sw', ...Object.keys(BACKENDS)]) spawnSync('ip', ['netns', 'del', ns(node)]);
  });

  const start = async () => {
    for (const b of Object.keys(BACKENDS) as (keyof typeof BACKENDS)[]) await startBackend(b);
    startDirector('d1', 150);
    expect(await until(() => holds('d1', 'front', VIP) && holds('d1', 'back', GATEWAY))).toBeLessThan(5000);
    expect(await until(() => Object.keys(table('d1')).length === 3)).toBeLessThan(5000);
  };

  it('splits requests through the VIP by weight and answers the TCP service', async () => {
    await start();
    const counts = requests(1000);
    expect(counts['error']).toBeUndefined();
    expect(counts['b1']! + counts['b2']!).toBe(1000);
    expect(Math.abs(counts['b2']! / 1000 - 0.75)).toBeLessThan(0.1);
    expect(requests(20, 9000)).toEqual({ b3: 20 });
    const text = execFileSync(process.execPath, [join(ROOT, 'bin/kalint.js'), 'status', '--control', join(dir, 'd1.sock')], { encoding: 'utf8' });
    expect(text).toContain(
      [
        'VIRTUAL SERVER          QUORUM  REAL SERVER            CHECKS  WEIGHT',
        '[10.31.0.100]:tcp:80    up      [10.31.1.21]:tcp:80    up      1',
        '[10.31.0.100]:tcp:80    up      [10.31.1.22]:tcp:80    up      3',
        '[10.31.0.100]:tcp:9000  up      [10.31.1.23]:tcp:9000  up      1',
        'dataplane nftables: up to date',
      ].join('\n'),
    );
    const scrape = `require('http').get('http://127.0.0.1:9101/metrics', (r) => { let b = ''; r.on('data', (d) => (b += d)); r.on('end', () => console.log(b)); });`;
    const metrics = inNs('d1', process.execPath, '-e', scrape);
    expect(metrics).toContain('kalint_lvs_real_server_up{virtual_server="[10.31.0.100]:tcp:80",real_server="[10.31.1.22]:tcp:80"} 1');
    expect(metrics).toContain('kalint_lvs_real_server_weight{virtual_server="[10.31.0.100]:tcp:80",real_server="[10.31.1.22]:tcp:80"} 3');
    expect(metrics).toMatch(/kalint_lvs_checks_total\{virtual_server="\[10.31.0.100\]:tcp:9000",real_server="\[10.31.1.23\]:tcp:9000",checker="TCP CHECK",result="up"\} [1-9]/);
    expect(metrics).toMatch(/kalint_lvs_dataplane_update_seconds_count\{dataplane="nftables",result="ok"\} [1-9]/);
  }, 60_000);

  it('removes a stopped real server within delay_loop + connect_timeout, fails no request after that, and takes it back', async () => {
    await start();
    backends.get('b1')!.kill('SIGKILL');
    // Timed by kalint's log line, which comes as the dataplane update starts (kalint status is too slow to poll
    // precisely): within delay_loop 1 s + connect_timeout 1 s, plus 100 ms for the update.
    expect(await until(() => logs.get('d1')!.includes('Removing service [10.31.1.21]:tcp:80 from VS [10.31.0.100]:tcp:80'), 5000, 5)).toBeLessThan(1000 + 1000 + 100);
    expect(await until(() => !('[10.31.1.21]:tcp:80' in table('d1')))).toBeLessThan(1000);
    expect(requests(300)).toEqual({ b2: 300 });
    await startBackend('b1');
    // Once the failed url passes, HTTP_GET checks every url again from the first before it is up (check_http.c):
    // two checks, delay_loop apart.
    expect(await until(() => '[10.31.1.21]:tcp:80' in table('d1'))).toBeLessThan(2 * 1000 + 1000);
    const counts = requests(400);
    expect(counts['error']).toBeUndefined();
    expect(counts['b1']).toBeGreaterThan(40);
  }, 60_000);

  it('marks a real server down when HTTP_GET gets a wrong status code', async () => {
    await start();
    backends.get('b2')!.stdin!.write('500\n');
    expect(await until(() => !('[10.31.1.22]:tcp:80' in table('d1')))).toBeLessThan(1000 + 1000 + 1000);
    expect(requests(100)).toEqual({ b1: 100 });
    backends.get('b2')!.stdin!.write('200\n');
    expect(await until(() => '[10.31.1.22]:tcp:80' in table('d1'))).toBeLessThan(2 * 1000 + 1000);
  }, 60_000);

  it('with two directors, the VIPs move when the master dies and the service keeps answering', async () => {
    await start();
    startDirector('d2', 100);
    expect(await until(() => Object.keys(table('d2')).length === 3)).toBeLessThan(5000);
    expect(holds('d2', 'front', VIP)).toBe(false);
    expect(requests(100)['error']).toBeUndefined();
    directors.get('d1')!.kill('SIGSTOP');
    expect(await until(() => holds('d2', 'front', VIP) && holds('d2', 'back', GATEWAY))).toBeLessThan(1000);
    // d1's addresses stay on its stopped interfaces, so take it off the wire as a crashed host would be.
    ip('-n', ns('d1'), 'link', 'set', 'front', 'down');
    ip('-n', ns('d1'), 'link', 'set', 'back', 'down');
    const counts = requests(200);
    expect(counts['error']).toBeUndefined();
    expect(counts['b1']! + counts['b2']!).toBe(200);
  }, 60_000);
});
