import { childrenNamed, ipOf, model, type Node } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';

/** The keywords that make keepalived consider an instance unicast (`VRRP_FLAG_UNICAST_CONFIGURED`). */
const UNICAST_KEYWORDS = ['unicast_peer', 'unicast_src_ip', 'check_unicast_src', 'unicast_fault_no_peer', 'old_unicast_checksum'];

/** keepalived's `vrrp_complete_instance`: unicast keywords without a peer fall back to multicast (or FAULT). */
export const rule: LintRule = {
  meta: {
    id: 'unicast-peer-empty',
    description: 'Unicast settings without any unicast peer make keepalived fall back to multicast, or hold the instance in FAULT.',
    defaultSeverity: 'warning',
  },
  create(context) {
    return {
      blocks: {
        vrrp_instance(instance) {
          const family = model.familySource(instance)?.family ?? 4;
          const lists = childrenNamed(instance, 'unicast_peer');
          const peers = lists.flatMap((l) => (l.type === 'List' ? l.items : [])).filter((i) => ipOf(i)?.family === family);
          if (peers.length) return;
          const unicast: Node[] = UNICAST_KEYWORDS.flatMap((k) => childrenNamed(instance, k)).sort((a, b) => a.range.start - b.range.start);
          // unicast_ttl alone does not make an instance unicast; unicast-ttl-without-peers covers it.
          const at = lists[0] ?? unicast[0];
          if (!at) return;
          const name = instance.name ?? '';
          const faultNoPeer = unicast.some((n) => n.def.name === 'unicast_fault_no_peer');
          const what = lists.length ? 'unicast_peer lists no usable peer' : `${at.def.name} is set but there is no unicast_peer block`;
          context.report({
            range: at.type === 'List' ? at.keyword.range : at.range,
            message: faultNoPeer
              ? `${what}: with unicast_fault_no_peer keepalived holds ${name} in FAULT, so this node never takes the VIPs; list the other nodes' addresses in unicast_peer`
              : `${what}: keepalived ignores the unicast settings of ${name} and sends multicast adverts (a deprecated fallback), which nodes configured for unicast never hear; list the other nodes' addresses in unicast_peer, or remove the unicast settings`,
            related: unicast.filter((n) => n !== at).map((n) => ({ range: n.range, message: `${n.def.name} here` })),
          });
        },
      },
    };
  },
};
