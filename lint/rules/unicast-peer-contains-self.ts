import { lastStatement, model } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';
import { sameIp } from '../helpers/ip.ts';
import { ownLine } from '../helpers/source.ts';

/** A configuration copied between nodes often keeps the node's own address among its peers. */
export const rule: LintRule = {
  meta: {
    id: 'unicast-peer-contains-self',
    description: "The instance's own unicast_src_ip is listed among its unicast peers.",
    defaultSeverity: 'error',
    fixable: true,
  },
  create(context) {
    return {
      blocks: {
        vrrp_instance(instance) {
          const { source, peers } = model.unicastOf(instance);
          const src = lastStatement(instance, 'unicast_src_ip');
          if (!source || !src) return;
          const self = peers.filter((p) => sameIp(p.ip, source));
          const others = peers.length - self.length;
          for (const peer of self) {
            const line = others > 0 ? ownLine(peer.item) : undefined;
            context.report({
              range: peer.item.range,
              severity: others > 0 ? 'warning' : 'error',
              message:
                others > 0
                  ? `${source.address} is this node's own unicast_src_ip: keepalived sends its adverts to itself as well as to the other peers; list only the other nodes`
                  : `${source.address} is this node's own unicast_src_ip and its only peer: keepalived sends its adverts only to itself, so the other nodes never hear this one and become MASTER alongside it; list the other nodes' addresses instead`,
              related: [{ range: src.range, message: 'own address here' }],
              fixes: line ? [{ description: `Remove ${source.address} from unicast_peer`, edits: [{ range: line, text: '' }] }] : [],
            });
          }
        },
      },
    };
  },
};
