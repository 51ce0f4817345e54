/**
 * What a simulation found, in the linter's terms: diagnostics with a rule id
 * and a severity, placed on the vrrp_instance block (in the node's own file)
 * whose VIP misbehaved. The rules read the timeline only: who held each VIP
 * when, the instances' states, and the scenario's events.
 */
import type { Block, Config, Diagnostic, RuleMeta } from '../../grammar/index.ts';
import { blocksOf, model } from '../../grammar/index.ts';
import { scriptTimingOf } from '../trackers.ts';
import type { SimEvent, SimInstance, Timeline } from './simulation.ts';

export const simulationRules = {
  splitBrain: {
    id: 'sim/split-brain',
    description: 'Two nodes that can reach each other hold the same VIP for longer than one advert interval: both answer ARP for it.',
    defaultSeverity: 'error',
  },
  vipUnowned: {
    id: 'sim/vip-unowned',
    description: 'No node holds a VIP for longer than a takeover takes, although a node runs its instance as BACKUP.',
    defaultSeverity: 'error',
  },
  failedCheckIgnored: {
    id: 'sim/failed-check-ignored',
    description: 'A tracked script fails on the node holding a VIP, for longer than detecting it and a takeover take, and the VIP does not move.',
    defaultSeverity: 'error',
  },
  flapping: {
    id: 'sim/flapping',
    description: 'A VIP changes hands four times or more between two events of the scenario.',
    defaultSeverity: 'warning',
  },
  slowFailover: {
    id: 'sim/slow-failover',
    description: 'After an event takes a VIP from its holder, another node holds it only after longer than the allowed failover time.',
    defaultSeverity: 'warning',
  },
} as const satisfies Record<string, RuleMeta>;

export interface FindingOptions {
  /** sim/slow-failover reports failovers slower than this (ms); off without it. */
  maxFailoverMs?: number;
  /** The network's one-way delay (ms), allowed on top of the protocol's own times. */
  delayMs?: number;
}

/** A failover after an event: the VIP left `from` and reached `to` after `ms` (undefined: it never did). */
export interface Failover {
  event: SimEvent;
  vip: string;
  from: string;
  to?: string;
  ms?: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

/** Which nodes run and which can reach which, replayed from the events. */
class World {
  private up = new Set<string>();
  private cut = new Set<string>();
  private index = 0;

  constructor(
    nodes: readonly string[],
    private readonly events: readonly SimEvent[],
    down: ReadonlySet<string>,
  ) {
    this.up = new Set(nodes.filter((n) => !down.has(n)));
  }

  /** Moves to time `t` (never backwards): applies the events up to it. */
  at(t: number): this {
    for (; this.index < this.events.length && this.events[this.index]!.at <= t; this.index++) this.apply(this.events[this.index]!);
    return this;
  }

  reachable(a: string, b: string): boolean {
    return this.up.has(a) && this.up.has(b) && !this.cut.has(`${a}|${b}`);
  }

  running(node: string): boolean {
    return this.up.has(node);
  }

  private apply(e: SimEvent): void {
    if (e.kind === 'crash' || e.kind === 'stop') this.up.delete(e.node);
    else if (e.kind === 'start' || e.kind === 'restart') this.up.add(e.node);
    else if (e.kind === 'partition') for (const [i, a] of e.groups.entries()) for (const b of e.groups.slice(i + 1)) for (const x of a) for (const y of b) this.cut.add(`${x}|${y}`).add(`${y}|${x}`);
    else if (e.kind === 'heal') this.cut.clear();
  }
}

/** The state of an instance on a node at time t, from the transitions (undefined before it started or while the node is down). */
function stateAt(timeline: Timeline, node: string, instance: string, t: number): string | undefined {
  let state: string | undefined;
  for (const x of timeline.transitions) {
    if (x.at > t) break;
    if (x.node === node && x.instance === instance) state = x.to;
  }
  return state;
}

/** The owner intervals of one VIP: [from, to) with the owners. */
function intervals(timeline: Timeline, vip: string): { from: number; to: number; owners: string[] }[] {
  const changes = timeline.ownership.filter((o) => o.vip === vip);
  const out: { from: number; to: number; owners: string[] }[] = [];
  let from = 0;
  let owners: string[] = [];
  for (const c of changes) {
    out.push({ from, to: c.at, owners });
    from = c.at;
    owners = c.owners;
  }
  out.push({ from, to: timeline.duration, owners });
  return out.filter((i) => i.to > i.from);
}

export function findings(timeline: Timeline, configs: ReadonlyMap<string, Config>, down: ReadonlySet<string>, options: FindingOptions = {}): { diagnostics: Diagnostic[]; failovers: Failover[] } {
  const diagnostics: Diagnostic[] = [];
  const delay = options.delayMs ?? 0;
  const blockOf = (i: SimInstance): Block | undefined => model.instancesOf(configs.get(i.node)!).find((b) => b.name === i.name);
  const report = (rule: RuleMeta, instance: SimInstance, message: string, others: SimInstance[] = []) => {
    const block = blockOf(instance);
    if (!block) return;
    const related = others.flatMap((o) => {
      const b = blockOf(o);
      return b ? [{ range: b.range, message: `${o.name} on ${o.node}` }] : [];
    });
    diagnostics.push({ ruleId: rule.id, severity: rule.defaultSeverity, message, range: block.range, ...(related.length ? { related } : {}) });
  };
  const byVip = new Map<string, SimInstance[]>();
  for (const i of timeline.instances) for (const v of i.vips) byVip.set(v, [...(byVip.get(v) ?? []), i]);
  const eventTimes = [...new Set(timeline.events.map((e) => e.at))];
  const failovers: Failover[] = [];

  for (const [vip, carriers] of byVip) {
    const span = intervals(timeline, vip);
    const advert = Math.max(...carriers.map((c) => c.advertIntervalMs));
    const takeover = Math.max(...carriers.map((c) => c.masterDownMs + c.preemptDelayMs));
    const carrierOn = (node: string) => carriers.find((c) => c.node === node)!;

    // Split brain: two holders that can reach each other, longer than an advert (and the packet's way) takes to settle it.
    const world = new World(timeline.nodes, timeline.events, down);
    let brainSince: number | undefined;
    let brainOwners: string[] = [];
    const closeBrain = (until: number) => {
      if (brainSince !== undefined && until - brainSince > advert + 2 * delay) {
        const [a, ...rest] = brainOwners;
        report(simulationRules.splitBrain, carrierOn(a!), `${vip} held by ${brainOwners.join(' and ')} at once from ${seconds(brainSince)} for ${seconds(until - brainSince)}, though they can reach each other`, rest.map(carrierOn));
      }
      brainSince = undefined;
    };
    for (const i of span) {
      // Split at the events inside the interval: reachability changes there.
      const cuts = [i.from, ...eventTimes.filter((t) => t > i.from && t < i.to), i.to];
      for (let k = 0; k + 1 < cuts.length; k++) {
        world.at(cuts[k]!);
        const pair = i.owners.length > 1 && i.owners.some((a, x) => i.owners.slice(x + 1).some((b) => world.reachable(a, b)));
        if (pair && brainSince === undefined) {
          brainSince = cuts[k]!;
          brainOwners = i.owners;
        } else if (!pair) closeBrain(cuts[k]!);
      }
    }
    closeBrain(timeline.duration);

    // Unowned: nobody holds the VIP for longer than a takeover, while a running node has the instance as BACKUP.
    for (const i of span) {
      if (i.owners.length || i.to - i.from <= takeover + delay) continue;
      const check = i.from + takeover + delay;
      const then = new World(timeline.nodes, timeline.events, down).at(check);
      const waiting = carriers.filter((c) => then.running(c.node) && stateAt(timeline, c.node, c.name, check) === 'BACKUP');
      if (!waiting.length) continue;
      report(simulationRules.vipUnowned, waiting[0]!, `no node holds ${vip} from ${seconds(i.from)} for ${seconds(i.to - i.from)}, though ${waiting.map((w) => w.node).join(' and ')} run${waiting.length === 1 ? 's' : ''} ${waiting[0]!.name} as BACKUP`, waiting.slice(1));
    }

    // Flapping: four changes of hands or more between two events.
    const bounds = [0, ...eventTimes, timeline.duration];
    for (let k = 0; k + 1 < bounds.length; k++) {
      const changes = timeline.ownership.filter((o) => o.vip === vip && o.at > bounds[k]! && o.at < bounds[k + 1]!);
      if (changes.length < 4) continue;
      const holders = [...new Set(changes.flatMap((c) => c.owners))];
      report(simulationRules.flapping, carrierOn(holders[0] ?? carriers[0]!.node), `${vip} changed hands ${changes.length} times between ${seconds(bounds[k]!)} and ${seconds(bounds[k + 1]!)} (${holders.join(', ')})`);
    }

    // Failovers: after an event that can take the VIP from its holder, when does another node hold it?
    for (const e of timeline.events) {
      if (!['crash', 'stop', 'script-fail', 'link-down', 'partition'].includes(e.kind)) continue;
      const before = span.find((i) => i.from < e.at && i.to >= e.at) ?? span.find((i) => i.from <= e.at && i.to > e.at);
      const holder = before?.owners.length === 1 ? before.owners[0]! : undefined;
      if (!holder) continue;
      if ('node' in e && e.node !== holder) continue;
      if (e.kind === 'partition' && !e.groups.some((g) => g.includes(holder))) continue;
      if (e.kind === 'script-fail' && !carrierOn(holder).scripts.includes(e.script)) continue;
      // Until the event is undone: the script recovers, the network heals, or something else happens to the node.
      const undone = timeline.events.find((x) =>
        x.at > e.at && (e.kind === 'script-fail' ? x.kind === 'script-recover' && x.node === e.node && x.script === e.script : e.kind === 'partition' ? x.kind === 'heal' : 'node' in x && 'node' in e && x.node === e.node),
      );
      const end = undone?.at ?? timeline.duration;
      const moved = span.find((i) => i.to > e.at && i.from < end && i.owners.some((o) => o !== holder));
      const failover: Failover = { event: e, vip, from: holder };
      if (moved) {
        failover.to = moved.owners.find((o) => o !== holder)!;
        failover.ms = Math.max(0, moved.from - e.at);
      }
      failovers.push(failover);
      if (e.kind === 'script-fail' && !moved) {
        const instance = carrierOn(holder);
        const detect = scriptDetectMs(configs.get(holder)!, e.script);
        const rivals = carriers.filter((c) => c.node !== holder);
        if (rivals.length && end - e.at > detect + takeover + delay) {
          const priority = timeline.priorities.filter((p) => p.node === holder && p.instance === instance.name && p.at >= e.at && p.at < end).at(-1)?.priority;
          report(
            simulationRules.failedCheckIgnored,
            instance,
            `${vip} stayed on ${holder} for ${seconds(end - e.at)} while its vrrp_script ${e.script} failed${priority !== undefined ? ` (effective priority ${priority})` : ' (its priority did not change)'}; ${rivals.map((r) => r.node).join(', ')} never took over`,
            rivals,
          );
        }
      }
      if (options.maxFailoverMs !== undefined && e.kind !== 'script-fail' && (failover.ms === undefined ? end - e.at > options.maxFailoverMs : failover.ms > options.maxFailoverMs)) {
        report(simulationRules.slowFailover, carrierOn(holder), `after ${describeEvent(e)} at ${seconds(e.at)}, ${vip} ${failover.ms === undefined ? 'reached no other node' : `reached ${failover.to} only after ${failover.ms.toFixed(3)} ms`} (allowed: ${options.maxFailoverMs} ms)`);
      }
    }
  }
  diagnostics.sort((a, b) => a.ruleId.localeCompare(b.ruleId) || a.message.localeCompare(b.message));
  return { diagnostics, failovers };
}

/** How long a failing vrrp_script takes to count as failed: interval × fall. */
function scriptDetectMs(config: Config, name: string): number {
  const block = blocksOf(config, 'vrrp_script').find((b) => b.name === name);
  const timing = block ? scriptTimingOf(block) : undefined;
  return timing ? timing.intervalMs * timing.fall : 1000;
}

export function describeEvent(e: SimEvent): string {
  switch (e.kind) {
    case 'script-fail':
    case 'script-recover':
      return `${e.kind} ${e.node} ${e.script}`;
    case 'link-down':
    case 'link-up':
      return `${e.kind} ${e.node} ${e.ifname}`;
    case 'partition':
      return `partition ${e.groups.map((g) => `[${g.join(',')}]`).join(' ')}`;
    case 'heal':
      return 'heal';
    case 'loss':
      return `loss ${Math.round(e.share * 1000) / 10}%`;
    case 'file':
      return `file ${e.node} ${e.path} ${e.value}`;
    default:
      return `${e.kind} ${e.node}`;
  }
}
