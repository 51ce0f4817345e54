import { ipOf, model } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';
import { familyName } from '../helpers/ip.ts';

/** keepalived's `alloc_vrrp_unicast_peer` and `vrrp_srcip_handler`: addresses of the other family are skipped. */
export const rule: LintRule = {
  meta: {
    id: 'unicast-family-mismatch',
    description: "A unicast peer or source address whose family differs from the instance's; keepalived skips it.",
    defaultSeverity: 'error',
  },
  create(context) {
    return {
      blocks: {
        vrrp_instance(instance) {
          const source = model.familySource(instance);
          if (!source) return;
          const related = [{ range: source.range, message: `the instance is ${familyName(source.family)} from here` }];
          const is = `instance ${instance.name ?? ''} is ${familyName(source.family)} (${source.what})`;
          for (const n of instance.children) {
            const name = n.def.aliasOf ?? n.def.name;
            if (n.type === 'List' && name === 'unicast_peer') {
              for (const item of n.items) {
                const ip = ipOf(item);
                if (!ip || ip.family === source.family) continue;
                context.report({
                  range: item.words[0]!.range,
                  related,
                  message: `keepalived skips this ${familyName(ip.family)} peer ("MUST be of the same family"): ${is}, and a VRRP instance talks one family. Use a second instance for ${familyName(ip.family)}, with ${familyName(ip.family)} VIPs and peers`,
                });
              }
            } else if (n.type === 'Statement' && (name === 'unicast_src_ip' || name === 'mcast_src_ip')) {
              const ip = ipOf(n);
              if (!ip || ip.family === source.family) continue;
              context.report({
                range: n.words[0]!.range,
                related,
                message: `keepalived ignores this ${familyName(ip.family)} ${name} ("MUST be of the same family"): ${is}, so adverts leave from the interface's own ${familyName(source.family)} address`,
              });
            }
          }
        },
      },
    };
  },
};
