/**
 * The native packet I/O (runtime/addon/vrrp_io.c, built in build/Release) in
 * two network namespaces joined by a veth pair (a prefix unique to the run,
 * removed afterwards): IPv6 VRRP channels, multicast and unicast, checked on
 * the wire and against keepalived's own IPv6 adverts; unsolicited neighbour
 * advertisements; addresses with options; routes. Every addon call runs in a
 * node process started inside its namespace.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeAdvert, encodeAdvert, internetChecksum } from '../runtime/vrrp/packet.ts';
import { namespaceUnavailable } from './helpers/netns.ts';

const ROOT = join(import.meta.dirname, '..');
const ADDON = join(ROOT, 'build/Release/vrrp_io.node');
const unavailable = namespaceUnavailable();

const P = `vio${process.pid.toString(36)}`;
const ns = (node: 'a' | 'b') => `${P}-${node}`;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe', encoding: 'utf8' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Loaded before every script: the addon, its arguments, and a way to print a result. */
const PRELUDE = `
const io = require(${JSON.stringify(ADDON)});
const args = process.argv.slice(1);
const attempt = (f) => { try { f(); return 'ok'; } catch (e) { return e.message; } };
const print = (v) => console.log(JSON.stringify(v));
`;

/** Collects what an IPv6 channel receives for `ms` milliseconds; with `throw`, its first callback throws. */
const RECEIVE = `
const [ifname, source, group, ms, mode] = args;
const packets = [], errors = [];
process.on('uncaughtException', (e) => errors.push(e.message));
const ch = io.open(ifname, source, group, (payload, from, hopLimit, destination) => {
  packets.push({ payload: payload.toString('hex'), source: from, hopLimit, destination });
  if (mode === 'throw' && packets.length === 1) throw new Error('boom');
});
console.log('ready');
setTimeout(() => { io.close(ch); print({ packets, errors }); }, Number(ms));
`;

/** Sends [hex, destination] pairs on a channel; `own` counts what that channel hears meanwhile. */
const SEND = `
const [ifname, source, group, list, ttl] = args;
let own = 0;
const ch = ttl ? io.open(ifname, source, group, () => own++, Number(ttl)) : io.open(ifname, source, group, () => own++);
const sent = JSON.parse(list).map(([hex, to]) => attempt(() => io.send(ch, Buffer.from(hex, 'hex'), to)));
setTimeout(() => { io.close(ch); print({ sent, own }); }, 300);
`;

/** Every IPv6 frame with the given next header arriving on an interface within some seconds, as hex. */
const CAPTURE = `
import json, socket, sys, time
ifname, nexthdr, limit = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x86dd))
s.bind((ifname, 0))
s.settimeout(0.05)
print('ready', flush=True)
frames, end = [], time.time() + limit
while time.time() < end:
    try:
        data, addr = s.recvfrom(65535)
    except socket.timeout:
        continue
    if addr[2] != socket.PACKET_OUTGOING and len(data) >= 54 and data[20] == nexthdr:
        frames.append(data.hex())
print(json.dumps(frames), flush=True)
`;

interface Received {
  packets: { payload: string; source: string; hopLimit: number; destination: string }[];
  errors: string[];
}

/** The canonical text of 16 address bytes. */
function ip6(bytes: Uint8Array): string {
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return new URL(`http://[${groups.join(':')}]`).hostname.slice(1, -1);
}
const mac = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe.skipIf(!!unavailable)('vrrp_io addon in network namespaces', () => {
  const children: ChildProcess[] = [];
  const link: Record<'a' | 'b', { ll: string; mac: string }> = { a: { ll: '', mac: '' }, b: { ll: '', mac: '' } };

  /** A script run to completion in a namespace; its last line, as JSON. */
  function run<T>(node: 'a' | 'b', script: string, ...args: string[]): T {
    const out = execFileSync('ip', ['netns', 'exec', ns(node), process.execPath, '-e', PRELUDE + script, ...args], { encoding: 'utf8', timeout: 20_000 });
    return JSON.parse(out.trim().split('\n').pop()!) as T;
  }

  /** A process started in a namespace: `ready` once it printed "ready", `result` its last line as JSON. */
  function start<T>(node: 'a' | 'b', argv: string[]): { ready: Promise<void>; result: Promise<T> } {
    const p = spawn('ip', ['netns', 'exec', ns(node), ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(p);
    let out = '';
    let err = '';
    p.stderr!.on('data', (d) => (err += d));
    const ready = new Promise<void>((resolve, reject) => {
      p.stdout!.on('data', (d) => {
        out += d;
        if (out.startsWith('ready\n')) resolve();
      });
      p.on('exit', () => reject(new Error(`${argv[0]} ended before it was ready: ${err}`)));
    });
    const result = new Promise<T>((resolve, reject) =>
      p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as T) : reject(new Error(`${argv[0]} exited ${code}: ${err}`)))),
    );
    return { ready, result };
  }
  const receive = (node: 'a' | 'b', group: string, ms: number, mode = '') =>
    start<Received>(node, [process.execPath, '-e', PRELUDE + RECEIVE, 'eth0', link[node].ll, group, String(ms), mode]);
  const capture = (node: 'a' | 'b', nexthdr: number, seconds: number) => start<string[]>(node, ['python3', '-c', CAPTURE, 'eth0', String(nexthdr), String(seconds)]);
  const send = (node: 'a' | 'b', group: string, list: [Uint8Array, string][], unicastTtl?: number) =>
    run<{ sent: string[]; own: number }>(node, SEND, 'eth0', link[node].ll, group, JSON.stringify(list.map(([b, to]) => [hex(b), to])), ...(unicastTtl ? [String(unicastTtl)] : []));

  const advert = (priority: number, source: string, destination: string, vrid = 51, addresses = ['fd00:99::100']) =>
    encodeAdvert({ version: 3, vrid, priority, intervalCs: 10, addresses }, { family: 6, source, destination });
  const decode = (p: Received['packets'][number], vrid = 51) =>
    decodeAdvert(Buffer.from(p.payload, 'hex'), { family: 6, source: p.source, destination: p.destination, ttl: p.hopLimit, multicast: p.destination.startsWith('ff') }, { version: 3, vrid, intervalCs: 10 });

  beforeAll(async () => {
    for (const n of ['a', 'b'] as const) ip('netns', 'add', ns(n));
    ip('link', 'add', `${P}a`, 'netns', ns('a'), 'type', 'veth', 'peer', 'name', `${P}b`, 'netns', ns('b'));
    ['a', 'b'].forEach((n, i) => {
      const name = ns(n as 'a' | 'b');
      ip('-n', name, 'link', 'set', 'dev', `${P}${n}`, 'name', 'eth0');
      ip('-n', name, 'addr', 'add', `10.99.0.${i + 1}/24`, 'dev', 'eth0');
      ip('-n', name, 'addr', 'add', `fd00:99::${i + 1}/64`, 'dev', 'eth0', 'nodad');
      ip('-n', name, 'link', 'set', 'dev', 'lo', 'up');
      ip('-n', name, 'link', 'set', 'dev', 'eth0', 'up');
    });
    // The link-locals go through duplicate address detection (left on: the nodad test needs it).
    for (const n of ['a', 'b'] as const) {
      for (let waited = 0; ; waited += 50) {
        const [dev] = JSON.parse(ip('-n', ns(n), '-j', 'addr', 'show', 'dev', 'eth0')) as { address: string; addr_info: { local: string; scope: string; tentative?: boolean }[] }[];
        const ll = dev!.addr_info.find((a) => a.scope === 'link' && a.local.startsWith('fe80'));
        if (ll && !ll.tentative) {
          link[n] = { ll: ll.local, mac: dev!.address };
          break;
        }
        if (waited > 10_000) throw new Error(`no usable link-local address in ${ns(n)}`);
        await sleep(50);
      }
    }
  }, 30_000);

  afterEach(() => {
    for (const p of children.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  });

  afterAll(() => {
    for (const n of ['a', 'b'] as const) spawnSync('ip', ['netns', 'del', ns(n)]);
  });

  it('multicast: an advert to ff02::12 arrives with hop limit 255, the link-local source and a payload decodeAdvert accepts; a bad checksum is dropped', async () => {
    const good = advert(150, link.a.ll, 'ff02::12');
    const bad = Uint8Array.from(good);
    bad[7] = bad[7]! ^ 0xff;
    const unicast = advert(150, link.a.ll, link.b.ll);
    const rx = receive('b', 'ff02::12', 1000);
    const wire = capture('b', 112, 1.2);
    await Promise.all([rx.ready, wire.ready]);
    const tx = send('a', 'ff02::12', [
      [bad, 'ff02::12'],
      [unicast, link.b.ll],
      [good, 'ff02::12'],
    ]);
    expect(tx).toEqual({ sent: ['ok', 'ok', 'ok'], own: 0 });
    const { packets, errors } = await rx.result;
    expect(errors).toEqual([]);
    // The kernel dropped the bad checksum; a channel bound to the group does not get unicast.
    expect(packets).toEqual([{ payload: hex(good), source: link.a.ll, hopLimit: 255, destination: 'ff02::12' }]);
    expect(decode(packets[0]!)).toEqual({ advert: { version: 3, vrid: 51, priority: 150, intervalCs: 10, addresses: ['fd00:99::100'] } });
    // On the wire: to 33:33:00:00:00:12 from A's MAC, traffic class 0xC0, hop limit 255, the payload as given.
    const frames = (await wire.result).map((f) => Buffer.from(f, 'hex'));
    expect(frames.map((f) => hex(f.subarray(54)))).toEqual([hex(bad), hex(unicast), hex(good)]);
    const frame = frames[2]!;
    expect(mac(frame.subarray(0, 6))).toBe('33:33:00:00:00:12');
    expect(mac(frame.subarray(6, 12))).toBe(link.a.mac);
    expect(((frame[14]! & 0x0f) << 4) | (frame[15]! >> 4)).toBe(0xc0);
    expect(frame[21]).toBe(255);
    expect(ip6(frame.subarray(22, 38))).toBe(link.a.ll);
    expect(ip6(frame.subarray(38, 54))).toBe('ff02::12');
  }, 30_000);

  it('unicast: an advert to the link-local arrives on a channel opened with group ""; multicast ones do not', async () => {
    const rx = receive('b', '', 800);
    await rx.ready;
    const unicast = advert(120, link.a.ll, link.b.ll);
    expect(send('a', '', [
      [advert(150, link.a.ll, 'ff02::12'), 'ff02::12'],
      [unicast, link.b.ll],
    ])).toEqual({ sent: ['ok', 'ok'], own: 0 });
    const { packets, errors } = await rx.result;
    expect(errors).toEqual([]);
    expect(packets).toEqual([{ payload: hex(unicast), source: link.a.ll, hopLimit: 255, destination: link.b.ll }]);
    expect(decode(packets[0]!)).toMatchObject({ advert: { priority: 120 } });
  }, 30_000);

  it("unicast_ttl sets the hop limit of unicast adverts, not of multicast ones", async () => {
    const rx = receive('b', '', 800);
    await rx.ready;
    const unicast = advert(120, link.a.ll, link.b.ll);
    expect(send('a', '', [[unicast, link.b.ll]], 64)).toEqual({ sent: ['ok'], own: 0 });
    expect((await rx.result).packets).toEqual([{ payload: hex(unicast), source: link.a.ll, hopLimit: 64, destination: link.b.ll }]);
    const mrx = receive('b', 'ff02::12', 800);
    await mrx.ready;
    expect(send('a', 'ff02::12', [[advert(150, link.a.ll, 'ff02::12'), 'ff02::12']], 64).sent).toEqual(['ok']);
    expect((await mrx.result).packets.map((p) => p.hopLimit)).toEqual([255]);
  }, 30_000);

  it('a throwing onPacket goes to uncaughtException and later packets still arrive', async () => {
    const rx = receive('b', 'ff02::12', 800, 'throw');
    await rx.ready;
    const a = advert(100, link.a.ll, 'ff02::12');
    send('a', 'ff02::12', [
      [a, 'ff02::12'],
      [a, 'ff02::12'],
    ]);
    const { packets, errors } = await rx.result;
    expect(packets).toHaveLength(2);
    expect(errors).toEqual(['boom']);
  }, 30_000);

  it('rejects what an IPv6 channel cannot take, missing or wrong send arguments, and a closed channel later on', () => {
    const out = run<string[]>('a', `
      const ch = io.open('eth0', args[0], 'ff02::12', () => {});
      const out = [
        attempt(() => io.send(ch, Buffer.alloc(8), '10.99.0.2')),
        attempt(() => io.send(ch, Buffer.alloc(8))),
        attempt(() => io.send(ch, 'not bytes', 'ff02::12')),
        attempt(() => io.send(ch, Buffer.alloc(8), 12)),
        attempt(() => io.open('eth0', args[0], '224.0.0.18', () => {})),
        attempt(() => io.open('eth0', args[0], 'fd00::1', () => {})),
        attempt(() => io.open('nope0', args[0], 'ff02::12', () => {})),
        attempt(() => io.close(ch)),
      ];
      // After libuv has closed the poll: the handle still says it is closed.
      setTimeout(() => print([...out, attempt(() => io.send(ch, Buffer.alloc(8), 'ff02::12')), attempt(() => io.close(ch))]), 50);`, link.a.ll);
    expect(out).toEqual([
      'destination must be an IPv6 address',
      'send(channel, payload, destination)',
      'send: the payload must be a Buffer or Uint8Array',
      'send: the destination must be an address',
      'group must be an IPv6 multicast address',
      'group must be an IPv6 multicast address',
      'nope0: No such device',
      'ok',
      'not an open channel',
      'not an open channel',
    ]);
  });

  it('na: B sees an unsolicited NA (Override, target, A\'s MAC, ff02::1, hop limit 255) and its kernel takes it; Router follows IPv6 forwarding', async () => {
    ip('-n', ns('b'), 'neigh', 'replace', 'fd00:99::100', 'lladdr', '02:00:00:00:00:99', 'nud', 'stale', 'dev', 'eth0');
    const wire = capture('b', 58, 1.2);
    await wire.ready;
    const sysctl = (v: number) => execFileSync('ip', ['netns', 'exec', ns('a'), 'sysctl', '-qw', `net.ipv6.conf.eth0.forwarding=${v}`]);
    expect(run('a', `print(attempt(() => io.na('eth0', 'fd00:99::100')))`)).toBe('ok');
    sysctl(1);
    try {
      expect(run('a', `print(attempt(() => io.na('eth0', 'fd00:99::101')))`)).toBe('ok');
    } finally {
      sysctl(0);
    }
    // Ours, by target: the kernels' own neighbour discovery may be on the link too.
    const targets = ['fd00:99::100', 'fd00:99::101'];
    const frames = (await wire.result).map((f) => Buffer.from(f, 'hex')).filter((f) => f[54] === 136 && targets.includes(ip6(f.subarray(62, 78))));
    expect(frames.map((f) => ip6(f.subarray(62, 78)))).toEqual(targets);
    for (const [i, f] of frames.entries()) {
      const target = targets[i]!;
      expect(mac(f.subarray(0, 6))).toBe('33:33:00:00:00:01');
      expect(mac(f.subarray(6, 12))).toBe(link.a.mac);
      expect(f.readUInt16BE(12)).toBe(0x86dd);
      expect(f[14]! >> 4).toBe(6);
      expect(f.readUInt16BE(18)).toBe(32);
      expect(f[21]).toBe(255);
      expect(ip6(f.subarray(22, 38))).toBe(target);
      expect(ip6(f.subarray(38, 54))).toBe('ff02::1');
      const icmp = f.subarray(54, 86);
      expect(icmp[1]).toBe(0);
      // Router only with forwarding on, Override always, Solicited never.
      expect(icmp[4]).toBe(i === 0 ? 0x20 : 0xa0);
      expect(ip6(icmp.subarray(8, 24))).toBe(target);
      expect([icmp[24], icmp[25]]).toEqual([2, 1]);
      expect(mac(icmp.subarray(26, 32))).toBe(link.a.mac);
      expect(internetChecksum(f.subarray(22, 54), Uint8Array.of(0, 0, 0, 32, 0, 0, 0, 58), icmp)).toBe(0);
    }
    // B's kernel validated it (checksum, hop limit) and overrode the stale link-layer address.
    expect(ip('-n', ns('b'), 'neigh', 'show', 'fd00:99::100', 'dev', 'eth0')).toContain(link.a.mac);
    expect(run('a', `print([attempt(() => io.na('eth0', '10.99.0.100')), attempt(() => io.na('lo', 'fd00::1'))])`)).toEqual([
      'ip6 must be an IPv6 address',
      'na: not an Ethernet interface: Operation not supported',
    ]);
  }, 30_000);

  interface AddrInfo {
    family: string;
    local: string;
    prefixlen: number;
    scope: string;
    label?: string;
    broadcast?: string;
    tentative?: boolean;
    nodad?: boolean;
  }
  const addresses = () => (JSON.parse(ip('-n', ns('a'), '-j', 'addr', 'show', 'dev', 'eth0')) as { addr_info: AddrInfo[] }[])[0]!.addr_info;
  const find = (local: string) => addresses().find((a) => a.local === local);

  it('address: label, broadcast and scope show up in ip -j addr; removed; removing again throws the errno text', () => {
    const added = run<string[]>('a', `print([
      attempt(() => io.address(true, 'eth0', '10.99.1.5', 24, { label: 'eth0:vip', broadcast: '10.99.1.255', scope: 253 })),
      attempt(() => io.address(true, 'eth0', '10.99.2.6', 24)),
      attempt(() => io.address(true, 'eth0', '10.99.2.6', 24)),
      attempt(() => io.address(true, 'eth0', 'fd00:99::102', 64, { label: 'eth0:x' })),
      attempt(() => io.address(true, 'eth0', '10.99.2.7', 24, { noDad: true })),
      attempt(() => io.address(true, 'eth0', '10.99.2.7', 24, { label: 'far-too-long-a-label' })),
      attempt(() => io.address(true, 'eth0', '10.99.2.7', 33)),
    ])`);
    expect(added).toEqual([
      'ok',
      'ok',
      'RTM_NEWADDR: File exists (ipv4: Address already assigned)',
      'label, broadcast and scope are IPv4 options, noDad an IPv6 one',
      'label, broadcast and scope are IPv4 options, noDad an IPv6 one',
      'address(add, ifname, ip, prefixLength, options?)',
      'prefixLength out of range',
    ]);
    expect(find('10.99.1.5')).toMatchObject({ family: 'inet', prefixlen: 24, broadcast: '10.99.1.255', scope: 'link', label: 'eth0:vip' });
    expect(find('10.99.2.6')).toMatchObject({ prefixlen: 24, scope: 'global', label: 'eth0' });
    expect(find('10.99.2.6')!.broadcast).toBeUndefined();
    const removed = run<string[]>('a', `print([
      attempt(() => io.address(false, 'eth0', '10.99.1.5', 24)),
      attempt(() => io.address(false, 'eth0', '10.99.2.6', 24)),
      attempt(() => io.address(false, 'eth0', '10.99.2.6', 24)),
    ])`);
    expect(removed.slice(0, 2)).toEqual(['ok', 'ok']);
    expect(removed[2]).toContain('Cannot assign requested address');
    expect(find('10.99.1.5')).toBeUndefined();
    expect(find('10.99.2.6')).toBeUndefined();
  });

  it('address: an IPv6 VIP is added without DAD (not tentative) unless noDad is false; removed', () => {
    const added = run<string[]>('a', `print([
      attempt(() => io.address(true, 'eth0', 'fd00:99::100', 64)),
      attempt(() => io.address(true, 'eth0', 'fd00:99::101', 64, { noDad: false })),
    ])`);
    expect(added).toEqual(['ok', 'ok']);
    expect(find('fd00:99::100')).toMatchObject({ family: 'inet6', prefixlen: 64, nodad: true });
    expect(find('fd00:99::100')!.tentative).toBeUndefined();
    // DAD runs on this interface: without nodad the address starts tentative.
    expect(find('fd00:99::101')).toMatchObject({ tentative: true });
    const removed = run<string[]>('a', `print([
      attempt(() => io.address(false, 'eth0', 'fd00:99::100', 64)),
      attempt(() => io.address(false, 'eth0', 'fd00:99::101', 64)),
      attempt(() => io.address(false, 'eth0', 'fd00:99::100', 64)),
    ])`);
    expect(removed.slice(0, 2)).toEqual(['ok', 'ok']);
    expect(removed[2]).toContain('Cannot assign requested address');
    expect(find('fd00:99::100')).toBeUndefined();
    expect(find('fd00:99::101')).toBeUndefined();
  });

  it('route: via a gateway, dev-only, blackhole, tables 100 and 1000, IPv6 show up in ip -j route as keepalived\'s and are removed', () => {
    const specs = [
      { destination: '10.50.0.0', prefix: 16, via: '10.99.0.2' },
      { destination: '10.51.0.0', prefix: 16, dev: 'eth0', metric: 50, src: '10.99.0.1' },
      { destination: '10.52.0.0', prefix: 24, type: 'blackhole' },
      { destination: '10.53.0.0', prefix: 24, via: '10.99.0.2', table: 100 },
      { destination: '10.54.0.0', prefix: 24, dev: 'eth0', table: 1000, scope: 253, protocol: 4 },
      { destination: 'fd00:50::', prefix: 48, via: 'fd00:99::2' },
      { destination: 'fd00:51::', prefix: 48, type: 'unreachable' },
      { destination: 'fd00:52::', prefix: 48, via: link.b.ll, dev: 'eth0', metric: 7 },
    ];
    const routes = () => [
      ...(JSON.parse(ip('-n', ns('a'), '-j', 'route', 'show', 'table', 'all')) as Record<string, unknown>[]),
      ...(JSON.parse(ip('-n', ns('a'), '-j', '-6', 'route', 'show', 'table', 'all')) as Record<string, unknown>[]),
    ];
    const route = (dst: string) => routes().find((r) => r['dst'] === dst);
    const each = (add: boolean) => `print(JSON.parse(args[0]).map((s) => attempt(() => io.route(${add}, s))))`;
    expect(run('a', each(true), JSON.stringify(specs))).toEqual(specs.map(() => 'ok'));
    expect(route('10.50.0.0/16')).toMatchObject({ gateway: '10.99.0.2', dev: 'eth0', protocol: 'keepalived' });
    // Without a gateway keepalived leaves the scope universal (ip-route would say link).
    expect(route('10.51.0.0/16')).toMatchObject({ dev: 'eth0', metric: 50, prefsrc: '10.99.0.1', protocol: 'keepalived' });
    expect(route('10.51.0.0/16')!['scope']).toBeUndefined();
    expect(route('10.52.0.0/24')).toMatchObject({ type: 'blackhole', protocol: 'keepalived' });
    expect(route('10.53.0.0/24')).toMatchObject({ gateway: '10.99.0.2', table: '100' });
    expect(route('10.54.0.0/24')).toMatchObject({ dev: 'eth0', table: '1000', scope: 'link', protocol: 'static' });
    expect(route('fd00:50::/48')).toMatchObject({ gateway: 'fd00:99::2', dev: 'eth0', protocol: 'keepalived' });
    expect(route('fd00:51::/48')).toMatchObject({ type: 'unreachable', protocol: 'keepalived' });
    expect(route('fd00:52::/48')).toMatchObject({ gateway: link.b.ll, dev: 'eth0', metric: 7 });
    expect(run('a', `print([
      attempt(() => io.route(true, JSON.parse(args[0]))),
      attempt(() => io.route(true, { destination: '10.55.0.0', prefix: 16, via: '10.98.0.2' })),
      attempt(() => io.route(true, { destination: '10.55.0.0', prefix: 16, via: 'fd00::1' })),
      attempt(() => io.route(true, { destination: '10.55.0.0', prefix: 33 })),
      attempt(() => io.route(true, { destination: '10.55.0.0', prefix: 16, type: 'local' })),
      attempt(() => io.route(true, { destination: '10.55.0.0', prefix: 16, dev: 'nope0' })),
    ])`, JSON.stringify(specs[0]))).toEqual([
      'RTM_NEWROUTE: File exists',
      'RTM_NEWROUTE: Network is unreachable (Nexthop has invalid gateway)',
      expect.stringContaining('route spec: via and src'),
      'route spec needs destination (an address) and prefix (its length)',
      expect.stringContaining('route spec: via and src'),
      'nope0: No such device',
    ]);
    expect(run('a', each(false), JSON.stringify(specs))).toEqual(specs.map(() => 'ok'));
    expect(routes().filter((r) => ['keepalived', 'static'].includes(r['protocol'] as string))).toEqual([]);
    expect(run('a', each(false), JSON.stringify(specs.slice(0, 1)))).toEqual(['RTM_DELROUTE: No such process']);
  });

  it('keepalived\'s IPv6 adverts arrive and decode; keepalived takes ours (priority 254) and steps down', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kalint-vrrp-io-'));
    const conf = join(dir, 'ka.conf');
    writeFileSync(conf, `global_defs {
    router_id a
    vrrp_version 3
}
vrrp_instance VI_6 {
    state BACKUP
    interface eth0
    virtual_router_id 61
    priority 150
    advert_int 0.1
    virtual_ipaddress {
        fd00:99::200/64 dev eth0
    }
}
`);
    const vrrpPid = join(dir, 'vrrp.pid');
    const ka = spawn('ip', ['netns', 'exec', ns('a'), 'keepalived', '-n', '-l', '-D', '-P', '-f', conf, '-p', join(dir, 'ka.pid'), '-r', vrrpPid, '-c', join(dir, 'chk.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(ka);
    let log = '';
    ka.stdout!.on('data', (d) => (log += d));
    ka.stderr!.on('data', (d) => (log += d));
    try {
      // keepalived is master after about 0.4 s and then adverts every 0.1 s.
      const rx = receive('b', 'ff02::12', 1500);
      await rx.ready;
      const { packets, errors } = await rx.result;
      expect(errors).toEqual([]);
      expect(packets.length).toBeGreaterThan(3);
      for (const p of packets) {
        expect(p).toMatchObject({ source: link.a.ll, hopLimit: 255, destination: 'ff02::12' });
        expect(decode(p, 61)).toEqual({ advert: { version: 3, vrid: 61, priority: 150, intervalCs: 10, addresses: ['fd00:99::200'] } });
      }
      const ours = advert(254, link.b.ll, 'ff02::12', 61, ['fd00:99::200']);
      const steppedDown = () => /Entering MASTER STATE[^]*Entering BACKUP STATE/.test(log);
      for (let i = 0; i < 10 && !steppedDown(); i++) {
        send('b', 'ff02::12', [[ours, 'ff02::12']]);
        await sleep(100);
      }
      expect(log).toMatch(/Entering MASTER STATE[^]*higher priority 254[^]*Entering BACKUP STATE/);
      expect(log).not.toMatch(/invalid TTL|Invalid VRRPv3 checksum|not present in MASTER advert/);
    } finally {
      ka.kill('SIGTERM');
      const exited = await Promise.race([new Promise((r) => ka.once('exit', () => r(true))), sleep(5000).then(() => false)]);
      if (!exited) {
        // Not ours to wait for, but ours to stop: keepalived's VRRP child, by the pid it wrote.
        ka.kill('SIGKILL');
        const child = Number(spawnSync('cat', [vrrpPid], { encoding: 'utf8' }).stdout);
        if (child > 0) spawnSync('kill', ['-KILL', String(child)]);
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
