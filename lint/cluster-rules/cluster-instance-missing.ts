import type { ClusterRule } from '../cluster.ts';
import { at, named } from './util.ts';

export const rule: ClusterRule = {
  meta: {
    id: 'cluster-instance-missing',
    description: 'A virtual router configured on only one node of the cluster: no other node takes its VIPs over.',
    defaultSeverity: 'warning',
  },
  check(ctx) {
    if (ctx.nodes.length < 2) return;
    for (const r of ctx.routers) {
      if (r.members.length > 1) continue;
      const m = r.members[0]!;
      ctx.report({
        range: at(m, 'virtual_router_id'),
        message: `${named(m)} (VRID ${r.vrid}) has no counterpart on the other nodes: nothing takes its VIPs over when this node fails`,
      });
    }
  },
};
