import type { ClusterRule } from '../cluster.ts';
import { at, named } from './util.ts';

export const rule: ClusterRule = {
  meta: {
    id: 'cluster-advert-int-mismatch',
    description: 'Nodes of one virtual router advertise at different intervals: VRRPv2 drops such adverts (split brain).',
    defaultSeverity: 'error',
  },
  check(ctx) {
    for (const r of ctx.routers) {
      const [first, ...rest] = r.members;
      for (const m of rest) {
        if (m.advertInt === first!.advertInt) continue;
        const v2 = m.version === 2 || first!.version === 2;
        ctx.report({
          range: at(m, 'advert_int'),
          message: v2
            ? `${named(m)} advertises every ${m.advertInt} s, ${named(first!)} every ${first!.advertInt} s: VRRPv2 drops adverts with another interval, so both nodes become MASTER`
            : `${named(m)} advertises every ${m.advertInt} s, ${named(first!)} every ${first!.advertInt} s: a VRRPv3 backup adopts the master's interval, so failover times depend on who is master`,
          severity: v2 ? 'error' : 'warning',
          related: [{ range: at(first!, 'advert_int'), message: `advert_int on ${first!.node.label}` }],
        });
      }
    }
  },
};
