/**
 * The simulator on the seed articles' setups: the daemon's own code in virtual time gives the transitions and times
 * the protocol prescribes (RFC 3768 timers as keepalived runs them), and the findings flag the setups that misbehave.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfigText } from '../grammar/index.ts';
import { battery, runCase } from '../runtime/sim/cases.ts';
import { parseScenario, ScenarioError } from '../runtime/sim/scenario.ts';
import type { SimEvent, SimNode, Timeline } from '../runtime/sim/simulation.ts';

const ARTICLES = join(import.meta.dirname, 'fixtures/seeds/articles');

/** VRRPv2 timers (RFC 3768 §6.1), as keepalived computes them, in ms. */
const skew = (priority: number) => ((256 - priority) * 1000) / 256;
const masterDown = (priority: number, advertMs = 1000) => 3 * advertMs + skew(priority);

function node(name: string, text: string, address: string): SimNode {
  return { name, config: readConfigText(text, `/etc/keepalived/${name}.conf`).config, address: { 4: address, 6: 'fe80::1' } };
}

/** Article 000's instance, written out cleanly (the article squashes it): VRRPv2, PASS auth, advert_int 1. */
function instance(options: { name?: string; state: string; priority: number; vrid?: number; vip?: string; extra?: string }): string {
  return `vrrp_instance ${options.name ?? 'VI_1'} {
    state ${options.state}
    interface eth0
    virtual_router_id ${options.vrid ?? 51}
    priority ${options.priority}
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    virtual_ipaddress {
        ${options.vip ?? '192.168.183.100/24'} dev eth0 label eth0:0
    }
${options.extra ?? ''}}
`;
}

const pair = (a: string, b: string) => [node('ka1', a, '192.168.183.50'), node('ka2', b, '192.168.183.60')];

/** The holders of `vip` in order, each with the time it started holding it (no one: '-'). */
const holders = (t: Timeline, vip: string) => t.ownership.filter((o) => o.vip === vip).map((o) => `${o.at} ${o.owners.join(',') || '-'}`);

const crashAndReturn: SimEvent[] = [
  { at: 10_000, kind: 'crash', node: 'ka1' },
  { at: 20_000, kind: 'start', node: 'ka1' },
];

describe('seed article setups in virtual time', () => {
  it('preempt: the master fails over after the backup\'s master-down interval and takes the VIP back on return', () => {
    const { timeline, diagnostics } = runCase(pair(instance({ state: 'MASTER', priority: 100 }), instance({ state: 'BACKUP', priority: 80 })), { name: 'preempt', events: crashAndReturn, duration: 30_000 });
    // ka1's last advert before the crash went out at 9609.375 (one per second since it became master).
    const lastAdvert = masterDown(100) + 6000;
    expect(holders(timeline, '192.168.183.100')).toEqual([`${masterDown(100)} ka1`, '10000 -', `${lastAdvert + masterDown(80)} ka2`, `${20_000 + masterDown(100)} ka1`]);
    expect(timeline.transitions.filter((x) => x.at === 20_000 + masterDown(100)).map((x) => `${x.node} ${x.from}->${x.to}`)).toEqual(['ka1 BACKUP->MASTER', 'ka2 MASTER->BACKUP']);
    expect(diagnostics).toEqual([]);
  });

  it('nopreempt (both BACKUP): the returning higher priority stays BACKUP', () => {
    const nopreempt = (priority: number) => instance({ state: 'BACKUP', priority, extra: '    nopreempt\n' });
    const { timeline, diagnostics } = runCase(pair(nopreempt(100), nopreempt(80)), { name: 'nopreempt', events: crashAndReturn, duration: 40_000 });
    expect(holders(timeline, '192.168.183.100')).toEqual([`${masterDown(100)} ka1`, '10000 -', `${masterDown(100) + 6000 + masterDown(80)} ka2`]);
    expect(timeline.transitions.filter((x) => x.node === 'ka1' && x.at >= 20_000).map((x) => x.to)).toEqual(['BACKUP']);
    expect(diagnostics).toEqual([]);
  });

  it('preempt_delay 10: the returning master waits ten seconds from the first lower advert it hears', () => {
    const { timeline } = runCase(pair(instance({ state: 'BACKUP', priority: 100, vrid: 20, extra: '    preempt_delay 10\n' }), instance({ state: 'BACKUP', priority: 80, vrid: 20 })), { name: 'preempt_delay', events: crashAndReturn, duration: 40_000 });
    const takeover = masterDown(100) + 6000 + masterDown(80);
    // ka2 advertises every second from its takeover; ka1 hears the first at 20296.875, discards lower adverts from
    // 30296.875 on, and goes MASTER a master-down interval after the last one it accepted.
    const firstHeard = takeover + 7000;
    expect(holders(timeline, '192.168.183.100').at(-1)).toBe(`${firstHeard + 10_000 - 1000 + masterDown(100)} ka1`);
  });

  it('master/master: each node holds one VIP, and the survivor holds both', () => {
    const ka1 = instance({ state: 'MASTER', priority: 100 }) + instance({ name: 'VI_60', state: 'BACKUP', priority: 80, vrid: 52, vip: '192.168.183.200/24' });
    const ka2 = instance({ state: 'BACKUP', priority: 80 }) + instance({ name: 'VI_60', state: 'MASTER', priority: 100, vrid: 52, vip: '192.168.183.200/24' });
    const { timeline } = runCase(pair(ka1, ka2), { name: 'master/master', events: [{ at: 10_000, kind: 'crash', node: 'ka1' }], duration: 20_000 });
    expect(holders(timeline, '192.168.183.100')).toEqual([`${masterDown(100)} ka1`, '10000 -', `${masterDown(100) + 6000 + masterDown(80)} ka2`]);
    expect(holders(timeline, '192.168.183.200')).toEqual([`${masterDown(100)} ka2`]);
  });

  it('weight -30 check (article 003, unicast): the VIP moves when the script has failed twice, and back', () => {
    const [a, b] = ['003-ka1-vip.conf', '003-ka2-vip.conf'].map((f) => readFileSync(join(ARTICLES, f), 'utf8'));
    const nodes = [node('ka1', a!, '10.0.0.18'), node('ka2', b!, '10.0.0.28')];
    const events: SimEvent[] = [
      { at: 10_000, kind: 'script-fail', node: 'ka1', script: 'check_test' },
      { at: 20_000, kind: 'script-recover', node: 'ka1', script: 'check_test' },
    ];
    const { timeline, failovers, diagnostics } = runCase(nodes, { name: 'weight -30', events, duration: 30_000 });
    // The script runs every 2 s from 0: failures at 10 and 12 s (fall 2) make ka1 100 - 30 = 70; ka2 (80) then
    // discards its adverts and takes over a master-down interval after the last one at 100 (11609.375).
    expect(timeline.priorities).toEqual([
      { at: 12_000, node: 'ka1', instance: 'WEB1', priority: 70 },
      { at: 22_000, node: 'ka1', instance: 'WEB1', priority: 100 },
    ]);
    expect(holders(timeline, '10.0.0.100')).toEqual([`${masterDown(100)} ka1`, `${11_609.375 + masterDown(80)} ka2`, `${21_296.875 + masterDown(100)} ka1`]);
    expect(failovers).toEqual([{ event: events[0], vip: '10.0.0.100', from: 'ka1', to: 'ka2', ms: 11_609.375 + masterDown(80) - 10_000 }]);
    expect(diagnostics).toEqual([]);
  });

  it('unicast, graceful stop: the backup takes over after its skew time', () => {
    const unicast = (self: string, peer: string) => `    unicast_src_ip ${self}\n    unicast_peer {\n        ${peer}\n    }\n`;
    const nodes = pair(instance({ state: 'MASTER', priority: 100, extra: unicast('192.168.183.50', '192.168.183.60') }), instance({ state: 'BACKUP', priority: 80, extra: unicast('192.168.183.60', '192.168.183.50') }));
    const { timeline } = runCase(nodes, { name: 'unicast stop', events: [{ at: 10_000, kind: 'stop', node: 'ka1' }], duration: 15_000 });
    expect(holders(timeline, '192.168.183.100')).toEqual([`${masterDown(100)} ka1`, '10000 -', `${10_000 + skew(80)} ka2`]);
    expect(timeline.adverts.find((a) => a.node === 'ka1')?.priorityZero).toBe(1);
  });
});

describe('machine events', () => {
  it('link down puts the master in FAULT (it resigns with priority 0), link up brings it back', () => {
    const { timeline } = runCase(pair(instance({ state: 'MASTER', priority: 100 }), instance({ state: 'BACKUP', priority: 80 })), {
      name: 'link',
      events: [
        { at: 10_000, kind: 'link-down', node: 'ka1', ifname: 'eth0' },
        { at: 20_000, kind: 'link-up', node: 'ka1', ifname: 'eth0' },
      ],
      duration: 30_000,
    });
    expect(timeline.transitions.filter((x) => x.node === 'ka1' && x.at >= 10_000).map((x) => `${x.at} ${x.to}`)).toEqual(['10000 FAULT', '20000 BACKUP', `${20_000 + masterDown(100)} MASTER`]);
    // The priority-0 advert does not leave through a dead link: ka2 waits out its master-down interval.
    expect(holders(timeline, '192.168.183.100')).toEqual([`${masterDown(100)} ka1`, '10000 -', `${9609.375 + masterDown(80)} ka2`, `${20_000 + masterDown(100)} ka1`]);
  });

  it('a track_file value times its weight moves the priority', () => {
    const tracked = 'track_file prio {\n    file /run/prio\n    weight -10\n}\n';
    const ka1 = tracked + instance({ state: 'BACKUP', priority: 100, extra: '    track_file {\n        prio\n    }\n' });
    const { timeline } = runCase(pair(ka1, instance({ state: 'BACKUP', priority: 80 })), { name: 'file', events: [{ at: 10_000, kind: 'file', node: 'ka1', path: '/run/prio', value: 3 }], duration: 20_000 });
    expect(timeline.priorities).toEqual([{ at: 10_000, node: 'ka1', instance: 'VI_1', priority: 70 }]);
    expect(holders(timeline, '192.168.183.100').at(-1)).toBe(`${9609.375 + masterDown(80)} ka2`);
  });
});

describe('findings', () => {
  const ids = (d: { ruleId: string }[]) => d.map((x) => x.ruleId);

  it('a check whose weight is too small to move the VIP', () => {
    const [a, b] = ['003-ka1-vip.conf', '003-ka2-vip.conf'].map((f) => readFileSync(join(ARTICLES, f), 'utf8').replaceAll('weight -30', 'weight -10'));
    const nodes = [node('ka1', a!, '10.0.0.18'), node('ka2', b!, '10.0.0.28')];
    const { diagnostics } = runCase(nodes, { name: 'weak', events: [{ at: 10_000, kind: 'script-fail', node: 'ka1', script: 'check_test' }], duration: 30_000 });
    expect(ids(diagnostics)).toEqual(['sim/failed-check-ignored']);
    expect(diagnostics[0]!.message).toBe('10.0.0.100 stayed on ka1 for 20.000 s while its vrrp_script check_test failed (effective priority 90); ka2 never took over');
    expect(diagnostics[0]!.range.file.path).toBe('/etc/keepalived/ka1.conf');
  });

  it('split brain between nodes that disagree on the password, not during a partition', () => {
    const nodes = pair(instance({ state: 'MASTER', priority: 100 }), instance({ state: 'BACKUP', priority: 80 }).replace('auth_pass 1111', 'auth_pass 2222'));
    expect(ids(runCase(nodes, { name: 'auth', events: [], duration: 10_000 }).diagnostics)).toEqual(['sim/split-brain']);
    const good = pair(instance({ state: 'MASTER', priority: 100 }), instance({ state: 'BACKUP', priority: 80 }));
    const partitioned = runCase(good, { name: 'partition', events: [{ at: 10_000, kind: 'partition', groups: [['ka1'], ['ka2']] }, { at: 20_000, kind: 'heal' }], duration: 30_000 });
    // After the heal, ka2's next advert (every second since its takeover) reaches ka1, which answers: ka2 gives way.
    const ka2Master = 9609.375 + masterDown(80);
    expect(holders(partitioned.timeline, '192.168.183.100')).toEqual([`${masterDown(100)} ka1`, `${ka2Master} ka1,ka2`, `${ka2Master + 7000} ka1`]);
    expect(partitioned.diagnostics).toEqual([]);
    expect(partitioned.failovers.map((f) => [f.from, f.to, f.ms])).toEqual([['ka1', 'ka2', ka2Master - 10_000]]);
    // Cut off until the heal, a failover slower than allowed counts up to the heal, not to the end of the run.
    const slow = runCase(good, { name: 'partition', events: [{ at: 10_000, kind: 'partition', groups: [['ka1'], ['ka2']] }, { at: 20_000, kind: 'heal' }], duration: 30_000 }, { maxFailoverMs: 1000 });
    expect(slow.diagnostics.map((d) => d.message)).toEqual([`after partition [ka1] [ka2] at 10.000 s, 192.168.183.100 reached ka2 only after ${(ka2Master - 10_000).toFixed(3)} ms (allowed: 1000 ms)`]);
  });

  it('a VIP held by no node while a sync group waits for a member another node masters', () => {
    const group = 'vrrp_sync_group G {\n    group {\n        VI_1\n        VI_2\n    }\n}\n';
    const ka1 = group + instance({ state: 'BACKUP', priority: 100 }) + instance({ name: 'VI_2', state: 'BACKUP', priority: 100, vrid: 52, vip: '192.168.183.200/24' });
    const ka2 = instance({ name: 'VI_2', state: 'MASTER', priority: 150, vrid: 52, vip: '192.168.183.200/24' });
    const { diagnostics } = runCase(pair(ka1, ka2), { name: 'group', events: [], duration: 20_000 });
    expect(ids(diagnostics)).toEqual(['sim/vip-unowned']);
    expect(diagnostics[0]!.message).toMatch(/^no node holds 192\.168\.183\.100 from 0\.000 s for 20\.000 s, though ka1 runs VI_1 as BACKUP$/);
  });

  it('flapping under heavy loss, and failovers slower than allowed', () => {
    const nodes = pair(instance({ state: 'MASTER', priority: 100 }), instance({ state: 'BACKUP', priority: 80 }));
    const lossy = runCase(nodes, { name: 'loss', events: [{ at: 5000, kind: 'loss', share: 0.7 }], duration: 60_000 }, { seed: 3 });
    expect(ids(lossy.diagnostics)).toContain('sim/flapping');
    const slow = runCase(nodes, { name: 'slow', events: [{ at: 10_000, kind: 'crash', node: 'ka1' }], duration: 20_000 }, { maxFailoverMs: 2000 });
    expect(ids(slow.diagnostics)).toEqual(['sim/slow-failover']);
    expect(slow.diagnostics[0]!.message).toBe(`after crash ka1 at 10.000 s, 192.168.183.100 reached ka2 only after ${(9609.375 + masterDown(80) - 10_000).toFixed(3)} ms (allowed: 2000 ms)`);
  });

  it('the same scenario with the same seed gives the same timeline', () => {
    const nodes = pair(instance({ state: 'MASTER', priority: 100 }), instance({ state: 'BACKUP', priority: 80 }));
    const run = () => runCase(nodes, { name: 'loss', events: [{ at: 1000, kind: 'loss', share: 0.5 }], duration: 30_000 }, { seed: 9 }).timeline.ownership;
    expect(run()).toEqual(run());
  });
});

describe('the standard battery', () => {
  it('crashes each node, fails each tracked script on each node, and cuts each node off', () => {
    const [a, b] = ['003-ka1-vip.conf', '003-ka2-vip.conf'].map((f) => readFileSync(join(ARTICLES, f), 'utf8'));
    const nodes = [node('ka1', a!, '10.0.0.18'), node('ka2', b!, '10.0.0.28')];
    const cases = battery(nodes);
    expect(cases.map((c) => c.name)).toEqual([
      'ka1 crashes and starts again',
      'ka2 crashes and starts again',
      'check_test fails on ka1 and recovers',
      'check_test fails on ka2 and recovers',
      'ka1 is cut off from ka2 and the network heals',
    ]);
    const results = cases.map((c) => runCase(nodes, c));
    expect(results.flatMap((r) => r.diagnostics)).toEqual([]);
    expect(results[0]!.failovers.map((f) => `${f.from}->${f.to}`)).toEqual(['ka1->ka2']);
  });
});

describe('scenarios', () => {
  const nodes = { lb1: { scripts: ['chk_nginx'], interfaces: ['eth0'], files: ['/run/prio'] }, lb2: { scripts: [], interfaces: ['eth0'], files: [] } };

  it('reads strings and objects, times in ms, s, m and bare seconds, in time order', () => {
    const s = parseScenario(
      `duration: 2m
delay: 1ms
max-failover: 4s
events:
  - 5s crash lb1
  - { at: 10, start: lb1 }
  - 1500ms script-fail lb1 chk_nginx
  - at: 20s
    partition: [[lb1], [lb2]]
  - 0.5m heal
  - 31s loss 30%
  - 32s link-down lb2 eth0
  - 33s file lb1 /run/prio -5
`,
      nodes,
    );
    expect(s.duration).toBe(120_000);
    expect(s.delayMs).toBe(1);
    expect(s.maxFailoverMs).toBe(4000);
    expect(s.events).toEqual([
      { at: 1500, kind: 'script-fail', node: 'lb1', script: 'chk_nginx' },
      { at: 5000, kind: 'crash', node: 'lb1' },
      { at: 10_000, kind: 'start', node: 'lb1' },
      { at: 20_000, kind: 'partition', groups: [['lb1'], ['lb2']] },
      { at: 30_000, kind: 'heal' },
      { at: 31_000, kind: 'loss', share: 0.3 },
      { at: 32_000, kind: 'link-down', node: 'lb2', ifname: 'eth0' },
      { at: 33_000, kind: 'file', node: 'lb1', path: '/run/prio', value: -5 },
    ]);
    expect(parseScenario('["1s partition lb1 | lb2"]', nodes).events).toEqual([{ at: 1000, kind: 'partition', groups: [['lb1'], ['lb2']] }]);
  });

  it('says what is wrong, with the event', () => {
    const error = (text: string) => {
      try {
        parseScenario(text, nodes);
      } catch (e) {
        expect(e).toBeInstanceOf(ScenarioError);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(error('- 5s crash lb3')).toBe('event 1: no node lb3 (nodes: lb1, lb2)');
    expect(error('- 5s script-fail lb1 chk_db')).toBe('event 1: node lb1 has no vrrp_script chk_db (it has chk_nginx)');
    expect(error('- 5s reboot lb1')).toMatch(/^event 1: unknown event reboot \(events: crash, restart/);
    expect(error('- soon crash lb1')).toBe('event 1: expected a time such as 500ms, 5s, 2m or 1h, got "soon"');
    expect(error('- 5s link-down lb1 eth9')).toBe('event 1: node lb1 uses no interface eth9 (it uses eth0)');
    expect(error('- 5s file lb1 /run/other 3')).toBe('event 1: node lb1 tracks no file /run/other (it tracks /run/prio)');
    expect(error('- 5s loss 150%')).toBe('event 1: loss needs a share between 0 and 1 or a percentage, got 150%');
    expect(error('- 5s partition [lb1]')).toBe('event 1: expected partition [A,B] [C]: two or more groups of distinct nodes');
    expect(error('[5s crash lb1, 6s crash lb1]')).toBe('at 6000 ms: crash lb1, which is not running (start or restart it first)');
    expect(error('[5s start lb1, 6s start lb1]')).toBe('at 6000 ms: start lb1, which is already running (restart restarts it)');
    expect(error('- 25h crash lb1')).toBe('event 1: 25h is more than the 24 h kalint simulates');
    expect(error('events: 3')).toBe('expected a list of events, or an object with an "events" list');
    expect(error('{events: [], speed: 2}')).toBe('unknown setting speed (settings: events, duration, delay, seed, segments, max-failover)');
    expect(error('{ a: [')).toMatch(/^not YAML or JSON: /);
  });
});
