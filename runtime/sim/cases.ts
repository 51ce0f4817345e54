/**
 * Simulation cases: a scenario's events over the nodes, run and judged; and
 * the standard battery `kalint simulate` runs without a scenario: each node
 * crashes and comes back, each tracked script fails and recovers on each
 * node, each node is cut off and the network heals. Each case starts from a
 * fresh cluster that has had time to settle.
 */
import type { Diagnostic } from '../../grammar/index.ts';
import { type Failover, findings } from './findings.ts';
import { initiallyDown, instancesOf, type SimAction, type SimEvent, type SimNode, settleTime, simulate, type Timeline } from './simulation.ts';

export interface CaseSpec {
  name: string;
  events: SimEvent[];
  /** ms of virtual time; by default the last event plus the settle time. */
  duration?: number;
}

export interface CaseOptions {
  delayMs?: number;
  seed?: number;
  segments?: Readonly<Record<string, string>>;
  maxFailoverMs?: number;
  logs?: boolean;
}

export interface CaseResult {
  name: string;
  timeline: Timeline;
  diagnostics: Diagnostic[];
  failovers: Failover[];
}

export function runCase(nodes: readonly SimNode[], spec: CaseSpec, options: CaseOptions = {}): CaseResult {
  const last = spec.events.reduce((t, e) => Math.max(t, e.at), 0);
  const duration = spec.duration ?? last + settleTime(nodes);
  const timeline = simulate(nodes, spec.events, duration, {
    ...(options.delayMs !== undefined ? { delayMs: options.delayMs } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.segments ? { segments: options.segments } : {}),
    ...(options.logs !== undefined ? { logs: options.logs } : {}),
  });
  const configs = new Map(nodes.map((n) => [n.name, n.config]));
  const judged = findings(timeline, configs, initiallyDown(spec.events), {
    ...(options.maxFailoverMs !== undefined ? { maxFailoverMs: options.maxFailoverMs } : {}),
    ...(options.delayMs !== undefined ? { delayMs: options.delayMs } : {}),
  });
  return { name: spec.name, timeline, ...judged };
}

/** The standard battery: every case starts after the settle time and reverts after another. */
export function battery(nodes: readonly SimNode[]): CaseSpec[] {
  const settle = settleTime(nodes);
  const pair = (name: string, first: SimAction, second: SimAction): CaseSpec => ({
    name,
    events: [{ ...first, at: settle }, { ...second, at: 2 * settle }],
    duration: 3 * settle,
  });
  const cases: CaseSpec[] = [];
  for (const n of nodes) cases.push(pair(`${n.name} crashes and starts again`, { kind: 'crash', node: n.name }, { kind: 'start', node: n.name }));
  for (const n of nodes) {
    const scripts = [...new Set(instancesOf(n).flatMap((i) => i.scripts))];
    for (const script of scripts) cases.push(pair(`${script} fails on ${n.name} and recovers`, { kind: 'script-fail', node: n.name, script }, { kind: 'script-recover', node: n.name, script }));
  }
  if (nodes.length > 1) {
    // With two nodes, cutting off either one is the same partition.
    for (const n of nodes.length === 2 ? nodes.slice(0, 1) : nodes) {
      const rest = nodes.filter((o) => o !== n).map((o) => o.name);
      cases.push(pair(`${n.name} is cut off from ${rest.join(', ')} and the network heals`, { kind: 'partition', groups: [[n.name], rest] }, { kind: 'heal' }));
    }
  }
  return cases;
}
