import { childrenNamed, ipOf, model } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';
import { familyName } from '../helpers/ip.ts';

/** keepalived's `alloc_vrrp_vip`: a VIP whose family differs from the instance's is dropped. */
export const rule: LintRule = {
  meta: {
    id: 'vip-family-mismatch',
    description: 'A VRRP instance carries VIPs of one address family; keepalived drops the VIPs of the other.',
    defaultSeverity: 'error',
  },
  create(context) {
    return {
      blocks: {
        vrrp_instance(instance) {
          const source = model.familySource(instance);
          if (!source) return;
          for (const list of childrenNamed(instance, 'virtual_ipaddress')) {
            if (list.type !== 'List') continue;
            for (const item of list.items) {
              const ip = ipOf(item);
              if (!ip || ip.family === source.family) continue;
              context.report({
                range: item.words[0]!.range,
                message:
                  `keepalived drops this ${familyName(ip.family)} VIP: instance ${instance.name ?? ''} is ${familyName(source.family)} (${source.what}) ` +
                  `and a VRRP instance advertises one family only. Put the ${familyName(ip.family)} addresses in a second vrrp_instance and join both ` +
                  'in a vrrp_sync_group, or list this one under virtual_ipaddress_excluded, which may mix families',
                related: [{ range: source.range, message: `the instance is ${familyName(source.family)} from here` }],
              });
            }
          }
        },
      },
    };
  },
};
