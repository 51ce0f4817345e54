import type { ClusterRule } from '../cluster.ts';
import { at, named } from './util.ts';

export const rule: ClusterRule = {
  meta: {
    id: 'cluster-unicast-asymmetric',
    description: "Unicast nodes that do not list each other: every node's unicast_src_ip must be in every other node's unicast_peer, and no two nodes share one.",
    defaultSeverity: 'error',
  },
  check(ctx) {
    for (const r of ctx.routers) {
      r.members.forEach((m, i) => {
        for (const other of r.members) {
          if (other === m) continue;
          if (m.unicastSource && m.unicastSource === other.unicastSource) {
            // A configuration copied to the next node unchanged: report the pair once.
            if (r.members.indexOf(other) > i) {
              ctx.report({
                range: at(m, 'unicast_src_ip'),
                message: `${named(m)} and ${named(other)} both send from unicast_src_ip ${m.unicastSource}: a copied configuration; each node must use its own address, or the adverts of one node are never answered`,
                related: [{ range: at(other, 'unicast_src_ip'), message: `the same unicast_src_ip on ${other.node.label}` }],
              });
            }
            continue;
          }
          const mUnicast = m.unicastPeers.length > 0;
          const otherUnicast = other.unicastPeers.length > 0;
          if (mUnicast && !otherUnicast) {
            ctx.report({
              range: at(m, 'unicast_peer'),
              message: `${named(m)} sends its adverts by unicast but ${named(other)} uses multicast: they never hear each other and both become MASTER`,
              related: [{ range: at(other), message: `multicast instance on ${other.node.label}` }],
            });
          } else if (mUnicast && other.unicastSource && !m.unicastPeers.includes(other.unicastSource)) {
            ctx.report({
              range: at(m, 'unicast_peer'),
              message: `${named(m)} does not list ${other.unicastSource} (unicast_src_ip of ${other.node.label}) in unicast_peer: it never sends adverts to that node`,
              related: [{ range: at(other, 'unicast_src_ip'), message: `unicast_src_ip on ${other.node.label}` }],
            });
          }
        }
      });
    }
  },
};
