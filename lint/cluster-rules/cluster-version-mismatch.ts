import type { ClusterRule } from '../cluster.ts';
import { at, named } from './util.ts';

export const rule: ClusterRule = {
  meta: {
    id: 'cluster-version-mismatch',
    description: 'Nodes of one virtual router speak different VRRP versions: each drops the other\'s adverts and both become MASTER.',
    defaultSeverity: 'error',
  },
  check(ctx) {
    for (const r of ctx.routers) {
      const [first, ...rest] = r.members;
      for (const m of rest) {
        if (m.version === first!.version) continue;
        ctx.report({
          range: at(m, 'version'),
          message: `${named(m)} speaks VRRPv${m.version}, ${named(first!)} VRRPv${first!.version}: keepalived drops adverts of the other version, so both nodes hold the VIP`,
          related: [{ range: at(first!, 'version'), message: `VRRPv${first!.version} on ${first!.node.label}` }],
        });
      }
    }
  },
};
