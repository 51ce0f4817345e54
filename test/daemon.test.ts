/** The daemon's own logic in virtual time, on a stand-in wire: notifications, sync groups, GARP timing, addresses. */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readConfigText } from '../grammar/index.ts';
import { runConfig } from '../runtime/config.ts';
import { Daemon } from '../runtime/daemon.ts';
import { FakeWire } from './helpers/fake-wire.ts';

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Two nodes over unicast on the wire; `body(node)` gives each node's configuration. */
function cluster(body: (self: string, peer: string, node: 'a' | 'b') => string) {
  const wire = new FakeWire();
  const logs: Record<string, string[]> = { a: [], b: [] };
  const nodes = (['a', 'b'] as const).map((node) => {
    const [self, peer] = node === 'a' ? ['10.0.0.1', '10.0.0.2'] : ['10.0.0.2', '10.0.0.1'];
    const { config } = readConfigText(body(self!, peer!, node), `/t/${node}.conf`);
    return new Daemon({ config, io: wire.io(node), clock: wire.clock, log: (l) => logs[node]!.push(l) });
  });
  return { wire, logs, nodes };
}

const unicast = (self: string, peer: string) => `    unicast_src_ip ${self}\n    unicast_peer {\n        ${peer}\n    }\n`;

/** A FIFO made by the test and held open for reading, so lines can be read as they come. */
function fifo() {
  const dir = mkdtempSync(join(tmpdir(), 'kalint-daemon-'));
  scratch.push(dir);
  const path = join(dir, 'notify.fifo');
  execFileSync('mkfifo', [path]);
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const read = () => {
    const buffer = Buffer.alloc(65536);
    try {
      return buffer.subarray(0, readSync(fd, buffer)).toString().split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  return { path, read, close: () => closeSync(fd) };
}

describe('sync groups', () => {
  it('announces each member, then the group once all members agree, on the FIFO', () => {
    const a = fifo();
    const { wire, nodes } = cluster(
      (self, peer, node) => `global_defs {
    ${node === 'a' ? `notify_fifo ${a.path}` : ''}
}
vrrp_sync_group VG {
    group {
        VI_1
        VI_2
    }
}
${[1, 2]
  .map(
    (n) => `vrrp_instance VI_${n} {
    interface lo
    virtual_router_id ${n}
    priority ${node === 'a' ? 150 : 100}
    advert_int 1
${unicast(self, peer)}    virtual_ipaddress {
        192.0.2.${n}
    }
}`,
  )
  .join('\n')}
`,
    );
    for (const d of nodes) d.start();
    wire.clock.advance(5000);
    expect(a.read()).toEqual(['INSTANCE "VI_1" BACKUP 150', 'INSTANCE "VI_2" BACKUP 150', 'GROUP "VG" BACKUP 0', 'INSTANCE "VI_1" MASTER 150', 'INSTANCE "VI_2" MASTER 150', 'GROUP "VG" MASTER 0']);
    nodes[0]!.stop();
    expect(a.read()).toEqual(['INSTANCE "VI_1" STOP 150', 'INSTANCE "VI_2" STOP 150', 'GROUP "VG" STOP 0']);
    a.close();
  });
});

/** One node alone on the wire with one instance holding 192.0.2.1; `extra` goes into the instance, `globals` into global_defs. */
function alone(extra: string, globals = '') {
  const wire = new FakeWire();
  const { config } = readConfigText(
    `global_defs {\n${globals}\n}\nvrrp_instance VI_1 {\n    interface lo\n    virtual_router_id 1\n    priority 100\n    advert_int 1\n${unicast('10.0.0.1', '10.0.0.2')}${extra}\n    virtual_ipaddress {\n        192.0.2.1\n    }\n}\n`,
    '/t/a.conf',
  );
  const daemon = new Daemon({ config, io: wire.io('a'), clock: wire.clock, log: () => {} });
  daemon.start();
  return { wire, daemon };
}

/** GARP counts by time: `{ time: count }`. */
const garpsByTime = (wire: FakeWire) => {
  const counts: Record<number, number> = {};
  for (const e of wire.events) if (e.op === 'garp') counts[e.at] = (counts[e.at] ?? 0) + 1;
  return counts;
};

describe('gratuitous ARPs', () => {
  // Alone, an instance becomes MASTER after the master-down interval: 3 × 1 s + skew ((256 − priority)/256 s).
  const MASTER_AT = 3000 + (156 / 256) * 1000;

  it('sends 5 on becoming MASTER and 5 more after 5 s, by default', () => {
    const { wire } = alone('');
    wire.clock.advance(60_000);
    expect(garpsByTime(wire)).toEqual({ [MASTER_AT]: 5, [MASTER_AT + 5000]: 5 });
  });

  it('follows garp_master_repeat, garp_master_delay and garp_master_refresh(_repeat)', () => {
    const { wire } = alone('    garp_master_repeat 2\n    garp_master_delay 3\n    garp_master_refresh 10\n    garp_master_refresh_repeat 3');
    wire.clock.advance(MASTER_AT + 3000 + 25_000);
    expect(garpsByTime(wire)).toEqual({ [MASTER_AT]: 2, [MASTER_AT + 3000]: 2, [MASTER_AT + 13_000]: 3, [MASTER_AT + 23_000]: 3 });
  });

  it('takes the global defaults, and vrrp_min_garp sends a single one', () => {
    const globals = alone('', '    vrrp_garp_master_repeat 3\n    vrrp_garp_master_delay 1\n    vrrp_garp_master_refresh 4');
    globals.wire.clock.advance(MASTER_AT + 5000);
    expect(garpsByTime(globals.wire)).toEqual({ [MASTER_AT]: 3, [MASTER_AT + 1000]: 3, [MASTER_AT + 5000]: 1 });
    const min = alone('', '    vrrp_min_garp');
    min.wire.clock.advance(60_000);
    expect(garpsByTime(min.wire)).toEqual({ [MASTER_AT]: 1 });
  });

  it('spaces them by vrrp_garp_interval on the interface', () => {
    const { wire } = alone('    garp_master_repeat 3\n    garp_master_delay 0', '    vrrp_garp_interval 0.25');
    wire.clock.advance(60_000);
    expect(garpsByTime(wire)).toEqual({ [MASTER_AT]: 1, [MASTER_AT + 250]: 1, [MASTER_AT + 500]: 1 });
  });

  it('stops the delayed and periodic ones on leaving MASTER', () => {
    const { wire, daemon } = alone('    garp_master_refresh 1');
    wire.clock.advance(MASTER_AT + 1500);
    daemon.stop();
    wire.clock.advance(60_000);
    expect(garpsByTime(wire)).toEqual({ [MASTER_AT]: 5 });
  });

  it('re-announces on hearing a lower priority as MASTER: garp_lower_prio_repeat now and after garp_lower_prio_delay', () => {
    const { wire, nodes } = cluster(
      (self, peer, node) => `vrrp_instance VI_1 {
    interface lo
    virtual_router_id 1
    priority ${node === 'a' ? 150 : 100}
    ${node === 'b' ? 'state MASTER' : 'garp_lower_prio_repeat 2\n    garp_lower_prio_delay 2\n    garp_master_delay 0'}
    advert_int 1
${unicast(self, peer)}    virtual_ipaddress {
        192.0.2.1
    }
}`,
    );
    for (const d of nodes) d.start();
    // b, cut off, becomes a second MASTER; after healing, its next advert reaches a.
    wire.clock.advance(5000);
    wire.isolated.add('b');
    wire.clock.advance(5500);
    wire.isolated.clear();
    wire.clock.advance(10_000);
    const heard = wire.events.find((e) => e.node === 'b' && e.op === 'advert' && e.at > 10_500)!.at;
    expect(wire.of('garp').filter((l) => l.includes(' a '))).toEqual([
      ...Array(5).fill(`${3000 + (106 / 256) * 1000} a lo 192.0.2.1`),
      ...Array(2).fill(`${heard} a lo 192.0.2.1`),
      ...Array(2).fill(`${heard + 2000} a lo 192.0.2.1`),
    ]);
  });
});

describe('addresses and routes', () => {
  it('adds VIPs with their options and virtual routes on MASTER, and removes them in reverse on leaving', () => {
    const { wire, daemon } = alone(
      `    virtual_ipaddress_excluded {
        198.51.100.7/24 dev lo label lo:vip brd + scope link
        198.51.100.8/24 brd - no_track
    }
    virtual_routes {
        203.0.113.0/24 via 192.0.2.254 table 100 metric 7
        blackhole 203.0.114.0/24 protocol static
        src 192.0.2.1 198.18.0.0/15 dev lo scope link
    }`,
    );
    wire.clock.advance(5000);
    daemon.stop();
    const ops = wire.events.filter((e) => e.op !== 'advert' && e.op !== 'garp').map((e) => `${e.op} ${e.detail}`);
    expect(ops).toEqual([
      'add 192.0.2.1/32 lo',
      'add 198.51.100.7/24 lo {"label":"lo:vip","scope":253,"broadcast":"198.51.100.255"}',
      'add 198.51.100.8/24 lo {"broadcast":"198.51.100.0"}',
      'route-add {"destination":"203.0.113.0","prefix":24,"via":"192.0.2.254","metric":7,"table":100}',
      'route-add {"destination":"203.0.114.0","prefix":24,"type":"blackhole","protocol":4}',
      'route-add {"destination":"198.18.0.0","prefix":15,"src":"192.0.2.1","dev":"lo","scope":253}',
      'remove 192.0.2.1/32 lo',
      'remove 198.51.100.7/24 lo {"label":"lo:vip","scope":253,"broadcast":"198.51.100.255"}',
      'remove 198.51.100.8/24 lo {"broadcast":"198.51.100.0"}',
      'route-remove {"destination":"198.18.0.0","prefix":15,"src":"192.0.2.1","dev":"lo","scope":253}',
      'route-remove {"destination":"203.0.114.0","prefix":24,"type":"blackhole","protocol":4}',
      'route-remove {"destination":"203.0.113.0","prefix":24,"via":"192.0.2.254","metric":7,"table":100}',
    ]);
  });

  it('adds static addresses and routes at start whatever the state, changes only the difference on reload, removes them at exit', () => {
    const wire = new FakeWire();
    const conf = (extra: string) =>
      readConfigText(`static_ipaddress {\n    192.0.2.50/24 dev lo\n${extra}}\nstatic_routes {\n    198.51.100.0/24 via 192.0.2.1 dev lo\n}\n`, '/t/s.conf').config;
    const daemon = new Daemon({ config: conf(''), io: wire.io('a'), clock: wire.clock, log: () => {} });
    daemon.start();
    daemon.reload(conf('    192.0.2.51/24 dev lo\n'));
    daemon.stop();
    expect(wire.events.map((e) => `${e.op} ${e.detail}`)).toEqual([
      'add 192.0.2.50/24 lo',
      'route-add {"destination":"198.51.100.0","prefix":24,"via":"192.0.2.1","dev":"lo"}',
      'add 192.0.2.51/24 lo',
      'route-remove {"destination":"198.51.100.0","prefix":24,"via":"192.0.2.1","dev":"lo"}',
      'remove 192.0.2.50/24 lo',
      'remove 192.0.2.51/24 lo',
    ]);
  });

  it('runs IPv6 instances: VRRPv3 adverts between link-local addresses, VIPs without DAD, unsolicited NAs', () => {
    const wire = new FakeWire();
    const nodes = (['a', 'b'] as const).map((node) => {
      const [self, peer] = node === 'a' ? ['fe80::1', 'fe80::2'] : ['fe80::2', 'fe80::1'];
      const { config } = readConfigText(
        `vrrp_instance VI_6 {\n    interface lo\n    virtual_router_id 6\n    priority ${node === 'a' ? 200 : 100}\n    advert_int 1\n${unicast(self!, peer!)}    virtual_ipaddress {\n        2001:db8::6/64\n    }\n}\n`,
        `/t/${node}.conf`,
      );
      return new Daemon({ config, io: wire.io(node), clock: wire.clock, log: () => {} });
    });
    for (const d of nodes) d.start();
    wire.clock.advance(10_000);
    expect(nodes.map((d) => d.status()[0]!.state)).toEqual(['MASTER', 'BACKUP']);
    expect(wire.of('add')).toEqual([`${3000 + (56 / 256) * 1000} a 2001:db8::6/64 lo {"noDad":true}`]);
    expect(wire.of('na')).toHaveLength(10);
    expect(wire.of('garp')).toEqual([]);
  });
});

describe('what runs, from the configuration', () => {
  const run = (text: string) => runConfig(readConfigText(text, '/t/k.conf').config, (_, family) => (family === 4 ? '192.0.2.9' : 'fe80::9'));

  it('takes the multicast group, IPv6 primary address and host prefixes as keepalived does', () => {
    const r = run(`global_defs {\n    vrrp_mcast_group4 239.1.1.1\n}\nvrrp_instance A {\n    interface eth0\n    virtual_router_id 1\n    virtual_ipaddress {\n        192.0.2.1\n    }\n}\nvrrp_instance B {\n    interface eth0\n    virtual_router_id 2\n    virtual_ipaddress {\n        2001:db8::1\n    }\n}\n`);
    expect(r.instances.map((i) => [i.multicast, i.settings.primaryAddress, i.vips[0]!.prefix, i.family])).toEqual([
      ['239.1.1.1', '192.0.2.9', 32, 4],
      ['ff02::12', 'fe80::9', 128, 6],
    ]);
  });

  it('reports what it cannot do instead of guessing', () => {
    const r = run(`vrrp_instance A {\n    interface eth0\n    virtual_router_id 1\n    virtual_ipaddress {\n        192.0.2.1 scope galaxy\n        192.0.2.2 home\n    }\n    virtual_routes {\n        192.0.2.0/24 via 192.0.2.254 table no-such-table\n        nat 198.51.100.0/24\n        198.51.100.0/24 dev eth0 mtu 1400\n    }\n}\n`);
    expect(r.problems).toEqual([
      "(A) Invalid scope 'galaxy' specified for 192.0.2.1 - ignoring",
      '(A) 192.0.2.2: home not supported by kalint run yet - ignored',
      "(A) unknown table 'no-such-table' in route 192.0.2.0/24 via 192.0.2.254 table no-such-table - ignoring it",
      '(A) route type nat not supported by kalint run yet: nat 198.51.100.0/24',
      '(A) mtu not supported by kalint run yet - left out of route 198.51.100.0/24 dev eth0 mtu 1400',
    ]);
    expect(r.instances[0]!.routes).toEqual([
      { destination: '192.0.2.0', prefix: 24, via: '192.0.2.254' },
      { destination: '198.51.100.0', prefix: 24, dev: 'eth0' },
    ]);
  });

  it('drops advertised VIPs of the other family, keeps excluded ones of either', () => {
    const r = run(`vrrp_instance A {\n    interface eth0\n    virtual_router_id 1\n    virtual_ipaddress {\n        192.0.2.1\n        2001:db8::1\n    }\n    virtual_ipaddress_excluded {\n        2001:db8::2\n    }\n}\n`);
    expect(r.instances[0]!.vips.map((v) => v.address)).toEqual(['192.0.2.1', '2001:db8::2']);
    expect(r.instances[0]!.settings.addresses).toEqual(['192.0.2.1']);
    expect(r.problems).toEqual(["(A) 2001:db8::1 is not of the instance's address family - ignoring it"]);
  });

  it('works out accept mode as keepalived does: off in strict mode below 255, never for strict VRRPv2', () => {
    const accept = (globals: string, instance: string) =>
      run(`global_defs {\n${globals}\n}\nvrrp_instance A {\n    interface eth0\n    virtual_router_id 1\n${instance}\n}\n`).instances[0]!.accept;
    expect(accept('', '')).toBe(true);
    expect(accept('', '    no_accept')).toBe(false);
    expect(accept('    vrrp_strict', '    version 3')).toBe(false);
    expect(accept('    vrrp_strict', '    version 3\n    accept')).toBe(true);
    expect(accept('    vrrp_strict', '    accept')).toBe(false);
    expect(accept('    vrrp_strict', '    priority 255')).toBe(true);
  });

  it("spaces GARPs by the garp_group's interval for its interfaces", () => {
    const r = run(`garp_group {\n    garp_interval 0.5\n    interfaces {\n        eth0\n    }\n}\nvrrp_instance A {\n    interface eth0\n    virtual_router_id 1\n}\n`);
    expect(r.instances[0]!.garp.intervalMs).toBe(500);
  });
});

describe('firewall for instances without accept mode', () => {
  const conf = (instance: string, globals = '') =>
    readConfigText(
      `global_defs {\n    vrrp_strict\n${globals}}\nvrrp_instance VI_1 {\n    interface lo\n    virtual_router_id 1\n    version 3\n    priority 100\n${instance}    virtual_ipaddress {\n        192.0.2.1\n    }\n    virtual_ipaddress_excluded {\n        2001:db8::1\n    }\n}\n`,
      '/t/f.conf',
    ).config;

  it("sets keepalived's tables up once, replaces them when the configuration changes, removes them at exit", () => {
    const wire = new FakeWire();
    const applied: string[] = [];
    const daemon = new Daemon({ config: conf('', '    nftables kalint\n    nftables_counters\n'), io: wire.io('a'), clock: wire.clock, log: () => {}, host: { nft: (r) => applied.push(r) } });
    daemon.start();
    expect(applied).toHaveLength(1);
    expect(applied[0]).toContain('table ip kalint {\n    set vips {\n        type ipv4_addr\n        elements = { 192.0.2.1 }');
    expect(applied[0]).toContain('type filter hook input priority -1; policy accept;\n        ip daddr @vips counter drop');
    expect(applied[0]).toContain('icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept\n        ip6 daddr @vips counter drop');
    daemon.reload(conf('', '    nftables kalint\n    nftables_counters\n'));
    expect(applied).toHaveLength(1);
    daemon.reload(conf('    accept\n'));
    expect(applied[1]).toBe('table ip kalint {}\ndelete table ip kalint\ntable ip6 kalint {}\ndelete table ip6 kalint\n');
    daemon.stop();
    expect(applied).toHaveLength(2);
  });

  it('produces rules nft accepts', () => {
    const wire = new FakeWire();
    const applied: string[] = [];
    new Daemon({ config: conf(''), io: wire.io('a'), clock: wire.clock, log: () => {}, host: { nft: (r) => applied.push(r) } }).start();
    // nft -c checks against the kernel without changing anything.
    expect(() => execFileSync('nft', ['-c', '-f', '-'], { input: applied[0], stdio: ['pipe', 'pipe', 'pipe'] })).not.toThrow();
  });
});
