import { describe, expect, it } from 'vitest';
import type { VirtualService } from '../runtime/dataplane/types.ts';
import { Pool, type PoolEvent, type PoolServerSpec, type PoolSpec } from '../runtime/lvs/pool.ts';

const service: VirtualService = { id: 'tcp|192.0.2.1|80', family: 4, protocol: 'tcp', address: '192.0.2.1', port: 80, scheduler: 'wrr', flags: [], label: '192.0.2.1 80' };

const server = (n: number, extra: Partial<PoolServerSpec> = {}): PoolServerSpec => ({
  address: `10.0.0.${n}`,
  port: 80,
  forwarding: 'NAT',
  weight: n,
  inhibit: false,
  upperThreshold: 0,
  lowerThreshold: 0,
  checkers: [{ alpha: false }],
  ...extra,
});

function pool(extra: Partial<PoolSpec> = {}) {
  const events: PoolEvent[] = [];
  const p = new Pool({ service, label: '[192.0.2.1]:tcp:80', servers: [server(1), server(2)], quorum: 1, hysteresis: 0, omega: false, ...extra }, (e) => events.push(e));
  const table = () => Object.fromEntries(p.state().destinations.map((d) => [d.address, d.weight]));
  const logs = () => events.filter((e) => e.type === 'log').map((e) => (e as { text: string }).text);
  const notices = () => events.filter((e) => e.type !== 'log');
  return { p, events, table, logs, notices };
}

describe('an LVS pool as keepalived keeps it', () => {
  it('starts with every server whose checkers have not failed, and the quorum up', () => {
    const { p, table, notices } = pool();
    p.start();
    expect(table()).toEqual({ '10.0.0.1': 1, '10.0.0.2': 2 });
    expect(notices()).toEqual([{ type: 'quorum', up: true, stopping: false, message: '=> Starting with quorum up 1+0=1 <= 3 <=' }]);
  });

  it('removes a server whose checker fails and adds it back when it passes, logging in keepalived words', () => {
    const { p, table, logs, notices } = pool();
    p.start();
    p.checkerResult(0, 0, false);
    expect(table()).toEqual({ '10.0.0.2': 2 });
    p.checkerResult(0, 0, true);
    expect(table()).toEqual({ '10.0.0.1': 1, '10.0.0.2': 2 });
    expect(logs()).toContain('Removing service [10.0.0.1]:tcp:80 from VS [192.0.2.1]:tcp:80');
    expect(logs()).toContain('Adding service [10.0.0.1]:tcp:80 to VS [192.0.2.1]:tcp:80');
    expect(notices().filter((e) => e.type === 'server')).toEqual([
      { type: 'server', server: 0, up: false, stopping: false },
      { type: 'server', server: 0, up: true, stopping: false },
    ]);
  });

  it('needs every checker of a server to pass', () => {
    const { p, table } = pool({ servers: [server(1, { checkers: [{ alpha: false }, { alpha: false }] })] });
    p.start();
    p.checkerResult(0, 0, false);
    p.checkerResult(0, 1, false);
    p.checkerResult(0, 0, true);
    expect(table()).toEqual({});
    p.checkerResult(0, 1, true);
    expect(table()).toEqual({ '10.0.0.1': 1 });
  });

  it('sets an inhibited server to weight 0 instead of removing it', () => {
    const { p, table, logs } = pool({ servers: [server(3, { inhibit: true })] });
    p.start();
    p.checkerResult(0, 0, false);
    expect(table()).toEqual({ '10.0.0.3': 0 });
    p.checkerResult(0, 0, true);
    expect(table()).toEqual({ '10.0.0.3': 3 });
    expect(logs()).toContain('Disabling service [10.0.0.3]:tcp:80 of VS [192.0.2.1]:tcp:80');
  });

  it('keeps alpha servers out until their first check passes, and reports a first failure once', () => {
    const { p, table, notices } = pool({ servers: [server(1, { checkers: [{ alpha: true }] }), server(2, { checkers: [{ alpha: true }] })] });
    p.start();
    expect(table()).toEqual({});
    p.checkerResult(1, 0, false);
    expect(notices().at(-1)).toEqual({ type: 'server', server: 1, up: false, stopping: false });
    p.checkerResult(0, 0, true);
    expect(table()).toEqual({ '10.0.0.1': 1 });
    expect(p.hasQuorum).toBe(true);
  });

  it('swaps in the sorry server when the quorum is lost and out when it is regained', () => {
    const sorry = { address: '10.0.0.9', port: 80, forwarding: 'NAT' as const, weight: 1, inhibit: false, upperThreshold: 0, lowerThreshold: 0 };
    const { p, table, logs } = pool({ sorry, quorum: 2 });
    p.start();
    expect(table()).toEqual({ '10.0.0.1': 1, '10.0.0.2': 2 });
    p.checkerResult(1, 0, false);
    expect(table()).toEqual({ '10.0.0.9': 1 });
    expect(logs()).toContain('Lost quorum 2-0=2 > 1 for VS [192.0.2.1]:tcp:80');
    expect(logs()).toContain('Adding sorry server [10.0.0.9]:tcp:80 to VS [192.0.2.1]:tcp:80');
    p.checkerResult(1, 0, true);
    expect(table()).toEqual({ '10.0.0.1': 1, '10.0.0.2': 2 });
    expect(logs()).toContain('Removing sorry server [10.0.0.9]:tcp:80 from VS [192.0.2.1]:tcp:80');
  });

  it('starts with the sorry server when alpha servers leave the quorum down', () => {
    const sorry = { address: '10.0.0.9', port: 80, forwarding: 'DR' as const, weight: 1, inhibit: false, upperThreshold: 0, lowerThreshold: 0 };
    const { p, table, notices } = pool({ sorry, servers: [server(1, { checkers: [{ alpha: true }] })] });
    p.start();
    expect(table()).toEqual({ '10.0.0.9': 1 });
    expect(notices()).toEqual([{ type: 'quorum', up: false, stopping: false, message: '=> Starting with quorum down 1+0=1 <= 0 <=' }]);
  });

  it('damps the quorum with the hysteresis', () => {
    const servers = [1, 2, 3, 4].map((n) => server(n, { weight: 1 }));
    const { p } = pool({ servers, quorum: 3, hysteresis: 1 });
    p.start();
    expect(p.hasQuorum).toBe(true);
    p.checkerResult(0, 0, false);
    p.checkerResult(1, 0, false);
    expect(p.hasQuorum).toBe(true);
    p.checkerResult(2, 0, false);
    expect(p.hasQuorum).toBe(false);
    p.checkerResult(0, 0, true);
    p.checkerResult(1, 0, true);
    expect(p.hasQuorum).toBe(false);
    p.checkerResult(2, 0, true);
    expect(p.hasQuorum).toBe(true);
  });

  it('applies a dynamic weight to a live server', () => {
    const { p, table, logs } = pool();
    p.start();
    p.setWeight(1, 7);
    expect(table()).toEqual({ '10.0.0.1': 1, '10.0.0.2': 7 });
    expect(logs()).toContain('Changing weight from 2 to 7 for active service [10.0.0.2]:tcp:80 of VS [192.0.2.1]:tcp:80');
    p.setWeight(1, -5);
    expect(table()).toEqual({ '10.0.0.1': 1, '10.0.0.2': 0 });
  });

  it('empties the table on stop, notifying only with omega', () => {
    for (const omega of [false, true]) {
      const { p, table, notices } = pool({ omega, servers: [server(1, { inhibit: true })] });
      p.start();
      const before = notices().length;
      p.stop();
      expect(table()).toEqual({});
      expect(notices().length - before).toBe(omega ? 2 : 0);
    }
  });
});
