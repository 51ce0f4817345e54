import type { ClusterRule } from '../cluster.ts';
import { at, named } from './util.ts';

export const rule: ClusterRule = {
  meta: {
    id: 'cluster-auth-mismatch',
    description: 'Nodes of one VRRPv2 virtual router authenticate differently: each rejects the other\'s adverts and both become MASTER.',
    defaultSeverity: 'error',
  },
  check(ctx) {
    for (const r of ctx.routers) {
      const [first, ...rest] = r.members;
      for (const m of rest) {
        if (m.version === 3 || first!.version === 3 || m.auth === first!.auth) continue;
        const what = !m.auth || !first!.auth ? 'one node authenticates and the other does not' : 'their auth_type or first 8 characters of auth_pass differ';
        ctx.report({
          range: at(m, 'authentication'),
          message: `${named(m)} and ${named(first!)}: ${what}; keepalived rejects the other node's adverts ("received an invalid passwd") and both hold the VIP`,
          related: [{ range: at(first!, 'authentication'), message: `authentication on ${first!.node.label}` }],
        });
      }
    }
  },
};
