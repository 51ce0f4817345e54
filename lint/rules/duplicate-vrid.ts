import { type Block, isIp, lastStatement, model, type Statement, valueOf } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';

interface Instance {
  block: Block;
  vrid: Statement;
  family: 4 | 6;
  iface?: string;
  /** Multicast: the group adverts go to. Unicast: undefined. */
  group?: string;
  source?: string;
  peers: Set<string>;
}

const DEFAULT_GROUP = { 4: '224.0.0.18', 6: 'ff02::12' } as const;

function address(v: ReturnType<typeof valueOf>): string | undefined {
  return isIp(v) ? v.address.toLowerCase() : undefined;
}

/** Two instances keepalived refuses to run side by side (`check_vrid_conflicts`), in the order it checks them. */
function conflict(a: Instance, b: Instance): boolean {
  if (a.family !== b.family || a.vrid.params['vrid'] !== b.vrid.params['vrid']) return false;
  if ((a.group === undefined) !== (b.group === undefined)) return false;
  if (a.group !== undefined) return a.iface !== undefined && a.iface === b.iface && a.group === b.group;
  if (a.iface && b.iface && a.iface !== b.iface) return false;
  // Source addresses: both configured and equal, or both the address of the same interface.
  const sameSource = a.source !== undefined && b.source !== undefined ? a.source === b.source : a.source === undefined && b.source === undefined && !!a.iface && a.iface === b.iface;
  return sameSource && [...a.peers].some((p) => b.peers.has(p));
}

/** keepalived refuses to start when two instances would answer to the same VRID on one link. */
export const rule: LintRule = {
  meta: {
    id: 'duplicate-vrid',
    description: 'Two instances use the same virtual_router_id on the same interface and address family.',
    defaultSeverity: 'error',
  },
  create(context) {
    return {
      config(config) {
        // Only instances of one family and VRID can conflict.
        const seen = new Map<string, Instance[]>();
        for (const block of model.instancesOf(config)) {
          const vrid = lastStatement(block, 'virtual_router_id');
          const id = vrid?.params['vrid'];
          if (!vrid || typeof id !== 'number' || id < 1 || id > 255 || !Number.isInteger(id)) continue;
          const { family } = model.instanceSettings(block, context.globals);
          const iface = valueOf(block, 'interface');
          const { source, peers } = model.unicastOf(block);
          const inst: Instance = { block, vrid, family, peers: new Set(peers.filter((p) => p.ip.family === family).map((p) => p.ip.address.toLowerCase())) };
          if (typeof iface === 'string') inst.iface = iface;
          if (source) inst.source = source.address.toLowerCase();
          if (!inst.peers.size) {
            const global = context.globals.value(family === 4 ? 'vrrp_mcast_group4' : 'vrrp_mcast_group6');
            inst.group = address(valueOf(block, 'mcast_dst_ip')) ?? address(global) ?? DEFAULT_GROUP[family];
          }
          const key = `${family}/${id}`;
          const same = seen.get(key) ?? [];
          seen.set(key, same);
          const first = same.find((s) => conflict(s, inst));
          same.push(inst);
          if (!first) continue;
          const how = inst.group
            ? `with IPv${family} on interface ${inst.iface}: keepalived refuses to start ('${first.block.name} and ${block.name} both use VRID ${id} with IPv${family} on interface ${inst.iface}')`
            : `with the same source address and a common unicast peer: keepalived refuses to start ('(${first.block.name}) duplicate VRID conflict with ${block.name} VRID ${id}')`;
          context.report({
            range: vrid.words[0]?.range ?? vrid.range,
            message: `${block.name} uses virtual_router_id ${id} like ${first.block.name} ${how}; give each virtual router on a link its own VRID`,
            related: [{ range: first.vrid.range, message: `${first.block.name} uses VRID ${id} here` }],
          });
        }
      },
    };
  },
};
