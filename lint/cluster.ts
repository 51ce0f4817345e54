/**
 * Cluster checks: the configurations of all nodes of one cluster, compared.
 * Instances of different nodes that share a VRID and address family (and,
 * where a node has several such instances, the interface) form one virtual
 * router; cluster rules look at each virtual router across its members.
 */
import {
  type Block,
  compareDiagnostics,
  type Config,
  type Diagnostic,
  model,
  type ReadResult,
  valueOf,
} from '../grammar/index.ts';
import { applySettings, type SeveritySetting, toDiagnostic } from './engine.ts';
import type { LintRuleMeta, Report } from './rule.ts';

export interface ClusterNode {
  /** How the node is named in messages: its router_id, else its file name. */
  label: string;
  result: ReadResult;
}

/** One node's instance of a virtual router, with what keepalived makes of it. */
export interface Member {
  node: ClusterNode;
  instance: Block;
  vrid: number;
  family: 4 | 6;
  interface: string | undefined;
  state: 'MASTER' | 'BACKUP';
  priority: number;
  preempt: boolean;
  version: 2 | 3;
  advertInt: number;
  /** VIPs as `address/prefix`, sorted. */
  vips: string[];
  /** `PASS:first 8 characters`, `AH:...`, or undefined without authentication. */
  auth: string | undefined;
  unicastSource: string | undefined;
  unicastPeers: string[];
  /** The tracked scripts that act on the instance, with their weights. */
  scripts: model.Tracker[];
}

export interface VirtualRouter {
  vrid: number;
  family: 4 | 6;
  members: Member[];
}

export interface ClusterContext {
  nodes: readonly ClusterNode[];
  routers: readonly VirtualRouter[];
  report(report: Report): void;
}

export interface ClusterRule {
  meta: LintRuleMeta;
  check(context: ClusterContext): void;
}

function memberOf(node: ClusterNode, instance: Block, globals: model.GlobalDefs): Member | undefined {
  const vrid = valueOf(instance, 'virtual_router_id');
  if (typeof vrid !== 'number') return undefined;
  const authentication = model.authenticationOf(instance);
  const unicast = model.unicastOf(instance);
  const iface = valueOf(instance, 'interface');
  const advert = valueOf(instance, 'advert_int');
  const settings = model.instanceSettings(instance, globals);
  return {
    node,
    instance,
    vrid,
    family: settings.family,
    interface: typeof iface === 'string' ? iface : undefined,
    state: settings.wantState,
    priority: settings.priority,
    preempt: !model.keepsNopreempt(settings),
    version: settings.version,
    advertInt: typeof advert === 'number' ? advert : 1,
    vips: model
      .addressesOf(instance, 'virtual_ipaddress')
      .map((a) => `${a.ip.address}/${a.ip.prefix ?? (a.ip.family === 4 ? 32 : 128)}`)
      .sort(),
    auth: authentication ? `${authentication.type}:${authentication.pass ?? ''}` : undefined,
    unicastSource: unicast.source?.address,
    unicastPeers: unicast.peers.map((p) => p.ip.address).sort(),
    scripts: model.effectiveTrackers(instance, node.result.config, globals).filter((t) => t.kind === 'script'),
  };
}

/** Groups the nodes' instances into virtual routers. */
export function virtualRouters(nodes: readonly ClusterNode[]): VirtualRouter[] {
  const routers = new Map<string, VirtualRouter>();
  const members = nodes.flatMap((node) => {
    const globals = new model.GlobalDefs(node.result.config);
    return model.instancesOf(node.result.config).flatMap((i) => memberOf(node, i, globals) ?? []);
  });
  const ambiguous = new Set<string>();
  const seen = new Set<string>();
  for (const m of members) {
    const key = `${m.vrid}/${m.family}/${m.node.label}`;
    if (seen.has(key)) ambiguous.add(`${m.vrid}/${m.family}`);
    seen.add(key);
  }
  for (const m of members) {
    const base = `${m.vrid}/${m.family}`;
    const key = ambiguous.has(base) ? `${base}/${m.interface ?? ''}` : base;
    let r = routers.get(key);
    if (!r) routers.set(key, (r = { vrid: m.vrid, family: m.family, members: [] }));
    r.members.push(m);
  }
  return [...routers.values()].sort((a, b) => a.vrid - b.vrid || a.family - b.family);
}

/** A node's label: the router_id it sets, else the file it was read from. */
export function nodeLabel(config: Config): string {
  const id = new model.GlobalDefs(config).value('router_id');
  return typeof id === 'string' ? id : config.file.path;
}

/** keepalived's effective priority of a member when the scripts in `failing` fail (FAULT: -1). */
export function effectivePriority(m: Member, failing: ReadonlySet<model.Tracker> = new Set()): number {
  let p = m.priority;
  for (const s of m.scripts) {
    const failed = failing.has(s) !== s.reverse;
    if (s.weight === 0) {
      if (failed) return -1;
    } else if (s.weight > 0) {
      if (!failed) p += s.weight;
    } else if (failed) {
      p += s.weight;
    }
  }
  // An address owner keeps 255; keepalived dropped its weighted scripts.
  return m.priority === 255 ? 255 : Math.max(1, Math.min(254, p));
}

/** Who holds the VIP by priority when the given scripts fail (ties: undefined). */
export function holder(router: VirtualRouter, failing: ReadonlySet<model.Tracker> = new Set()): Member | undefined {
  let best: Member | undefined;
  let bestPriority = -1;
  let tie = false;
  for (const m of router.members) {
    const p = effectivePriority(m, failing);
    if (p < 0) continue;
    if (p > bestPriority) {
      best = m;
      bestPriority = p;
      tie = false;
    } else if (p === bestPriority) {
      tie = true;
    }
  }
  return tie ? undefined : best;
}

export interface PriorityRow {
  vrid: number;
  /** `all scripts pass`, or which script fails on which node. */
  scenario: string;
  priorities: { node: string; priority: number | 'FAULT' }[];
  holder: string;
}

/** For each virtual router: every node's effective priority when all scripts pass and when each one fails. */
export function priorityTable(routers: readonly VirtualRouter[]): PriorityRow[] {
  const rows: PriorityRow[] = [];
  for (const r of routers) {
    const scenarios: { name: string; failing: Set<model.Tracker> }[] = [{ name: 'all scripts pass', failing: new Set() }];
    for (const m of r.members) for (const s of m.scripts) scenarios.push({ name: `${s.name} fails on ${m.node.label}`, failing: new Set([s]) });
    for (const sc of scenarios) {
      const h = holder(r, sc.failing);
      rows.push({
        vrid: r.vrid,
        scenario: sc.name,
        priorities: r.members.map((m) => {
          const p = effectivePriority(m, sc.failing);
          return { node: m.node.label, priority: p < 0 ? 'FAULT' : p };
        }),
        holder: h ? h.node.label : 'tie: the higher primary address wins',
      });
    }
  }
  return rows;
}

/** Runs the cluster rules; diagnostics land in the nodes' files, with the user's settings applied. */
export function lintCluster(nodes: readonly ClusterNode[], rules: readonly ClusterRule[], severities: Readonly<Record<string, SeveritySetting>> = {}): Diagnostic[] {
  const routers = virtualRouters(nodes);
  const out: Diagnostic[] = [];
  for (const rule of rules) {
    rule.check({
      nodes,
      routers,
      report: (r) => out.push(toDiagnostic(rule.meta, r)),
    });
  }
  const byFile = nodes.map((n) => applySettings(out.filter((d) => n.result.config.files.includes(d.range.file)), n.result.config, severities));
  return byFile.flat().sort(compareDiagnostics);
}
