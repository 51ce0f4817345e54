/**
 * The VRRP state machine in virtual time, without sockets: the transitions
 * of reference §5.5 with the timers of §5.4, adverts going through the real
 * wire encoding on a virtual segment.
 */
import { describe, expect, it } from 'vitest';
import { VirtualLan } from '../runtime/virtual-lan.ts';
import { type InstanceSettings, SyncGroup } from '../runtime/vrrp/instance.ts';

const base = (over: Partial<Omit<InstanceSettings, 'primaryAddress'>> = {}): Omit<InstanceSettings, 'primaryAddress'> => ({
  name: 'VI_1',
  vrid: 51,
  version: 3,
  priority: 100,
  advertIntervalMs: 1000,
  addresses: ['10.0.0.100'],
  initialMaster: false,
  preempt: true,
  preemptDelayMs: 0,
  downTimerAdverts: 3,
  ...over,
});

/** Master_Down_Interval for priority p at a 1 s interval (v3): 3 s + (256 − p)/256 s. */
const downMs = (p: number, intervalMs = 1000) => 3 * intervalMs + ((256 - p) * intervalMs) / 256;

function pair(a: Partial<Omit<InstanceSettings, 'primaryAddress'>>, b: Partial<Omit<InstanceSettings, 'primaryAddress'>>, delayMs = 0) {
  const lan = new VirtualLan(delayMs);
  lan.addNode('ka1', '10.0.0.1');
  lan.addNode('ka2', '10.0.0.2');
  const i1 = lan.addInstance('ka1', base(a));
  const i2 = lan.addInstance('ka2', base(b));
  return { lan, i1, i2 };
}

const when = (lan: VirtualLan, node: string, to: string) => lan.transitions.find((t) => t.node === node && t.to === to)?.at;

describe('VRRP state machine', () => {
  it('INIT -> BACKUP at once, MASTER after Master_Down_Interval when nobody else advertises', () => {
    const lan = new VirtualLan();
    lan.addNode('ka1', '10.0.0.1');
    const i = lan.addInstance('ka1', base({ priority: 100 }));
    i.start();
    expect(i.state).toBe('BACKUP');
    lan.clock.runUntil(downMs(100) - 1);
    expect(i.state).toBe('BACKUP');
    lan.clock.runUntil(downMs(100));
    expect(i.state).toBe('MASTER');
    expect(lan.transitions.map((t) => `${t.at.toFixed(3)} ${t.from}->${t.to}`)).toEqual(['0.000 INIT->BACKUP', `${downMs(100).toFixed(3)} BACKUP->MASTER`]);
  });

  it('an address owner with state MASTER is MASTER at once; state MASTER on a non-owner speeds nothing up', () => {
    const { lan, i1, i2 } = pair({ priority: 255, initialMaster: true }, { priority: 100, initialMaster: true });
    i1.start();
    i2.start();
    lan.clock.runUntil(0);
    expect(i1.state).toBe('MASTER');
    lan.clock.runUntil(10_000);
    expect(i2.state).toBe('BACKUP');
  });

  it('the higher priority wins the election, adverts every interval, and the backup stays BACKUP', () => {
    const { lan, i1, i2 } = pair({ priority: 100 }, { priority: 90 });
    i1.start();
    i2.start();
    lan.clock.runUntil(20_000);
    expect(i1.state).toBe('MASTER');
    expect(i2.state).toBe('BACKUP');
    expect(when(lan, 'ka1', 'MASTER')).toBeCloseTo(downMs(100), 6);
    const adverts = lan.sent.filter((s) => s.node === 'ka1').map((s) => s.at);
    expect(adverts[1]! - adverts[0]!).toBe(1000);
  });

  it('a crashed master is replaced after the backup Master_Down_Interval', () => {
    const { lan, i1, i2 } = pair({ priority: 100 }, { priority: 90 });
    i1.start();
    i2.start();
    lan.clock.runUntil(10_000);
    const lastAdvert = lan.sent.filter((s) => s.node === 'ka1').at(-1)!.at;
    lan.crash('ka1');
    lan.clock.runUntil(20_000);
    expect(i2.state).toBe('MASTER');
    expect(when(lan, 'ka2', 'MASTER')).toBeCloseTo(lastAdvert + downMs(90), 6);
  });

  it('a stopping master resigns with priority 0 and the backup takes over after Skew_Time', () => {
    const { lan, i1, i2 } = pair({ priority: 100 }, { priority: 90 });
    i1.start();
    i2.start();
    lan.clock.runUntil(10_000);
    i1.stop();
    expect(lan.sent.at(-1)!.advert.priority).toBe(0);
    lan.clock.runUntil(11_000);
    expect(i2.state).toBe('MASTER');
    expect(when(lan, 'ka2', 'MASTER')).toBeCloseTo(10_000 + ((256 - 90) * 1000) / 256, 6);
    expect(i1.state).toBe('STOP');
  });

  it('preempt: a higher priority returning takes the VIP back; nopreempt: it stays BACKUP', () => {
    for (const preempt of [true, false]) {
      const { lan, i1, i2 } = pair({ priority: 100, preempt }, { priority: 90 });
      i2.start();
      lan.clock.runUntil(10_000);
      expect(i2.state).toBe('MASTER');
      i1.start();
      lan.clock.runUntil(20_000);
      expect(i1.state).toBe(preempt ? 'MASTER' : 'BACKUP');
      expect(i2.state).toBe(preempt ? 'BACKUP' : 'MASTER');
      if (preempt) expect(when(lan, 'ka1', 'MASTER')).toBeCloseTo(10_000 + downMs(100), 6);
    }
  });

  it('preempt_delay: the returning higher priority accepts adverts for that long, then takes over a Master_Down_Interval later', () => {
    const { lan, i1, i2 } = pair({ priority: 100, preemptDelayMs: 5000 }, { priority: 90 });
    i2.start();
    lan.clock.runUntil(10_000);
    i1.start();
    lan.clock.runUntil(30_000);
    expect(i1.state).toBe('MASTER');
    // The first lower advert comes within an interval of the start; from 5 s after it, adverts are ignored.
    const at = when(lan, 'ka1', 'MASTER')!;
    expect(at).toBeGreaterThanOrEqual(10_000 + 5000 + downMs(100) - 1000);
    expect(at).toBeLessThanOrEqual(10_000 + 5000 + downMs(100) + 1000);
  });

  it('equal priorities: two masters at once keep the higher primary address; a backup hearing an equal priority stays BACKUP', () => {
    // Both timers run out together; with a 1 ms segment both become MASTER before hearing the other.
    const both = pair({ priority: 100 }, { priority: 100 }, 1);
    both.i1.start();
    both.i2.start();
    both.lan.clock.runUntil(20_000);
    expect(both.lan.masters('VI_1')).toEqual(['ka2']);
    const late = pair({ priority: 100 }, { priority: 100 });
    late.i1.start();
    late.lan.clock.runUntil(10_000);
    late.i2.start();
    late.lan.clock.runUntil(20_000);
    expect(late.lan.masters('VI_1')).toEqual(['ka1']);
  });

  it('a lower effective priority (a tracked script failing) hands the VIP to the preempting backup', () => {
    const { lan, i1, i2 } = pair({ priority: 100 }, { priority: 90 });
    i1.start();
    i2.start();
    lan.clock.runUntil(10_000);
    i1.setEffectivePriority(70);
    lan.clock.runUntil(20_000);
    expect(lan.masters('VI_1')).toEqual(['ka2']);
    // ka2 ignores the lower adverts from 10 s on: it times out from the last one it accepted.
    const lastAccepted = lan.sent.filter((s) => s.node === 'ka1' && s.at <= 10_000).at(-1)!.at;
    expect(when(lan, 'ka2', 'MASTER')).toBeCloseTo(lastAccepted + downMs(90), 6);
    i1.setEffectivePriority(100);
    lan.clock.runUntil(30_000);
    expect(lan.masters('VI_1')).toEqual(['ka1']);
  });

  it('FAULT: a master with a failed weight-0 tracker resigns and releases; clearing it goes BACKUP', () => {
    const { lan, i1, i2 } = pair({ priority: 100 }, { priority: 90 });
    i1.start();
    i2.start();
    lan.clock.runUntil(10_000);
    i1.setFault(true);
    expect(i1.state).toBe('FAULT');
    expect(lan.sent.at(-1)!.advert.priority).toBe(0);
    lan.clock.runUntil(11_000);
    expect(i2.state).toBe('MASTER');
    i1.setFault(false);
    expect(i1.state).toBe('BACKUP');
    lan.clock.runUntil(20_000);
    expect(i1.state).toBe('MASTER');
  });

  it('starts in FAULT when a tracker is already down', () => {
    const { i1 } = pair({}, {});
    i1.setFault(true);
    i1.start();
    expect(i1.state).toBe('FAULT');
  });

  it('a VRRPv3 backup adopts the master\'s advert interval for its timers', () => {
    const { lan, i1, i2 } = pair({ priority: 100, advertIntervalMs: 100 }, { priority: 90, advertIntervalMs: 1000 });
    i1.start();
    i2.start();
    lan.clock.runUntil(5_000);
    expect(i2.masterAdverIntervalMs).toBe(100);
    lan.crash('ka1');
    const crashed = lan.clock.now();
    lan.clock.runUntil(7_000);
    expect(when(lan, 'ka2', 'MASTER')! - crashed).toBeLessThanOrEqual(downMs(90, 100));
  });

  it('VRRPv2 with PASS authentication elects normally; a wrong password is not heard (both MASTER)', () => {
    const auth = { type: 'pass' as const, password: '1111' };
    const ok = pair({ version: 2, auth }, { version: 2, priority: 90, auth });
    ok.i1.start();
    ok.i2.start();
    ok.lan.clock.runUntil(10_000);
    expect(ok.lan.masters('VI_1')).toEqual(['ka1']);
    const bad = pair({ version: 2, auth }, { version: 2, priority: 90, auth: { type: 'pass', password: '2222' } });
    bad.i1.start();
    bad.i2.start();
    bad.lan.clock.runUntil(10_000);
    expect(bad.lan.masters('VI_1').sort()).toEqual(['ka1', 'ka2']);
  });

  it('a partition makes two masters; healing leaves one', () => {
    const { lan, i1, i2 } = pair({ priority: 100 }, { priority: 90 });
    i1.start();
    i2.start();
    lan.clock.runUntil(10_000);
    lan.partition(['ka1'], ['ka2']);
    lan.clock.runUntil(20_000);
    expect(lan.masters('VI_1').sort()).toEqual(['ka1', 'ka2']);
    lan.heal();
    lan.clock.runUntil(22_000);
    expect(lan.masters('VI_1')).toEqual(['ka1']);
  });

  it('sync groups move together: a member\'s fault takes the whole group to FAULT and the peer group takes over', () => {
    const lan = new VirtualLan();
    lan.addNode('ka1', '10.0.0.1');
    lan.addNode('ka2', '10.0.0.2');
    const g1 = new SyncGroup('G');
    const g2 = new SyncGroup('G');
    const a1 = lan.addInstance('ka1', base({ name: 'VI_1', vrid: 51, priority: 100 }), g1);
    const b1 = lan.addInstance('ka1', base({ name: 'VI_2', vrid: 52, priority: 100 }), g1);
    const a2 = lan.addInstance('ka2', base({ name: 'VI_1', vrid: 51, priority: 90 }), g2);
    const b2 = lan.addInstance('ka2', base({ name: 'VI_2', vrid: 52, priority: 90 }), g2);
    for (const i of [a1, b1, a2, b2]) i.start();
    lan.clock.runUntil(10_000);
    expect([a1.state, b1.state, a2.state, b2.state]).toEqual(['MASTER', 'MASTER', 'BACKUP', 'BACKUP']);
    a1.setFault(true);
    expect(b1.state).toBe('FAULT');
    lan.clock.runUntil(12_000);
    expect([a2.state, b2.state]).toEqual(['MASTER', 'MASTER']);
    a1.setFault(false);
    expect([a1.state, b1.state]).toEqual(['BACKUP', 'BACKUP']);
    lan.clock.runUntil(25_000);
    expect([a1.state, b1.state, a2.state, b2.state]).toEqual(['MASTER', 'MASTER', 'BACKUP', 'BACKUP']);
  });

  it('a sync group goes MASTER only when every member wants to', () => {
    const lan = new VirtualLan();
    lan.addNode('ka1', '10.0.0.1');
    lan.addNode('ka2', '10.0.0.2');
    const g = new SyncGroup('G');
    const a1 = lan.addInstance('ka1', base({ name: 'VI_1', vrid: 51, priority: 100 }), g);
    const b1 = lan.addInstance('ka1', base({ name: 'VI_2', vrid: 52, priority: 100 }), g);
    // The peer is master of VI_2 only, with a higher priority: VI_2 on ka1 never times out, so VI_1 may not go MASTER.
    const b2 = lan.addInstance('ka2', base({ name: 'VI_2', vrid: 52, priority: 200 }));
    for (const i of [a1, b1, b2]) i.start();
    lan.clock.runUntil(20_000);
    expect([a1.state, b1.state, b2.state]).toEqual(['BACKUP', 'BACKUP', 'MASTER']);
    expect(a1.wantsMaster).toBe(true);
  });
});
