/**
 * The cluster simulator's engine: every node's configuration runs in the
 * daemon itself (runtime/daemon.ts, the code `kalint run` runs), on a
 * simulated machine and network, in virtual time. Scenario events act on the
 * machines and the network at their times; the timeline records each
 * instance's transitions, who holds each VIP, and the adverts sent.
 */
import type { Config } from '../../grammar/ast.ts';
import { blocksOf, model } from '../../grammar/index.ts';
import { VirtualClock } from '../clock.ts';
import { runConfig } from '../config.ts';
import { Daemon } from '../daemon.ts';
import { scriptTimingOf } from '../trackers.ts';
import type { Transition as LanTransition } from '../virtual-lan.ts';
import { Machine, MachineClock, type Notification } from './machine.ts';
import { seededRandom, SimNetwork } from './network.ts';

export interface SimNode {
  name: string;
  config: Config;
  /** The node's primary addresses where its configuration gives none (no unicast_src_ip). */
  address: { 4: string; 6: string };
}

/** What happens to the cluster; a SimEvent says when. */
export type SimAction =
  | { kind: 'crash' | 'restart' | 'stop' | 'start'; node: string }
  | { kind: 'script-fail' | 'script-recover'; node: string; script: string }
  | { kind: 'link-down' | 'link-up'; node: string; ifname: string }
  | { kind: 'partition'; groups: string[][] }
  | { kind: 'heal' }
  | { kind: 'loss'; share: number }
  | { kind: 'file'; node: string; path: string; value: number };

export type SimEvent = { at: number } & SimAction;

/** A state change, with the effective priority the instance had then. */
export interface Transition extends LanTransition {
  priority: number;
}

/** Who holds a VIP from `at` on (no one: empty). */
export interface Ownership {
  at: number;
  vip: string;
  owners: string[];
}

export interface Timeline {
  nodes: string[];
  /** Milliseconds of virtual time simulated. */
  duration: number;
  events: SimEvent[];
  transitions: Transition[];
  /** Effective priorities as trackers change them. */
  priorities: { at: number; node: string; instance: string; priority: number }[];
  ownership: Ownership[];
  /** Adverts sent, per node and VRID, with their times. */
  adverts: { node: string; vrid: number; times: number[]; priorityZero: number }[];
  notifications: Notification[];
  /** Each daemon's log, keepalived's wording. */
  logs: { at: number; node: string; line: string }[];
  /** Each instance: which node runs it, its VRID and VIPs. */
  instances: SimInstance[];
}

export interface SimulationOptions {
  /** One-way delay of every packet, in ms (default 0). */
  delayMs?: number;
  /** Seed of the random packet loss. */
  seed?: number;
  /** The segment of `node:ifname` (default: the interface's name: every node's eth0 on one LAN). */
  segments?: Readonly<Record<string, string>>;
  /** Keep the daemons' log lines (default true). */
  logs?: boolean;
}

export interface SimInstance {
  node: string;
  name: string;
  vrid: number;
  vips: string[];
  advertIntervalMs: number;
  /** The longest master-down interval the instance can have (lowest priority): how long a takeover may take. */
  masterDownMs: number;
  preemptDelayMs: number;
  /** The vrrp_scripts it tracks. */
  scripts: string[];
}

interface Running {
  daemon: Daemon;
  clock: MachineClock;
}

/** The instances a node runs, as the daemon will run them. */
export function instancesOf(node: SimNode): SimInstance[] {
  const globals = new model.GlobalDefs(node.config);
  return runConfig(node.config, (_, family) => node.address[family]).instances.map((run) => {
    const s = run.settings;
    return {
      node: node.name,
      name: s.name,
      vrid: s.vrid,
      vips: run.vips.map((v) => v.address),
      advertIntervalMs: s.advertIntervalMs,
      masterDownMs: s.downTimerAdverts * s.advertIntervalMs + (s.version === 2 ? 1000 : s.advertIntervalMs),
      preemptDelayMs: s.preemptDelayMs,
      scripts: model.effectiveTrackers(run.block, node.config, globals).filter((t) => t.kind === 'script').map((t) => t.name),
    };
  });
}

/**
 * How long the cluster needs to settle after an event: the slowest takeover (master-down interval and preempt delay)
 * plus the slowest script to change its verdict (interval × rise or fall), plus two adverts; whole seconds, one at least.
 */
export function settleTime(nodes: readonly SimNode[]): number {
  let instances = 0;
  let scripts = 0;
  for (const node of nodes) {
    for (const i of instancesOf(node)) instances = Math.max(instances, i.masterDownMs + i.preemptDelayMs + 2 * i.advertIntervalMs);
    for (const block of blocksOf(node.config, 'vrrp_script')) {
      const t = scriptTimingOf(block);
      scripts = Math.max(scripts, t.intervalMs * Math.max(t.rise, t.fall));
    }
  }
  return Math.max(1000, Math.ceil((instances + scripts) / 1000) * 1000);
}

/** Nodes whose first event is `start` begin down; the others boot at time 0. */
export function initiallyDown(events: readonly SimEvent[]): Set<string> {
  const seen = new Set<string>();
  const down = new Set<string>();
  for (const e of [...events].sort((a, b) => a.at - b.at)) {
    if (!('node' in e) || seen.has(e.node)) continue;
    seen.add(e.node);
    if (e.kind === 'start') down.add(e.node);
  }
  return down;
}

export function simulate(nodes: readonly SimNode[], events: readonly SimEvent[], until: number, options: SimulationOptions = {}): Timeline {
  const clock = new VirtualClock();
  const timeline: Timeline = { nodes: nodes.map((n) => n.name), duration: until, events: [...events].sort((a, b) => a.at - b.at), transitions: [], priorities: [], ownership: [], adverts: [], notifications: [], logs: [], instances: [] };
  const adverts = new Map<string, Timeline['adverts'][number]>();
  const network = new SimNetwork(clock, {
    delayMs: options.delayMs ?? 0,
    random: seededRandom(options.seed ?? 1),
    ...(options.segments ? { segmentOf: (node: string, ifname: string) => options.segments![`${node}:${ifname}`] ?? ifname } : {}),
    onAdvert: (a) => {
      const key = `${a.node}|${a.vrid}`;
      let entry = adverts.get(key);
      if (!entry) adverts.set(key, (entry = { node: a.node, vrid: a.vrid, times: [], priorityZero: 0 }));
      entry.times.push(clock.now());
      if (a.priority === 0) entry.priorityZero++;
    },
    onAddresses: () => observe(),
  });
  const vips = new Set<string>();
  const machines = new Map<string, Machine>();
  for (const node of nodes) {
    network.addNode(node.name);
    const machine = new Machine(node.name, node.address, network, timeline.notifications);
    machine.learn(node.config);
    machines.set(node.name, machine);
    for (const instance of instancesOf(node)) {
      for (const v of instance.vips) vips.add(v);
      timeline.instances.push(instance);
    }
  }
  const owners = new Map<string, string>();
  const lastChange = new Map<string, Ownership>();
  /** Records who holds each VIP whenever that changes, at the moment it does. */
  const observe = () => {
    for (const vip of vips) {
      const now = network.holders(vip).sort();
      const key = now.join(',');
      if ((owners.get(vip) ?? '') === key) continue;
      owners.set(vip, key);
      // Changes within one instant (a new master adds the VIP before the old one hears it) count as one.
      const last = lastChange.get(vip);
      if (last && last.at === clock.now()) {
        timeline.ownership.splice(timeline.ownership.indexOf(last), 1);
        lastChange.delete(vip);
        const before = timeline.ownership.findLast((o) => o.vip === vip);
        if (before) lastChange.set(vip, before);
        if ((before?.owners.join(',') ?? '') === key) continue;
      }
      const change = { at: clock.now(), vip, owners: now };
      timeline.ownership.push(change);
      lastChange.set(vip, change);
    }
  };
  const running = new Map<string, Running>();
  const config = new Map(nodes.map((n) => [n.name, n.config]));
  const boot = (name: string) => {
    const machineClock = new MachineClock(clock);
    network.setNodeUp(name, true);
    const daemon = new Daemon({
      config: config.get(name)!,
      io: network.io(name),
      clock: machineClock,
      host: machines.get(name)!.host(machineClock),
      log: options.logs === false ? () => {} : (line) => timeline.logs.push({ at: clock.now(), node: name, line }),
      observer: {
        transition: (instance, from, to, priority) => timeline.transitions.push({ at: clock.now(), node: name, instance, from, to, priority }),
        priority: (instance, priority) => timeline.priorities.push({ at: clock.now(), node: name, instance, priority }),
      },
    });
    running.set(name, { daemon, clock: machineClock });
    daemon.start();
  };
  /** Power gone: no priority 0, timers and addresses die with the machine. */
  const halt = (name: string) => {
    const r = running.get(name);
    if (!r) return;
    r.clock.kill();
    running.delete(name);
    network.setNodeUp(name, false);
  };
  const shutdown = (name: string) => {
    const r = running.get(name);
    if (!r) return;
    // The synchronous part of stop() is all there is without virtual servers: resign, remove VIPs, close.
    void r.daemon.stop();
    halt(name);
  };
  const apply = (e: SimEvent) => {
    switch (e.kind) {
      case 'start':
        if (!running.has(e.node)) boot(e.node);
        break;
      case 'restart':
        shutdown(e.node);
        boot(e.node);
        break;
      case 'stop':
        shutdown(e.node);
        break;
      case 'crash':
        halt(e.node);
        break;
      case 'script-fail':
        machines.get(e.node)!.failing.add(e.script);
        break;
      case 'script-recover':
        machines.get(e.node)!.failing.delete(e.script);
        break;
      case 'link-down':
      case 'link-up':
        network.setLink(e.node, e.ifname, e.kind === 'link-up');
        break;
      case 'partition':
        network.partition(e.groups);
        break;
      case 'heal':
        network.heal();
        break;
      case 'loss':
        network.loss = e.share;
        break;
      case 'file':
        machines.get(e.node)!.setFile(e.path, e.value);
        break;
    }
  };
  const down = initiallyDown(events);
  for (const node of nodes) if (!down.has(node.name)) clock.setTimer(0, () => boot(node.name));
  for (const e of timeline.events) clock.setTimer(e.at, () => apply(e));
  clock.runUntil(until);
  timeline.adverts = [...adverts.values()].sort((a, b) => a.node.localeCompare(b.node) || a.vrid - b.vrid);
  return timeline;
}
