import type { ClusterRule, Member } from '../cluster.ts';
import { at, named } from './util.ts';

export const rule: ClusterRule = {
  meta: {
    id: 'cluster-vrid-mismatch',
    description: 'The same VIP served under different VRIDs on different nodes: they never hear each other and all become MASTER.',
    defaultSeverity: 'error',
  },
  check(ctx) {
    const byVip = new Map<string, Member[]>();
    for (const r of ctx.routers) for (const m of r.members) for (const vip of m.vips) byVip.set(vip, [...(byVip.get(vip) ?? []), m]);
    const reported = new Set<Member>();
    for (const [vip, members] of byVip) {
      const first = members[0]!;
      for (const m of members.slice(1)) {
        if (m.vrid === first.vrid || m.node === first.node || reported.has(m)) continue;
        reported.add(m);
        ctx.report({
          range: at(m, 'virtual_router_id'),
          message: `${named(m)} serves ${vip} with VRID ${m.vrid}, ${named(first)} with VRID ${first.vrid}: the nodes ignore each other's adverts and both hold the VIP`,
          related: [{ range: at(first, 'virtual_router_id'), message: `VRID ${first.vrid} on ${first.node.label}` }],
        });
      }
    }
  },
};
