import type { ClusterRule } from '../cluster.ts';
import { at, named } from './util.ts';

export const rule: ClusterRule = {
  meta: {
    id: 'cluster-master-master-not-mirrored',
    description: 'A master/master setup whose priorities are not mirrored: the node meant to master a VIP does not have its highest priority.',
    defaultSeverity: 'error',
  },
  check(ctx) {
    const intendedMasters = new Set(ctx.routers.flatMap((r) => r.members.filter((m) => m.state === 'MASTER').map((m) => m.node)));
    if (intendedMasters.size < 2) return;
    for (const r of ctx.routers) {
      const intended = r.members.find((m) => m.state === 'MASTER');
      if (!intended) continue;
      const stronger = r.members.find((m) => m !== intended && m.priority >= intended.priority);
      if (!stronger) continue;
      ctx.report({
        range: at(intended, 'priority'),
        message: `${named(intended)} starts as MASTER but ${named(stronger)} has priority ${stronger.priority} >= ${intended.priority}: ${stronger.node.label} takes VRID ${r.vrid} too, and one node ends up with both VIPs`,
        related: [{ range: at(stronger, 'priority'), message: `priority ${stronger.priority} on ${stronger.node.label}` }],
      });
    }
  },
};
