/**
 * The simulator against the real thing: each scenario runs once with real `kalint run` daemons in network namespaces
 * (a bridge and three nodes, private addresses, a prefix unique to the run, removed afterwards) and once in the
 * simulator, from the moments each daemon really started and stopped (read from its log, whose lines carry
 * millisecond timestamps). Both must give the same sequence of VIP holders and the same transitions within 20 ms.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigText } from '../grammar/index.ts';
import { type SimEvent, simulate, type Timeline } from '../runtime/sim/simulation.ts';
import { namespaceUnavailable } from './helpers/netns.ts';

const ROOT = join(import.meta.dirname, '..');
const unavailable = namespaceUnavailable();
if (unavailable && !process.env['KALINT_SKIP_NETNS']) throw new Error(`simulator interop test ${unavailable}; set KALINT_SKIP_NETNS=1 to skip it`);

const P = `sm${process.pid.toString(36)}`;
const ns = (n: string) => `${P}-${n}`;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe', encoding: 'utf8' });
const NODES = { a: '10.98.0.1', b: '10.98.0.2', c: '10.98.0.3' } as const;
type Node = keyof typeof NODES;
const VIP = '10.98.0.100';
const TOLERANCE_MS = 20;

function config(node: Node, priority: number, options: { nopreempt?: boolean; unicast?: boolean } = {}): string {
  const peers = (Object.keys(NODES) as Node[]).filter((n) => n !== node).map((n) => NODES[n]);
  return `global_defs {
    router_id ${node}
    vrrp_version 3
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 61
    priority ${priority}
    advert_int 0.1
${options.nopreempt ? '    nopreempt\n' : ''}${options.unicast ? `    unicast_src_ip ${NODES[node]}\n    unicast_peer {\n${peers.map((p) => `        ${p}\n`).join('')}    }\n` : ''}    virtual_ipaddress {
        ${VIP}/24 dev eth0
    }
}
`;
}

interface Step {
  at: number;
  action: 'start' | 'stop';
  node: Node;
}

/** What a real run showed: per node, log lines with their timestamps (ms since the run began). */
type Logs = { at: number; node: Node; line: string }[];

/** A comparable view of a run: transitions per node, and the VIP's holders once settled. */
interface View {
  transitions: { at: number; node: string; from: string; to: string }[];
  holders: { at: number; owners: string }[];
}

/** Drops holder states shorter than the tolerance (a new master adds the VIP just before the old one removes it). */
function settled(changes: { at: number; owners: string }[], end: number): { at: number; owners: string }[] {
  const kept = changes.filter((c, k) => (changes[k + 1]?.at ?? end) - c.at >= TOLERANCE_MS);
  return kept.filter((c, k) => k === 0 || c.owners !== kept[k - 1]!.owners);
}

function realView(logs: Logs, end: number): View {
  const transitions: View['transitions'] = [];
  const state = new Map<string, string>();
  const owners = new Set<string>();
  const changes: { at: number; owners: string }[] = [];
  for (const { at, node, line } of logs) {
    const entering = /\(VI_1\) Entering (\w+) STATE/.exec(line);
    if (entering) {
      const from = line.includes('(init)') ? 'INIT' : state.get(node) ?? 'INIT';
      transitions.push({ at, node, from, to: entering[1]! });
      state.set(node, entering[1]!);
    }
    if (/\(VI_1\) setting VIPs\./.test(line)) owners.add(node);
    if (/\(VI_1\) removing VIPs\./.test(line)) owners.delete(node);
    if (line.endsWith('Stopping')) {
      transitions.push({ at, node, from: state.get(node) ?? 'INIT', to: 'STOP' });
      state.set(node, 'STOP');
    }
    const now = [...owners].sort().join(',') || '-';
    if ((changes.at(-1)?.owners ?? '-') !== now) changes.push({ at, owners: now });
  }
  return { transitions, holders: settled(changes, end) };
}

function simView(t: Timeline): View {
  return {
    transitions: t.transitions.map(({ at, node, from, to }) => ({ at, node, from, to })),
    holders: settled(t.ownership.map((o) => ({ at: o.at, owners: o.owners.join(',') || '-' })), t.duration),
  };
}

describe.skipIf(!!unavailable)('the simulator and real kalint run daemons agree', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kalint-sim-interop-'));
    ip('netns', 'add', ns('br'));
    ip('-n', ns('br'), 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', ns('br'), 'link', 'set', 'dev', 'br0', 'up');
    for (const [n, address] of Object.entries(NODES)) {
      ip('netns', 'add', ns(n));
      ip('link', 'add', `${P}${n}0`, 'netns', ns(n), 'type', 'veth', 'peer', 'name', `port-${n}`, 'netns', ns('br'));
      ip('-n', ns(n), 'link', 'set', 'dev', `${P}${n}0`, 'name', 'eth0');
      ip('-n', ns(n), 'addr', 'add', `${address}/24`, 'dev', 'eth0');
      ip('-n', ns(n), 'link', 'set', 'dev', 'lo', 'up');
      ip('-n', ns(n), 'link', 'set', 'dev', 'eth0', 'up');
      ip('-n', ns('br'), 'link', 'set', 'dev', `port-${n}`, 'master', 'br0');
      ip('-n', ns('br'), 'link', 'set', 'dev', `port-${n}`, 'up');
    }
  });

  afterAll(() => {
    for (const n of [...Object.keys(NODES), 'br']) spawnSync('ip', ['netns', 'del', ns(n)]);
  });

  /** Runs the steps with real daemons and returns their logs, timed from the run's start. */
  async function realRun(configs: Partial<Record<Node, string>>, steps: Step[], end: number): Promise<Logs> {
    const logs: Logs = [];
    const running = new Map<Node, ChildProcess>();
    const origin = Date.now();
    const start = (node: Node) => {
      const file = join(dir, `${node}.conf`);
      writeFileSync(file, configs[node]!);
      const p = spawn('ip', ['netns', 'exec', ns(node), process.execPath, join(ROOT, 'bin/kalint.js'), 'run', '-f', file, '-l', '--control', join(dir, `${node}.sock`)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let buffer = '';
      p.stdout!.on('data', (d) => {
        buffer += d;
        for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          const m = /^(\S+Z) Keepalived_vrrp\[\d+\]: (.*)$/.exec(line);
          if (m) logs.push({ at: Date.parse(m[1]!) - origin, node, line: m[2]! });
        }
      });
      running.set(node, p);
    };
    try {
      for (const step of steps) {
        await new Promise((r) => setTimeout(r, Math.max(0, origin + step.at - Date.now())));
        if (step.action === 'start') start(step.node);
        else {
          const p = running.get(step.node)!;
          running.delete(step.node);
          p.kill('SIGTERM');
          await new Promise((r) => p.once('exit', r));
        }
      }
      await new Promise((r) => setTimeout(r, Math.max(0, origin + end - Date.now())));
    } finally {
      for (const p of running.values()) p.kill('SIGKILL');
      for (const n of Object.keys(NODES)) spawnSync('ip', ['-n', ns(n), 'addr', 'del', `${VIP}/24`, 'dev', 'eth0']);
    }
    return logs.sort((x, y) => x.at - y.at);
  }

  /** The same steps in the simulator, at the moments the real daemons started (first line) and stopped ('Stopping'). */
  function simulated(configs: Partial<Record<Node, string>>, logs: Logs, end: number): Timeline {
    const events: SimEvent[] = [];
    for (const node of Object.keys(configs) as Node[]) {
      const own = logs.filter((l) => l.node === node);
      for (const l of own) {
        if (/Entering BACKUP STATE \(init\)/.test(l.line)) events.push({ at: l.at, kind: 'start', node });
        if (l.line.endsWith('Stopping')) events.push({ at: l.at, kind: 'stop', node });
      }
    }
    const nodes = (Object.keys(configs) as Node[]).map((n) => ({ name: n, config: readConfigText(configs[n]!, `/t/${n}.conf`).config, address: { 4: NODES[n], 6: 'fe80::1' } }));
    return simulate(nodes, events, end);
  }

  async function compare(configs: Partial<Record<Node, string>>, steps: Step[], end: number, expectedHolders: string[]) {
    const logs = await realRun(configs, steps, end);
    const real = realView(logs, end);
    const sim = simView(simulated(configs, logs, end));
    expect(real.holders.map((h) => h.owners)).toEqual(expectedHolders);
    expect(sim.holders.map((h) => h.owners)).toEqual(real.holders.map((h) => h.owners));
    expect(sim.transitions.map((t) => `${t.node} ${t.from}->${t.to}`)).toEqual(real.transitions.map((t) => `${t.node} ${t.from}->${t.to}`));
    const apart = sim.transitions.map((t, k) => Math.abs(t.at - real.transitions[k]!.at));
    expect(Math.max(...apart)).toBeLessThanOrEqual(TOLERANCE_MS);
    const holderApart = sim.holders.map((h, k) => Math.abs(h.at - real.holders[k]!.at));
    expect(Math.max(...holderApart)).toBeLessThanOrEqual(TOLERANCE_MS);
  }

  it('preempt: the master stops, the backup takes over after its skew time, the master returns and preempts', async () => {
    await compare(
      { a: config('a', 150), b: config('b', 100) },
      [
        { at: 0, action: 'start', node: 'a' },
        { at: 1000, action: 'start', node: 'b' },
        { at: 2500, action: 'stop', node: 'a' },
        { at: 3500, action: 'start', node: 'a' },
      ],
      5500,
      ['a', '-', 'b', 'a'],
    );
  }, 30_000);

  it('nopreempt: the returning higher priority stays BACKUP', async () => {
    await compare(
      { a: config('a', 150, { nopreempt: true }), b: config('b', 100, { nopreempt: true }) },
      [
        { at: 0, action: 'start', node: 'a' },
        { at: 1000, action: 'start', node: 'b' },
        { at: 2500, action: 'stop', node: 'a' },
        { at: 3500, action: 'start', node: 'a' },
      ],
      5500,
      ['a', '-', 'b'],
    );
  }, 30_000);

  it('unicast, three nodes: the VIP goes down the priorities as masters stop, and back up when the first returns', async () => {
    await compare(
      { a: config('a', 150, { unicast: true }), b: config('b', 120, { unicast: true }), c: config('c', 100, { unicast: true }) },
      [
        { at: 0, action: 'start', node: 'a' },
        { at: 800, action: 'start', node: 'b' },
        { at: 1200, action: 'start', node: 'c' },
        { at: 2500, action: 'stop', node: 'a' },
        { at: 3500, action: 'stop', node: 'b' },
        { at: 4500, action: 'start', node: 'a' },
      ],
      6500,
      ['a', '-', 'b', '-', 'c', 'a'],
    );
  }, 30_000);
});
